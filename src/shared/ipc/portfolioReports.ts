import { z } from 'zod';
import type { ClassificationLevel } from '../domain/classification';
import type { DelinquencyReason } from '../domain/delinquency';
import type { DpdBucket } from '../domain/overdue';
import type { LimitationEvidence } from './collections';
import { date, username } from './fields';
import { reads, type AccessOf } from './access';

/** 180/90/30: the warning a claim is under; `expired` once its last day has passed. */
export type LimitationBand = 'expired' | '30' | '90' | '180';
export const LIMITATION_BANDS: readonly LimitationBand[] = ['expired', '30', '90', '180'];

/**
 * One claim's clock: the borrower's limitation period, or a guarantor's — their own limitation period once
 * demanded within the guarantee period, otherwise the guarantee period itself, after which the guarantee lapses.
 */
export interface LimitationClaim {
  loanId: number;
  contractNo: string;
  borrowerName: string;
  officer: string;
  officerName: string;
  party: 'borrower' | 'guarantor';
  partyName: string;
  basis: 'limitation' | 'guarantee-period';
  expiry: string;
  daysLeft: number;
  band: LimitationBand;
  /** Newest first; the first one is what the expiry runs from. */
  evidence: LimitationEvidence[];
}

export interface LimitationReport {
  asOf: string;
  officer: string | null;
  claims: LimitationClaim[];
  counts: Record<LimitationBand, number>;
}

export interface CountBalance {
  count: number;
  balanceFen: number;
}

export interface OverdueBucketRow extends CountBalance {
  bucket: DpdBucket;
  /** Principal and interest past due, without penalty. */
  overdueFen: number;
  byLevel: Record<ClassificationLevel, CountBalance>;
}

export interface OverdueSummary {
  asOf: string;
  officer: string | null;
  /** Every bucket, M0 (current) to M7+, in order. */
  rows: OverdueBucketRow[];
  levels: Record<ClassificationLevel, CountBalance>;
  /** M1 and worse. */
  overdue: CountBalance & { overdueFen: number };
  /**
   * The overdue loans (M1 and worse) by 逾期原因: the latest reason recorded in the loan's current overdue spell
   * (on or after its oldest unpaid due date, up to asOf); `unknown` where none was recorded yet.
   */
  reasons: (CountBalance & { reason: DelinquencyReason | 'unknown'; overdueFen: number })[];
  total: CountBalance & { overdueFen: number };
}

const limitationInput = z.object({ officer: username.nullable() }).strict();
const overdueInput = z.object({ asOf: date.nullable(), officer: username.nullable() }).strict();

export const portfolioReportsChannels = {
  'portfolioReports.limitation': limitationInput,
  'portfolioReports.limitationXlsx': limitationInput,
  'portfolioReports.overdue': overdueInput,
  'portfolioReports.overdueXlsx': overdueInput,
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const portfolioReportsAccess = {
  'portfolioReports.limitation': reads('portfolio.reports'),
  'portfolioReports.limitationXlsx': reads('portfolio.reports'),
  'portfolioReports.overdue': reads('portfolio.reports'),
  'portfolioReports.overdueXlsx': reads('portfolio.reports'),
} satisfies AccessOf<typeof portfolioReportsChannels>;

export interface PortfolioReportsOutputs {
  'portfolioReports.limitation': LimitationReport;
  'portfolioReports.limitationXlsx': { fileName: string; base64: string };
  'portfolioReports.overdue': OverdueSummary;
  'portfolioReports.overdueXlsx': { fileName: string; base64: string };
}
