import { z } from 'zod';
import { type ClassificationLevel, type FloorReason, LEVELS } from '../domain/classification';
import type { PeriodState } from '../domain/loanState';
import { DPD_BUCKETS, type DpdBucket } from '../domain/overdue';
import { REPAYMENT_METHODS, type RepaymentMethod, type ScheduleRow } from '../domain/schedule';
import { type Borrower, type PartyKind, PARTY_KINDS } from './borrowers';
import { annualRate, date, fen, id, optionalText, pageArgs, penaltyUplift, text, username } from './fields';
import { reads, writes, type AccessOf } from './access';
import type { ExportedFile } from './listExport';

export const GUARANTEE_MODES = ['credit', 'guarantee', 'mortgage', 'pledge'] as const;
export type GuaranteeMode = (typeof GUARANTEE_MODES)[number];

/**
 * The security a loan has: the contract's modes besides 信用, together with what is registered on it (a guarantor
 * is 保证, a collateral its 抵押 or 质押); 信用 alone when there is none. In GUARANTEE_MODES order. The contract's
 * own modes stay as recorded (`LoanTermsView.guaranteeModes`): security registered later adds to this, not to them.
 */
export function securityOf(contractModes: readonly string[], registered: { guarantors: number; collateralKinds: readonly string[] }): GuaranteeMode[] {
  const has = new Set<string>(contractModes);
  if (registered.guarantors > 0) has.add('guarantee');
  for (const k of registered.collateralKinds) has.add(k);
  const secured = GUARANTEE_MODES.filter((m) => m !== 'credit' && has.has(m));
  return secured.length > 0 ? secured : ['credit'];
}
export const LOAN_STATUSES = ['active', 'closed', 'written-off'] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

export interface LoanTermsView {
  id: number;
  contractNo: string;
  kind: 'loan' | 'factoring';
  borrowerId: number;
  product: string;
  principalFen: number;
  annualRate: string;
  penaltyUplift: string;
  termMonths: number;
  method: RepaymentMethod;
  purpose: string;
  startDate: string;
  maturityDate: string;
  /** As the contract records them (信用 stays 信用 after a guarantor is added); see `LoanDetail.security`. */
  guaranteeModes: GuaranteeMode[];
  officer: string;
  officerName: string;
  status: LoanStatus;
  restructured: boolean;
  extended: boolean;
  /** Declared due early (宣布提前到期), approved. */
  accelerated: boolean;
  /** Partly repaid early (提前还本): the schedule was recast, the contract's term stays. */
  prepaid: boolean;
}

export interface LoanListRow {
  id: number;
  contractNo: string;
  kind: 'loan' | 'factoring';
  borrowerName: string;
  officer: string;
  officerName: string;
  principalFen: number;
  balanceFen: number;
  dpd: number;
  bucket: DpdBucket;
  level: ClassificationLevel;
  status: LoanStatus;
  maturityDate: string;
}

export interface GuaranteeView {
  id: number;
  guarantorId: number;
  kind: PartyKind;
  name: string;
  idNumber: string;
  phone: string;
  guaranteeType: 'general' | 'joint';
  amountFen: number;
  periodEnd: string;
}

export interface CollateralView {
  id: number;
  kind: 'mortgage' | 'pledge';
  type: string;
  description: string;
  owner: string;
  registrationAuthority: string;
  registrationNo: string;
  valuations: { id: number; valueFen: number; valuedOn: string; note: string; createdBy: string }[];
  certificates: { id: number; certNo: string; certType: string; custody: 'vault' | 'lent' | 'returned' }[];
  /** Balance ÷ latest value, in per cent with one decimal; null without a valuation. */
  ltvPercent: string | null;
  ltvOverLimit: boolean;
}

export interface RepaymentView {
  id: number;
  paidOn: string;
  amountFen: number;
  source: 'borrower' | 'debtor' | 'buyback' | 'import';
  note: string;
  createdBy: string;
  createdAt: string;
  reversed: { by: string; at: string; reason: string } | null;
  /** How the payment was applied; null for a reversed payment. `unallocatedFen` is held as 溢收款. */
  allocation: { penaltyFen: number; interestFen: number; principalFen: number; unallocatedFen: number; feeFen?: number } | null;
  /** A reversal proposed and waiting for a second person's approval. */
  reversalPending?: { id: number; by: string; at: string; reason: string } | null;
  /** What money beyond what was due did: held ('credit'), settled the loan ('settle'), or went on to later instalments ('advance', before these rules). */
  excess?: 'advance' | 'credit' | 'settle';
}

/** A floor reason as main returns it: a code, or (`legacy`) stored Chinese text from before codes that matches no known sentence. */
export type FloorReasonView = FloorReason | { code: 'legacy'; params: { text: string } };

export interface ClassificationView {
  id: number;
  level: ClassificationLevel;
  floorLevel: ClassificationLevel;
  floorReasons: FloorReasonView[];
  reason: string;
  status: 'system' | 'pending' | 'approved' | 'rejected';
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionComment: string | null;
}

export interface LoanStateView {
  asOf: string;
  balanceFen: number;
  dpd: number;
  bucket: DpdBucket;
  overduePrincipalFen: number;
  overdueInterestFen: number;
  penaltyOutstandingFen: number;
  oldestUnpaidDueDate: string | null;
  level: ClassificationLevel;
  floorLevel: ClassificationLevel;
  floorReasons: FloorReasonView[];
  /** 溢收款 held (money paid beyond what was due, waiting for later instalments). */
  creditFen?: number;
  /** Fallen due by the as-of date and unpaid, with penalty. */
  dueFen?: number;
}

export interface LoanDetail {
  loan: LoanTermsView;
  borrower: Borrower;
  state: LoanStateView;
  schedule: PeriodState[];
  repayments: RepaymentView[];
  guarantees: GuaranteeView[];
  collateral: CollateralView[];
  /** The security the loan has: the contract's modes and what is registered (securityOf). */
  security: GuaranteeMode[];
  classifications: ClassificationView[];
}

export const scheduleInput = {
  principalFen: fen,
  annualRate,
  months: z.number().int().min(1).max(360),
  method: z.enum(REPAYMENT_METHODS),
  startDate: date,
};

export const loanCreateInput = z
  .object({
    contractNo: text(40),
    borrowerId: id,
    product: text(50),
    ...scheduleInput,
    penaltyUplift,
    purpose: optionalText(200),
    guaranteeModes: z.array(z.enum(GUARANTEE_MODES)).min(1).max(4),
    officer: username,
    /** Drawn in several disbursements: the contract amount; `principalFen` is then the first drawdown. */
    contractAmountFen: fen.nullable().optional(),
  })
  .strict();

const loansListInput = z
  .object({
    query: z.string().trim().max(100),
    officer: username.nullable(),
    bucket: z.enum(DPD_BUCKETS).nullable(),
    level: z.enum(LEVELS).nullable(),
    status: z.enum(LOAN_STATUSES).nullable(),
    borrowerId: id.nullable().optional(),
    /** Only loans with something overdue (bucket other than M0). */
    overdueOnly: z.boolean().optional(),
    sort: z.enum(['contractNo', 'borrowerName', 'balanceFen', 'dpd', 'maturityDate']),
    direction: z.enum(['asc', 'desc']),
    ...pageArgs,
  })
  .strict();

export const loansChannels = {
  'loans.previewSchedule': z.object(scheduleInput).strict(),
  'loans.create': loanCreateInput,
  'loans.list': loansListInput,
  /** The list's filters and order; every row, not one page. */
  'loans.exportXlsx': loansListInput.omit({ limit: true, offset: true }),
  'loans.get': z.object({ id, asOf: date.nullable() }).strict(),
  'loans.officers': z.object({}).strict(),
  'loans.cardPdf': z.object({ loanId: id }).strict(),
  'guarantees.add': z
    .object({
      loanId: id,
      guarantor: z
        .object({ kind: z.enum(PARTY_KINDS), name: text(100), idNumber: z.string().trim().toUpperCase().min(1).max(18), phone: optionalText(30), address: optionalText(200) })
        .strict(),
      guaranteeType: z.enum(['general', 'joint']),
      amountFen: fen,
      periodEnd: date,
    })
    .strict(),
  'collateral.add': z
    .object({
      loanId: id,
      kind: z.enum(['mortgage', 'pledge']),
      type: text(30),
      description: text(300),
      owner: text(100),
      registrationAuthority: optionalText(100),
      registrationNo: optionalText(60),
      valueFen: fen,
      valuedOn: date,
      certificates: z.array(z.object({ certNo: text(60), certType: text(30) }).strict()).max(20),
    })
    .strict(),
  'collateral.revalue': z.object({ collateralId: id, valueFen: fen, valuedOn: date, note: optionalText(300) }).strict(),
  'collateral.setCustody': z.object({ certificateId: id, custody: z.enum(['vault', 'lent', 'returned']), reason: text(300) }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const loansAccess = {
  'loans.previewSchedule': reads('portfolio.read'),
  'loans.create': writes('portfolio.write'),
  'loans.list': reads('portfolio.read'),
  // Writes only its audit entry (who exported which list with which filters).
  'loans.exportXlsx': writes('portfolio.read'),
  'loans.get': reads('portfolio.read', 'loan'),
  'loans.officers': reads('portfolio.read'),
  'loans.cardPdf': reads('portfolio.read', 'loan'),
  'guarantees.add': writes('portfolio.write', 'loan'),
  'collateral.add': writes('portfolio.write', 'loan'),
  'collateral.revalue': writes('portfolio.write', 'loan'),
  'collateral.setCustody': writes('portfolio.write', 'loan'),
} satisfies AccessOf<typeof loansChannels>;

export interface LoansOutputs {
  'loans.previewSchedule': ScheduleRow[];
  'loans.create': LoanDetail;
  'loans.list': { total: number; rows: LoanListRow[]; asOf: string };
  'loans.exportXlsx': ExportedFile;
  'loans.get': LoanDetail;
  'loans.officers': { username: string; displayName: string }[];
  'loans.cardPdf': { fileName: string; base64: string };
  'guarantees.add': LoanDetail;
  'collateral.add': LoanDetail;
  'collateral.revalue': LoanDetail;
  'collateral.setCustody': LoanDetail;
}

