import { z } from 'zod';
import { isValidCreditCode } from '../domain/ids';
import { date, fen, fenOrZero, id, msg, optionalText, text } from './fields';
import { loanCreateInput, type LoanDetail } from './loans';
import { reads, writes, type AccessOf } from './access';

export interface ReceivableView {
  id: number;
  debtorId: number;
  debtorName: string;
  debtorCode: string;
  /** The account debtor is a related party (关联方) of the company. */
  debtorRelatedParty: boolean;
  invoiceNo: string;
  invoiceAmountFen: number;
  invoiceDate: string;
  dueDate: string;
  paidByDebtorFen: number;
  boughtBackFen: number;
  outstandingFen: number;
}

export interface FactoringView {
  recourse: boolean;
  financingRatio: string;
  feeFen: number;
  receivables: ReceivableView[];
}

const creditCode = z.string().trim().toUpperCase().length(18).refine(isValidCreditCode, msg('validation.creditCode'));

export const receivableInput = z
  .object({
    debtorName: text(100),
    debtorCode: creditCode,
    /** Where notices to the account debtor go. */
    debtorAddress: optionalText(200).optional(),
    /** Marks the account debtor a related party (关联方); left out, a known debtor keeps its flag and a new one is not. */
    debtorRelatedParty: z.boolean().optional(),
    invoiceNo: text(40),
    invoiceAmountFen: fen,
    invoiceDate: date,
    dueDate: date,
  })
  .strict();

export const factoringChannels = {
  'factoring.create': z
    .object({
      financing: loanCreateInput,
      recourse: z.boolean(),
      /** Financing ratio in per cent of the receivables, e.g. "80". */
      financingRatio: z.string().trim().regex(/^\d{1,3}(\.\d{1,2})?$/, msg('validation.ratio')).refine((r) => Number(r) > 0 && Number(r) <= 100, msg('validation.ratio')),
      feeFen: fenOrZero,
      receivables: z.array(receivableInput).min(1).max(200),
    })
    .strict(),
  'factoring.get': z.object({ loanId: id }).strict(),
  'factoring.receivablePayment': z.object({ receivableId: id, kind: z.enum(['debtor', 'buyback']), paidOn: date, amountFen: fen }).strict(),
  /** Marks an account debtor a related party (关联方) or not; the loan is the financing it is seen from. */
  'factoring.setDebtorRelatedParty': z.object({ loanId: id, debtorId: id, relatedParty: z.boolean() }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const factoringAccess = {
  'factoring.create': writes('portfolio.write'),
  'factoring.get': reads('portfolio.read', 'loan'),
  'factoring.receivablePayment': writes('repayments.write', 'loan'),
  'factoring.setDebtorRelatedParty': writes('portfolio.write', 'loan'),
} satisfies AccessOf<typeof factoringChannels>;

export interface FactoringOutputs {
  'factoring.create': LoanDetail;
  'factoring.get': FactoringView;
  'factoring.receivablePayment': LoanDetail;
  'factoring.setDebtorRelatedParty': FactoringView;
}
