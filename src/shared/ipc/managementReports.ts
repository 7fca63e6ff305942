import { z } from 'zod';
import type { ClassificationLevel } from '../domain/classification';
import type { DpdBucket } from '../domain/overdue';
import type { ProvisionRates } from '../domain/provisioning';
import { reads, writes, type AccessOf } from './access';
import { date, fenOrZero, optionalText, text } from './fields';

/** 管理报表: month-end snapshots, KPIs, provisioning, migration, concentration, vintage. */

export interface CountBalance {
  count: number;
  balanceFen: number;
}

export interface SnapshotView {
  id: number;
  asOf: string;
  kind: 'month-end' | 'on-demand';
  /** The snapshot of the same date this one replaced (a supervisor's re-snapshot), if any. */
  supersedes: number | null;
  /** False once a newer snapshot of the same date replaced it. */
  current: boolean;
  reason: string | null;
  takenAt: string;
  takenBy: string;
  loans: number;
  balanceFen: number;
}

export interface RateCount {
  /** How many were due in the period (the denominator). */
  due: number;
  /** How many met the test (kept, returned in time, done on time). */
  met: number;
  /** met ÷ due, null when nothing was due. */
  rate: number | null;
}

/** The period's activity, taken with the snapshot (the calendar month up to its date). */
export interface SnapshotActivity {
  periodStart: string;
  writeOffs: CountBalance;
  recoveries: { count: number; amountFen: number };
  promises: RateCount;
  receipts: RateCount;
  inspections: RateCount;
  /** Reports whose review fell due in the period, signed by then. Null in snapshots taken before it was counted. */
  reportsSigned: RateCount | null;
  warnings: { open: number; averageAgeDays: number | null; byLevel: Record<'light' | 'medium' | 'serious', { count: number; averageAgeDays: number | null }> };
}

export interface ClassKpi extends CountBalance {
  provisionRateBp: number;
  provisionFen: number;
}

/**
 * KPIs as of a date. Definitions: balance = outstanding principal of the loans on the books (disbursed, neither
 * closed nor written off by then); overdue = DPD > 0; NPL = classed 次级, 可疑 or 损失. Each ratio divides by the
 * balance (or the count). Amounts are integer fen; ratios are decimals (0.0123 = 1.23 %), null over zero.
 */
export interface Kpis {
  asOf: string;
  /** 'snapshot': read from the stored snapshot in force for the date; 'live': computed now, nothing stored. */
  source: 'snapshot' | 'live';
  snapshotId: number | null;
  takenAt: string | null;
  loans: number;
  balanceFen: number;
  overdueLoans: number;
  overdueBalanceFen: number;
  /** overdueBalanceFen ÷ balanceFen. */
  overdueRate: number | null;
  /** overdueLoans ÷ loans. */
  overdueCountRate: number | null;
  nplLoans: number;
  nplBalanceFen: number;
  nplRatio: number | null;
  byClass: Record<ClassificationLevel, ClassKpi>;
  byBucket: Record<DpdBucket, CountBalance>;
  /** Σ per loan of balance × its class's rate, half-up to the fen; for factoring at least the reserve floor. */
  provisionRequiredFen: number;
  /** What was booked, as recorded for the date; null if nothing was recorded. */
  provisionHeldFen: number | null;
  /** 拨备覆盖率: provision (held if recorded, else required) ÷ NPL balance. */
  coverageRatio: number | null;
  coverageBasis: 'held' | 'required';
  /** 拨贷比: provision (same basis) ÷ balance. */
  provisionRatio: number | null;
  factoring: { loans: number; balanceFen: number; classProvisionFen: number; reserveMinFen: number };
  rates: ProvisionRates;
  activity: SnapshotActivity;
  /** Loans whose state on the date could not be fully replayed from the recorded history (see DECISIONS). */
  historyGaps: number;
}

export interface TrendPoint {
  asOf: string;
  /** Null: no snapshot for that month-end. */
  snapshotId: number | null;
  balanceFen: number | null;
  byClass: Record<ClassificationLevel, number> | null;
  nplRatio: number | null;
  overdueRate: number | null;
}

export interface MigrationMatrix {
  fromAsOf: string;
  asOf: string;
  fromSource: 'snapshot' | 'live';
  toSource: 'snapshot' | 'live';
  /** Rows: the class at `fromAsOf`; columns: the class at `asOf`, or where the loan went. */
  byClass: { from: ClassificationLevel; to: Record<ClassificationLevel | 'closed' | 'written-off', CountBalance> }[];
  byBucket: { from: DpdBucket; to: Record<DpdBucket | 'closed' | 'written-off', CountBalance> }[];
  /** Loans on the books at `asOf` that were not at `fromAsOf`. */
  newLoans: CountBalance;
}

export interface ShareRow {
  key: string;
  count: number;
  balanceFen: number;
  share: number | null;
}

export interface Concentration {
  asOf: string;
  source: 'snapshot' | 'live';
  balanceFen: number;
  topBorrowers: (ShareRow & { borrowerId: number })[];
  /** The ten largest borrowers' balance ÷ the whole balance. */
  top10Share: number | null;
  largestShare: number | null;
  byIndustry: ShareRow[];
  byProduct: ShareRow[];
  /**
   * Factoring (保理) against the 205号 limits: the factoring balance (the risk assets here) by account debtor — each
   * financing's balance spread over its receivables' debtors by invoice amount — and by seller; and the debtors
   * marked related parties (关联方) together. `breaches` counts the debtors above their limit and the related-party
   * total when it is above its own.
   */
  factoring: { balanceFen: number; limits: ConcentrationLimits; byDebtor: FactoringShareRow[]; bySeller: ShareRow[]; relatedParty: RelatedPartyTotal; breaches: number };
}

export interface VintageRow {
  /** Disbursement quarter, e.g. 2026Q1. */
  vintage: string;
  loans: number;
  principalFen: number;
  balanceFen: number;
  overdueBalanceFen: number;
  nplBalanceFen: number;
  /** NPL balance ÷ principal disbursed. */
  nplOfPrincipal: number | null;
}

export interface VintagePoint {
  /** Months on book: the month-ends since the vintage quarter began (the end of its first month is 1). */
  mob: number;
  asOf: string;
  /** Balance of the vintage's loans more than 30 days past due at that month-end (from its snapshot). */
  over30Fen: number;
  /** over30Fen ÷ the vintage's principal drawn by then. */
  ratio: number | null;
}

export interface VintageCurve {
  vintage: string;
  points: VintagePoint[];
}

export interface Vintage {
  asOf: string;
  source: 'snapshot' | 'live';
  rows: VintageRow[];
  /** Per disbursement quarter, the balance > 30 days past due against months on book, from the month-end snapshots up to asOf (at most 24); month-ends without a snapshot are left out. */
  curves: VintageCurve[];
}

export type AgeingBucket = 'current' | '1-30' | '31-60' | '61-90' | '91-180' | '181+';

/** The factoring receivables outstanding at `asOf`, by days past their due date ('current': not yet due). */
export interface FactoringAgeing {
  asOf: string;
  outstandingFen: number;
  buckets: { bucket: AgeingBucket; count: number; outstandingFen: number; share: number | null }[];
}

/** Everything the monthly report (PDF and workbook) prints, of one date. */
export interface MonthlyFigures {
  k: Kpis;
  c: Concentration;
  /** From the month-end before the date. */
  m: MigrationMatrix;
  v: Vintage;
  ageing: FactoringAgeing;
}

export interface ConcentrationLimits {
  /** One account debtor's share of the factoring risk assets, at most (205号: 50 %). */
  debtorMaxBp: number;
  /** Related-party debtors' share, at most (205号: 40 %). */
  relatedMaxBp: number;
}

export interface FactoringShareRow extends ShareRow {
  /** Share above the limit. */
  breach: boolean;
  /** The debtor is a related party (关联方) of the company. */
  relatedParty: boolean;
}

/** The related-party debtors together, against `relatedMaxBp`. */
export interface RelatedPartyTotal {
  debtors: number;
  balanceFen: number;
  share: number | null;
  /** Share above the limit. */
  breach: boolean;
}

const asOfInput = z.object({ asOf: date }).strict();
const bp = z.number().int().min(0).max(10_000);

export const managementReportsChannels = {
  'managementReports.snapshots': z.object({}).strict(),
  'managementReports.takeSnapshot': asOfInput,
  'managementReports.retakeSnapshot': z.object({ asOf: date, reason: text(500) }).strict(),
  'managementReports.kpis': asOfInput,
  'managementReports.trend': z.object({ asOf: date, months: z.number().int().min(1).max(36) }).strict(),
  'managementReports.migration': z.object({ fromAsOf: date, asOf: date }).strict(),
  'managementReports.concentration': asOfInput,
  'managementReports.vintage': asOfInput,
  'managementReports.provisionRates': z.object({}).strict(),
  'managementReports.setProvisionRates': z
    .object({
      byLevel: z.object({ normal: bp, 'special-mention': bp, substandard: bp, doubtful: bp, loss: bp }).strict(),
      factoringReserveMinBp: bp,
    })
    .strict(),
  'managementReports.concentrationLimits': z.object({}).strict(),
  /** The 205号 limits in basis points: a per cent with at most two decimals, 0–100. */
  'managementReports.setConcentrationLimits': z.object({ debtorMaxBp: bp, relatedMaxBp: bp }).strict(),
  'managementReports.recordProvisionHeld': z.object({ asOf: date, heldFen: fenOrZero, note: optionalText(500) }).strict(),
  'managementReports.xlsx': asOfInput,
  'managementReports.pdf': asOfInput,
};

/**
 * Supervisors and risk officers read the reports and take a missing snapshot; re-taking a date that has one is
 * the supervisor's (classification.approve), with a reason; the provisioning rates and the concentration limits
 * are settings.
 */
export const managementReportsAccess = {
  'managementReports.snapshots': reads('portfolio.reports'),
  'managementReports.takeSnapshot': writes('portfolio.reports'),
  'managementReports.retakeSnapshot': writes('classification.approve'),
  'managementReports.kpis': reads('portfolio.reports'),
  'managementReports.trend': reads('portfolio.reports'),
  'managementReports.migration': reads('portfolio.reports'),
  'managementReports.concentration': reads('portfolio.reports'),
  'managementReports.vintage': reads('portfolio.reports'),
  'managementReports.provisionRates': reads(['portfolio.reports', 'settings.manage']),
  'managementReports.setProvisionRates': writes('settings.manage'),
  'managementReports.concentrationLimits': reads(['portfolio.reports', 'settings.manage']),
  'managementReports.setConcentrationLimits': writes('settings.manage'),
  'managementReports.recordProvisionHeld': writes('portfolio.reports'),
  'managementReports.xlsx': reads('portfolio.reports'),
  'managementReports.pdf': reads('portfolio.reports'),
} satisfies AccessOf<typeof managementReportsChannels>;

export interface ManagementReportsOutputs {
  'managementReports.snapshots': SnapshotView[];
  'managementReports.takeSnapshot': SnapshotView;
  'managementReports.retakeSnapshot': SnapshotView;
  'managementReports.kpis': Kpis;
  'managementReports.trend': TrendPoint[];
  'managementReports.migration': MigrationMatrix;
  'managementReports.concentration': Concentration;
  'managementReports.vintage': Vintage;
  'managementReports.provisionRates': ProvisionRates;
  'managementReports.setProvisionRates': ProvisionRates;
  'managementReports.concentrationLimits': ConcentrationLimits;
  'managementReports.setConcentrationLimits': ConcentrationLimits;
  'managementReports.recordProvisionHeld': { asOf: string; heldFen: number };
  'managementReports.xlsx': { fileName: string; base64: string };
  'managementReports.pdf': { fileName: string; base64: string };
}
