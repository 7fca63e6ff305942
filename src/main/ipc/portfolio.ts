import type { Handlers } from '../kernel/dispatch';
import { createBorrower, getBorrower, searchBorrowers, updateBorrower } from '../services/borrowers';
import { addCollateral, addGuarantee, revalueCollateral, setCertificateCustody } from '../services/collateral';
import { createLoan, getLoan, listLoans, listOfficers, previewSchedule } from '../services/loans';
import { cardPdfByLoan } from '../services/printing';
import * as lists from '../services/listExports';

export const borrowersHandlers: Handlers<'borrowers.search' | 'borrowers.exportXlsx' | 'borrowers.get' | 'borrowers.create' | 'borrowers.update'> = {
  'borrowers.search': (ctx, input) => searchBorrowers(ctx, input),
  'borrowers.exportXlsx': (ctx, input) => lists.exportBorrowers(ctx, input),
  'borrowers.get': (ctx, input) => getBorrower(ctx, input),
  'borrowers.create': (ctx, input) => createBorrower(ctx, input),
  'borrowers.update': (ctx, input) => updateBorrower(ctx, input),
};

export const loansHandlers: Handlers<
  | 'loans.previewSchedule'
  | 'loans.create'
  | 'loans.list'
  | 'loans.exportXlsx'
  | 'loans.get'
  | 'loans.officers'
  | 'loans.cardPdf'
  | 'guarantees.add'
  | 'collateral.add'
  | 'collateral.revalue'
  | 'collateral.setCustody'
> = {
  'loans.previewSchedule': (ctx, input) => previewSchedule(ctx, input),
  'loans.create': (ctx, input) => createLoan(ctx, input),
  'loans.list': (ctx, input) => listLoans(ctx, input),
  'loans.exportXlsx': (ctx, input) => lists.exportLoans(ctx, input),
  'loans.get': (ctx, input) => getLoan(ctx, input),
  'loans.officers': (ctx) => listOfficers(ctx),
  'loans.cardPdf': (ctx, input) => cardPdfByLoan(ctx, input),
  'guarantees.add': (ctx, input) => addGuarantee(ctx, input),
  'collateral.add': (ctx, input) => addCollateral(ctx, input),
  'collateral.revalue': (ctx, input) => revalueCollateral(ctx, input),
  'collateral.setCustody': (ctx, input) => setCertificateCustody(ctx, input),
};
