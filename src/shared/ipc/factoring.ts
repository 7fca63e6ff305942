import { z } from 'zod';
import { isValidCreditCode } from '../domain/ids';
import { date, empty, fen, fenOrZero, id, msg, optionalText, text } from './fields';
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
  /** Credit notes, returns and disputes not resolved: what the receivable was reduced by. */
  dilutionFen: number;
  /** The part under dispute now (disputes less their resolutions); a disputed receivable is not eligible. */
  disputedFen: number;
  /** Debtor payments that reached the seller instead of the collection account (they do not reduce it). */
  misdirectedFen: number;
  /** Invoice less effective payments, buy-backs and dilution; never below zero. */
  outstandingFen: number;
  /** 确权: none, by the debtor's receipt of the assignment notice, or by its signed confirmation. */
  confirmation: ReceivableConfirmation;
  confirmedOn: string | null;
  confirmationNote: string;
  /** Counts towards the eligible base today: open, undisputed, not past due. */
  eligible: boolean;
  adjustments: ReceivableAdjustmentView[];
}

export const RECEIVABLE_CONFIRMATIONS = ['none', 'receipt', 'signed'] as const;
export type ReceivableConfirmation = (typeof RECEIVABLE_CONFIRMATIONS)[number];
/** Dilution (credit note, return, dispute and its resolution); `misdirected` records a payment that reached the seller. */
export const ADJUSTMENT_KINDS = ['credit-note', 'return', 'dispute', 'dispute-resolved'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number] | 'misdirected';

export interface ReceivableAdjustmentView {
  id: number;
  kind: AdjustmentKind;
  amountFen: number;
  date: string;
  reason: string;
  by: string;
  at: string;
}

export interface CollectionAccount {
  bank: string;
  accountName: string;
  accountNo: string;
}

export interface FactoringView {
  recourse: boolean;
  financingRatio: string;
  feeFen: number;
  /** 回款账户; empty strings while not recorded. */
  collectionAccount: CollectionAccount;
  /** Open, undisputed receivables not past due today. */
  eligibleBaseFen: number;
  /** Financing ratio × eligible base, rounded down to the fen. */
  financeableFen: number;
  /** The financing's principal balance (as last stored). */
  balanceFen: number;
  receivables: ReceivableView[];
}

/** One account debtor in the register, its exposure across every seller's financing on the books. */
export interface DebtorView {
  id: number;
  name: string;
  creditCode: string;
  relatedParty: boolean;
  /** null: no limit set. */
  limitFen: number | null;
  /** Open receivables (after payments and dilution) on active financings, whoever the seller. */
  exposureFen: number;
  /** Limit less exposure; negative when over; null without a limit. */
  headroomFen: number | null;
  /** Exposure above the limit. */
  breach: boolean;
  sellers: number;
  receivables: number;
  /** Open receivables not yet confirmed by the debtor (确权 none). */
  unconfirmedFen: number;
  disputedFen: number;
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
  /** The account debtors' register. */
  'factoring.debtors': empty,
  /** The limit on one account debtor across all sellers; null removes it. */
  'factoring.setDebtorLimit': z.object({ debtorId: id, limitFen: fenOrZero.nullable() }).strict(),
  /** 确权: the debtor confirmed the receivable, by its receipt of the assignment notice or a signed confirmation. */
  'factoring.confirmReceivable': z.object({ receivableId: id, confirmation: z.enum(['receipt', 'signed']), date, note: text(200) }).strict(),
  /** Dilution: a credit note, a return, a dispute (or its resolution) reduces (or restores) a receivable. */
  'factoring.adjustReceivable': z.object({ receivableId: id, kind: z.enum(ADJUSTMENT_KINDS), amountFen: fen, date, reason: text(200) }).strict(),
  /** More receivables into an existing financing (a pool, a revolving facility), within the financing ratio. */
  'factoring.addReceivables': z.object({ loanId: id, receivables: z.array(receivableInput).min(1).max(200) }).strict(),
  /** 回款账户 of the financing. */
  'factoring.setCollectionAccount': z.object({ loanId: id, bank: text(100), accountName: text(100), accountNo: z.string().trim().regex(/^\d[\d ]{8,38}\d$/, msg('validation.accountNo')) }).strict(),
  /** A debtor's payment that reached the seller instead of the collection account. */
  'factoring.recordMisdirected': z.object({ receivableId: id, amountFen: fen, date, note: text(200) }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const factoringAccess = {
  'factoring.create': writes('portfolio.write'),
  'factoring.get': reads('portfolio.read', 'loan'),
  'factoring.receivablePayment': writes('repayments.write', 'loan'),
  'factoring.setDebtorRelatedParty': writes('portfolio.write', 'loan'),
  // Exposure is the company's across sellers; an officer sees the debtors of the financings they hold.
  'factoring.debtors': reads('portfolio.read'),
  // A limit is a credit decision: supervisors and risk officers (who also record the provision held).
  'factoring.setDebtorLimit': writes('portfolio.reports'),
  'factoring.confirmReceivable': writes('portfolio.write', 'loan'),
  'factoring.adjustReceivable': writes('portfolio.write', 'loan'),
  'factoring.addReceivables': writes('portfolio.write', 'loan'),
  'factoring.setCollectionAccount': writes('portfolio.write', 'loan'),
  'factoring.recordMisdirected': writes('repayments.write', 'loan'),
} satisfies AccessOf<typeof factoringChannels>;

export interface FactoringOutputs {
  'factoring.create': LoanDetail;
  'factoring.get': FactoringView;
  'factoring.receivablePayment': LoanDetail;
  'factoring.setDebtorRelatedParty': FactoringView;
  'factoring.debtors': DebtorView[];
  'factoring.setDebtorLimit': DebtorView[];
  'factoring.confirmReceivable': FactoringView;
  'factoring.adjustReceivable': FactoringView;
  'factoring.addReceivables': FactoringView;
  'factoring.setCollectionAccount': FactoringView;
  /** The financing, and the warning the payment raised (or the one of its kind already open on the financing). */
  'factoring.recordMisdirected': { factoring: FactoringView; warningId: number | null };
}
