import { z } from 'zod';
import { legalDatesOutOfOrder } from '../domain/legal';
import { reads, writes, type AccessOf } from './access';
import { date, decision, fen, fenOrZero, id, optionalText, text } from './fields';

/** 诉讼: the case a transfer to legal opens — court, dates, judgment, preservations, costs, recoveries. */

export const LEGAL_OUTCOMES = ['judgment', 'mediation', 'withdrawn'] as const;
export type LegalOutcome = (typeof LEGAL_OUTCOMES)[number];
export const LEGAL_COST_KINDS = ['court_fee', 'lawyer', 'preservation_guarantee', 'other'] as const;
export type LegalCostKind = (typeof LEGAL_COST_KINDS)[number];
export const LEGAL_RECOVERY_SOURCES = ['enforcement', 'settlement', 'guarantor', 'collateral_sale', 'other'] as const;
export type LegalRecoverySource = (typeof LEGAL_RECOVERY_SOURCES)[number];

/** 处置方案: how a non-performing loan is to be resolved. */
export const NPL_METHODS = ['litigation', 'settlement', 'collateral_disposal', 'guarantor', 'transfer', 'restructuring', 'write_off', 'other'] as const;
export type NplMethod = (typeof NPL_METHODS)[number];

/** 责任认定 and 处置方案 of a non-performing loan, proposed by one user and decided by another (a supervisor). */
export interface NplPlanView {
  id: number;
  accountability: string;
  method: NplMethod;
  plan: string;
  status: 'pending' | 'approved' | 'rejected';
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionComment: string | null;
}

export interface PreservationView {
  id: number;
  /** What is frozen, sealed or seized (财产保全的对象). */
  what: string;
  /** The court's ruling number (保全裁定书文号) or where it is registered. */
  rulingNo: string;
  fromDate: string;
  untilDate: string;
  releasedOn: string | null;
  /** Days from today to untilDate; null once released. */
  daysLeft: number | null;
  /** 'soon': ends within 30 days; 'lapsed': ended without release or renewal; null otherwise (or released). */
  alert: 'soon' | 'lapsed' | null;
}

export interface LegalCostView {
  id: number;
  kind: LegalCostKind;
  amountFen: number;
  paidOn: string;
  note: string;
}

export interface LegalRecoveryView {
  id: number;
  source: LegalRecoverySource;
  amountFen: number;
  receivedOn: string;
  note: string;
}

export interface LegalCaseView {
  id: number;
  loanId: number;
  court: string;
  caseNo: string;
  filedOn: string | null;
  hearingOn: string | null;
  outcome: LegalOutcome | null;
  outcomeOn: string | null;
  judgmentFen: number | null;
  /** The last day of the performance period the judgment or mediation sets. */
  performanceDue: string | null;
  enforcementAppliedOn: string | null;
  enforcementCaseNo: string;
  status: 'open' | 'closed';
  closedOn: string | null;
  closeNote: string;
  createdBy: string;
  createdAt: string;
  preservations: PreservationView[];
  costs: LegalCostView[];
  recoveries: LegalRecoveryView[];
  costsFen: number;
  recoveredFen: number;
  recoveredBySource: Partial<Record<LegalRecoverySource, number>>;
  /**
   * Computed, never stored. enforcementBy: the last day to apply for enforcement (民事诉讼法 Art. 250), null until a
   * performance date is recorded; daysLeft from today, null once applied.
   */
  deadlines: { enforcementBy: string | null; enforcementDaysLeft: number | null };
}

export interface LegalView {
  loanId: number;
  /** The transfer to legal (移交诉讼), null before it: no case can be opened. */
  transferredOn: string | null;
  /** Newest first; at most one open. */
  cases: LegalCaseView[];
  /** Whether the loan is non-performing now (次级, 可疑, 损失): a plan may be proposed. */
  npl: boolean;
  /** 责任认定与处置方案, newest first; at most one pending. */
  plans: NplPlanView[];
}

const nullableDate = date.nullable();
const caseText = optionalText(60);

/** The case's fields as `legal.update` takes them; the form builds on them (yuan for fen, empty for null). */
export const legalCaseFields = z.object({
  loanId: id,
  court: caseText,
  caseNo: caseText,
  filedOn: nullableDate,
  hearingOn: nullableDate,
  outcome: z.enum(LEGAL_OUTCOMES).nullable(),
  outcomeOn: nullableDate,
  judgmentFen: fenOrZero.nullable(),
  performanceDue: nullableDate,
  enforcementAppliedOn: nullableDate,
  enforcementCaseNo: caseText,
});

type CaseInput = Pick<z.output<typeof legalCaseFields>, 'filedOn' | 'hearingOn' | 'outcome' | 'outcomeOn' | 'judgmentFen' | 'performanceDue' | 'enforcementAppliedOn'>;

/** The dates in order; an outcome with its date; a withdrawn suit without a judgment amount or performance date. */
export function checkLegalCase(v: CaseInput, ctx: z.RefinementCtx): void {
  const bad = legalDatesOutOfOrder(v);
  if (bad) ctx.addIssue({ code: 'custom', path: [bad], message: 'validation.legalDateOrder' });
  if (v.outcome !== null && v.outcomeOn === null) ctx.addIssue({ code: 'custom', path: ['outcomeOn'], message: 'validation.required' });
  if (v.outcome === null && v.outcomeOn !== null) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'validation.required' });
  if (v.outcome === 'withdrawn' && (v.judgmentFen !== null || v.performanceDue !== null)) ctx.addIssue({ code: 'custom', path: ['judgmentFen'], message: 'validation.legalWithdrawn' });
}

export const legalChannels = {
  'legal.get': z.object({ loanId: id }).strict(),
  'legal.open': z.object({ loanId: id, court: caseText, caseNo: caseText }).strict(),
  'legal.update': legalCaseFields.strict().superRefine(checkLegalCase),
  'legal.addPreservation': z
    .object({ loanId: id, what: text(200), rulingNo: optionalText(60), fromDate: date, untilDate: date })
    .strict()
    .superRefine((v, ctx) => {
      if (v.untilDate < v.fromDate) ctx.addIssue({ code: 'custom', path: ['untilDate'], message: 'validation.dateRange' });
    }),
  'legal.releasePreservation': z.object({ loanId: id, preservationId: id, releasedOn: date }).strict(),
  'legal.addCost': z.object({ loanId: id, kind: z.enum(LEGAL_COST_KINDS), amountFen: fen, paidOn: date, note: optionalText(200) }).strict(),
  'legal.addRecovery': z.object({ loanId: id, source: z.enum(LEGAL_RECOVERY_SOURCES), amountFen: fen, receivedOn: date, note: optionalText(200) }).strict(),
  'legal.close': z.object({ loanId: id, closedOn: date, note: text(500) }).strict(),
  'legal.proposePlan': z.object({ loanId: id, accountability: text(2000), method: z.enum(NPL_METHODS), plan: text(2000) }).strict(),
  'legal.decidePlan': decision({ planId: id }, 500),
};

/** Who may call each channel, and whether it writes (see access.ts). Officers: their own loans only. */
export const legalAccess = {
  'legal.get': reads('portfolio.read', 'loan'),
  'legal.open': writes('collections.write', 'loan'),
  'legal.update': writes('collections.write', 'loan'),
  'legal.addPreservation': writes('collections.write', 'loan'),
  'legal.releasePreservation': writes('collections.write', 'loan'),
  'legal.addCost': writes('collections.write', 'loan'),
  'legal.addRecovery': writes('collections.write', 'loan'),
  'legal.close': writes('collections.write', 'loan'),
  'legal.proposePlan': writes('collections.write', 'loan'),
  // Maker–checker: a supervisor other than the proposer decides.
  'legal.decidePlan': writes('classification.approve', 'loan'),
} satisfies AccessOf<typeof legalChannels>;

export interface LegalOutputs {
  'legal.get': LegalView;
  'legal.open': LegalView;
  'legal.update': LegalView;
  'legal.addPreservation': LegalView;
  'legal.releasePreservation': LegalView;
  'legal.addCost': LegalView;
  'legal.addRecovery': LegalView;
  'legal.close': LegalView;
  'legal.proposePlan': LegalView;
  'legal.decidePlan': LegalView;
}
