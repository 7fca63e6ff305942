import { z } from 'zod';
import type { ClassificationLevel } from '../domain/classification';
import type { InspectionKind } from './inspections';
import type { ArchiveGap } from './archive';
import type { LoanChangeView } from './loanChanges';
import type { NplMethod } from './legal';
import type { ReportQueueItem } from './reports';
import type { WarningLevel, WarningStatus } from './warnings';
import type { WorklogKind, WorklogOfficerGap } from './worklog';
import { reads, type AccessOf } from './access';

export interface TodayInspection {
  inspectionId: number;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  officer: string;
  kind: InspectionKind;
  dueDate: string;
  overdue: boolean;
  /** The due date falls in a year without a holiday calendar (暂定). */
  provisional: boolean;
  warningId: number | null;
}

export interface TodayWarning {
  warningId: number;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  signalNames: { zh: string; en: string };
  level: WarningLevel;
  status: WarningStatus;
  owner: string;
  raisedAt: string;
  planDue: string;
  /** The handling plan's due date has passed. */
  overdue: boolean;
  inspectionId: number | null;
}

export interface TodayGap {
  borrowerId: number;
  borrowerName: string;
  officer: string;
  entries: number;
  lastEntryDate: string | null;
}

export interface TodayComment {
  entryId: number;
  borrowerId: number;
  borrowerName: string;
  loanId: number | null;
  author: string;
  kind: WorklogKind;
  entryDate: string;
  commentDue: string;
  overdue: boolean;
}

export interface TodayClassification {
  proposalId: number;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  level: ClassificationLevel;
  proposedBy: string;
  proposedAt: string;
}

export interface TodayReminder {
  loanId: number;
  contractNo: string;
  borrowerName: string;
  borrowerPhone: string;
  period: number;
  dueDate: string;
  /** What is still owed on the instalment after payments made so far. */
  amountDueFen: number;
  /** Days from today to the due date, 0–3. */
  daysLeft: number;
}

export interface TodayCounts {
  inspections: number;
  inspectionsOverdue: number;
  reportsToWrite: number;
  reportsToReview: number;
  reportsToAccept: number;
  warningsToHandle: number;
  warningsToConfirm: number;
  reviewSuggested: number;
  worklogBehind: number;
  commentsDue: number;
  commentsOverdue: number;
  classifications: number;
  reminders: number;
}

/**
 * A deadline of an open legal case: 'enforcement' — the last day to apply for enforcement (民事诉讼法 Art. 250),
 * not yet applied for; 'preservation' — the end of an asset preservation not released (subject: what is frozen).
 */
export interface TodayLegal {
  loanId: number;
  contractNo: string;
  borrowerName: string;
  caseNo: string;
  kind: 'enforcement' | 'preservation';
  subject: string;
  due: string;
  /** Negative once passed. */
  daysLeft: number;
}

/** A disposal plan (处置方案) of a non-performing loan waiting for this approver (not their own). */
export interface TodayPlan {
  planId: number;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  method: NplMethod;
  proposedBy: string;
  proposedAt: string;
}

export interface TodayCollections {
  limitation: { loanId: number; contractNo: string; borrowerName: string; expiry: string; daysLeft: number; warning: 'expired' | '30' | '90' | '180' }[];
  brokenPromises: { promiseId: number; loanId: number; contractNo: string; borrowerName: string; amountFen: number; promiseDate: string; paidFen: number }[];
  receiptsToChase: { serial: string; loanId: number; contractNo: string; addressee: string; printedOn: string }[];
  changesToDecide: LoanChangeView[];
  legal: TodayLegal[];
  plansToDecide: TodayPlan[];
  counts: { limitation: number; brokenPromises: number; receiptsToChase: number; changesToDecide: number; legal: number; plansToDecide: number };
}

export interface TodayArchive {
  overdueLendings: { loanId: number; contractNo: string; borrowerUser: string; dueBack: string; daysOver: number }[];
  gaps: ArchiveGap[];
  counts: { overdueLendings: number; gaps: number };
}

/** The home page lists planned inspections due within this many days of today (and those overdue). */
export const INSPECTION_HORIZON_DAYS = 7;

/** Lists hold at most 100 items each (reports: 500); `counts` count everything. */
export interface TodayView {
  asOf: string;
  month: string;
  counts: TodayCounts;
  inspections: TodayInspection[];
  reports: { toWrite: ReportQueueItem[]; toReview: ReportQueueItem[]; toAccept: ReportQueueItem[] };
  warnings: { toHandle: TodayWarning[]; toConfirm: TodayWarning[]; reviewSuggested: TodayWarning[] };
  worklog: { behind: TodayGap[]; byOfficer: WorklogOfficerGap[]; commentsDue: TodayComment[] };
  classifications: TodayClassification[];
  reminders: TodayReminder[];
  /** How many days ahead `reminders` looks (the reminder lead setting). */
  reminderDays: number;
  /** Limitation warnings, broken promises, receipts to chase, requests to decide. */
  collections: TodayCollections | null;
  /** Paper files out too long, incomplete files. */
  archive: TodayArchive | null;
}

export const todayChannels = {
  'today.get': z.object({}).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const todayAccess = {
  // Each role's own worklist; officers' lists hold only their loans.
  'today.get': reads('signed-in'),
} satisfies AccessOf<typeof todayChannels>;

export interface TodayOutputs {
  'today.get': TodayView;
}
