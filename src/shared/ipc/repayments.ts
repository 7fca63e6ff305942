import { z } from 'zod';
import { LEVELS, type ClassificationLevel } from '../domain/classification';
import { date, decision, fen, id, optionalText, pageArgs, text } from './fields';
import type { ClassificationView, FloorReasonView, LoanDetail } from './loans';
import { reads, writes, type AccessOf } from './access';
import type { ErrorCode } from './errors';
import type { PaymentPreview, PrepaymentFeeRule, SettlementQuote } from '../domain/settlement';
import { PREPAY_MODES, type PrepayMode } from '../domain/prepayment';

export interface LedgerEntry {
  date: string;
  kind: 'disbursement' | 'repayment' | 'reversal' | 'classification' | 'rate-change' | 'extension' | 'guarantee' | 'collateral' | 'payoff' | 'write-off' | 'restructuring' | 'acceleration' | 'prepayment';
  description: string;
  /** Signed change of the principal balance; 0 for events that do not move it. */
  principalFen: number;
  interestFen: number;
  penaltyFen: number;
  amountFen: number;
  balanceFen: number;
  by: string;
  /** Classification entries: the class, and the floor's reasons for a system change (null for a staff decision, whose words are `comment`). */
  classification?: { level: ClassificationLevel; floorReasons: FloorReasonView[] | null; comment: string };
}

/** The daily batch job (started at sign-in, at a change of day and on a schedule; never by a read). */
export interface DailyBatchStatus {
  running: boolean;
  /** When the run under way started (ISO instant). */
  startedAt: string | null;
  /** The day the stored statuses (DPD, class, warnings) were computed for; null before the first batch. */
  statusesAsOf: string | null;
  today: string;
  /** Where the run under way is: the statuses stored so far of all active loans, then the reactions to them. */
  progress: { phase: 'statuses' | 'reactions'; done: number; total: number } | null;
  /** The last run in this process; `thread`: on the worker thread (the app) or on main (tests on the sources). */
  lastRun: { asOf: string; loans: number; changedLevels: number; ms: number; finishedAt: string; thread: 'worker' | 'main' } | null;
  /** Why the last run here stopped (cleared by the next that finishes); the next trigger runs it again. */
  error: { code: ErrorCode; message: string } | null;
}

export interface PendingClassification extends ClassificationView {
  loanId: number;
  contractNo: string;
  borrowerName: string;
}

export const repaymentsChannels = {
  /**
   * `excess`: money beyond what is due on `paidOn` is held as 溢收款 ('credit', the default) or settles the loan
   * ('settle'). `confirm` is required when the payment exceeds what is due, pays the loan off or leaves money held.
   */
  'repayments.create': z
    .object({ loanId: id, paidOn: date, amountFen: fen, note: optionalText(300), excess: z.enum(['credit', 'settle']).optional(), confirm: z.boolean().optional() })
    .strict(),
  'repayments.reverse': z.object({ repaymentId: id, reason: text(300) }).strict(),
  'classification.propose': z.object({ loanId: id, level: z.enum(LEVELS), reason: text(500) }).strict(),
  'classification.decide': decision({ proposalId: id }, 500),
  'classification.pending': z.object({}).strict(),
  /** Without limit, every entry; with it, a window of them (the running balance still counts from the first). */
  'ledger.get': z.object({ loanId: id, limit: pageArgs.limit.optional(), offset: pageArgs.offset.optional() }).strict(),
  'ledger.exportXlsx': z.object({ loanId: id }).strict(),
  'batch.run': z.object({ asOf: date.nullable() }).strict(),
  'batch.status': z.object({}).strict(),
  /** How a payment would be split (penalty, interest, principal, per period), by the same replay the post uses. */
  'repayments.preview': z.object({ loanId: id, paidOn: date, amountFen: fen, excess: z.enum(['credit', 'settle']) }).strict(),
  /** What settling the loan in full on a date takes (提前结清测算). */
  'repayments.quote': z.object({ loanId: id, date }).strict(),
  /** The same quote as a 提前结清测算单 PDF to print and have the borrower sign. */
  'repayments.quotePdf': z.object({ loanId: id, date }).strict(),
  /** Partial prepayment (部分提前还款): what repaying this principal on the date takes, and the schedule after. */
  'repayments.prepayQuote': z.object({ loanId: id, paidOn: date, principalFen: fen, mode: z.enum(PREPAY_MODES) }).strict(),
  /** Posts it: the money received and a new schedule version, in one step; `confirm` after seeing the quote. */
  'repayments.prepay': z.object({ loanId: id, paidOn: date, principalFen: fen, mode: z.enum(PREPAY_MODES), note: optionalText(300), confirm: z.literal(true) }).strict(),
  /** A reversal proposed by `repayments.reverse` is approved or rejected by another user. */
  'repayments.decideReversal': decision({ reversalId: id }, 500),
  'repayments.pendingReversals': z.object({}).strict(),
  /** Prepayment fee per product (none by default). */
  'repayments.feeRules': z.object({}).strict(),
  /** The product names the loans on file carry, for the fee rules' form. */
  'repayments.products': z.object({}).strict(),
  'repayments.setFeeRule': z
    .object({
      product: text(100),
      rule: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }).strict(),
        z.object({ kind: z.literal('percent'), percent: z.string().regex(/^\d{1,2}(\.\d{1,4})?$/) }).strict(),
        z.object({ kind: z.literal('months'), months: z.number().int().min(1).max(12) }).strict(),
      ]),
    })
    .strict(),
};

/** A partial prepayment worked out (prepayment.ts): the money to receive and what the schedule becomes. */
export interface PrepayQuote {
  loanId: number;
  contractNo: string;
  paidOn: string;
  mode: PrepayMode;
  /** Fallen due by the date and unpaid (that day's instalment and penalty included), less 溢收款 held: paid first. */
  dueFen: number;
  principalFen: number;
  /** Interest on the prepaid principal from the last due date to the date (actual/360). */
  interestFen: number;
  feeFen: number;
  totalFen: number;
  maturityBefore: string;
  maturityAfter: string;
  periodsBefore: number;
  periodsAfter: number;
  instalmentBeforeFen: number;
  instalmentAfterFen: number;
  remainingAfterFen: number;
  /** The instalments after the date, as they will be. */
  schedule: { period: number; dueDate: string; principalFen: number; interestFen: number }[];
}

export interface PendingReversal {
  id: number;
  repaymentId: number;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  paidOn: string;
  amountFen: number;
  reason: string;
  proposedBy: string;
  proposedAt: string;
}

/** Who may call each channel, and whether it writes (see access.ts). */
export const repaymentsAccess = {
  'repayments.create': writes('repayments.write', 'loan'),
  'repayments.reverse': writes('repayments.write', 'loan'),
  'classification.propose': writes('classification.propose', 'loan'),
  'classification.decide': writes('classification.approve', 'loan'),
  'classification.pending': reads('classification.propose'),
  'ledger.get': reads('portfolio.read', 'loan'),
  'ledger.exportXlsx': reads('portfolio.read', 'loan'),
  'batch.run': writes('batch.run'),
  'batch.status': reads('signed-in'),
  'repayments.preview': reads('repayments.write', 'loan'),
  'repayments.quote': reads('portfolio.read', 'loan'),
  'repayments.quotePdf': reads('portfolio.read', 'loan'),
  'repayments.prepayQuote': reads('repayments.write', 'loan'),
  'repayments.prepay': writes('repayments.write', 'loan'),
  'repayments.decideReversal': writes('repayments.approve', 'loan'),
  'repayments.pendingReversals': reads(['repayments.write', 'repayments.approve']),
  'repayments.feeRules': reads(['portfolio.read', 'settings.manage']),
  'repayments.products': reads(['portfolio.read', 'settings.manage']),
  'repayments.setFeeRule': writes('settings.manage'),
} satisfies AccessOf<typeof repaymentsChannels>;

export interface RepaymentsOutputs {
  'repayments.create': LoanDetail;
  'repayments.reverse': LoanDetail;
  'classification.propose': LoanDetail;
  'classification.decide': LoanDetail;
  'classification.pending': PendingClassification[];
  'ledger.get': { contractNo: string; total: number; entries: LedgerEntry[] };
  'ledger.exportXlsx': { fileName: string; base64: string };
  'batch.run': { asOf: string; loans: number; changedLevels: number; ms: number };
  'batch.status': DailyBatchStatus;
  'repayments.preview': PaymentPreview;
  'repayments.quote': SettlementQuote & { contractNo: string };
  'repayments.quotePdf': { fileName: string; base64: string };
  'repayments.prepayQuote': PrepayQuote;
  'repayments.prepay': LoanDetail;
  'repayments.decideReversal': LoanDetail;
  'repayments.pendingReversals': PendingReversal[];
  'repayments.feeRules': Record<string, PrepaymentFeeRule>;
  'repayments.products': string[];
  'repayments.setFeeRule': Record<string, PrepaymentFeeRule>;
}

