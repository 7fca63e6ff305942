import type { Handlers } from '../../kernel/dispatch';
import { addCollateral, addGuarantee, revalueCollateral, setCertificateCustody } from './collateral';
import { createLoan, getLoan, listLoans, listOfficers, previewSchedule } from './loans';
import { cardPdfByLoan } from './printing';
import * as lists from '../listExport/listExports';

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
