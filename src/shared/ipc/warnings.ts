import { z } from 'zod';
import { date, id, text } from './fields';
import { reads, writes, type AccessOf } from './access';
import type { ExportedFile } from './listExport';

export const SIGNAL_CATEGORIES = ['borrower', 'guarantor', 'collateral', 'factoring'] as const;
export type SignalCategory = (typeof SIGNAL_CATEGORIES)[number];
export const WARNING_LEVELS = ['light', 'medium', 'serious'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];
export type WarningStatus = 'raised' | 'planned' | 'feedback' | 'confirmed' | 'cleared' | 'escalated';
// Plain constants live in shared/domain (no zod), so the batch's worker loads them without the contract.
export { OPEN_WARNING_STATUSES, PLAN_DUE_DAYS } from '../domain/warnings';
/** Automatic rules the daily batch evaluates; a signal without a rule is raised by staff. */
export type AutoRule = 'dpd30' | 'dpd90' | 'debtRatio' | 'debtRatioJump' | 'missedInspection' | 'ltv';

export interface SignalView {
  id: number;
  code: string;
  category: SignalCategory;
  nameZh: string;
  nameEn: string;
  /** The name in the user's language. */
  name: string;
  level: WarningLevel;
  autoRule: AutoRule | null;
  active: boolean;
  updatedBy: string;
  updatedAt: string;
}

export type WarningDetailKind = 'dpd' | 'debtRatio' | 'debtRatioJump' | 'missedInspection' | 'ltv' | 'escalated' | 'lostContact' | 'misdirectedPayment' | 'dilution';
export type WarningDetail = { kind: 'text'; text: string } | { kind: WarningDetailKind; params: Record<string, string | number> };

export interface WarningView {
  id: number;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  signalId: number;
  signalCode: string;
  /** The signal's name in both languages; the reader picks (shared/i18n/warningDetails.ts `localName`). */
  signalNames: { zh: string; en: string };
  category: SignalCategory;
  level: WarningLevel;
  source: 'auto' | 'manual';
  status: WarningStatus;
  open: boolean;
  /** What was found: staff's words, or an automatic finding as a code with parameters (worded by `wordWarningDetail`). */
  detail: WarningDetail;
  /** The warning this one was escalated from. */
  escalatedFrom: number | null;
  owner: string;
  raisedBy: string;
  raisedAt: string;
  plan: string | null;
  planBy: string | null;
  planAt: string | null;
  /** 处置期限: the plan's due date, or before there is a plan PLAN_DUE_DAYS after the warning was raised. */
  planDue: string;
  planOverdue: boolean;
  feedback: string | null;
  feedbackBy: string | null;
  feedbackAt: string | null;
  confirmedBy: string | null;
  confirmedAt: string | null;
  closedNote: string | null;
  closedBy: string | null;
  closedAt: string | null;
  /** The special inspection planned for a serious warning. */
  inspectionId: number | null;
  /** An open serious warning with no classification proposal made for the loan since it was raised. */
  reviewSuggested: boolean;
}

const warningsListInput = z.object({ loanId: id.nullable(), status: z.enum(['open', 'closed', 'all']) }).strict();

export const warningsChannels = {
  'warnings.catalogue': z.object({}).strict(),
  'warnings.saveSignal': z
    .object({
      id: id.nullable(),
      nameZh: text(60),
      nameEn: text(120),
      level: z.enum(WARNING_LEVELS),
      category: z.enum(SIGNAL_CATEGORIES),
      active: z.boolean(),
    })
    .strict(),
  'warnings.raise': z.object({ loanId: id, signalId: id, detail: text(1000) }).strict(),
  'warnings.plan': z.object({ warningId: id, plan: text(2000), dueDate: date }).strict(),
  'warnings.feedback': z.object({ warningId: id, feedback: text(2000) }).strict(),
  'warnings.confirm': z.object({ warningId: id, outcome: z.enum(['clear', 'escalate']), note: text(1000) }).strict(),
  'warnings.list': warningsListInput,
  'warnings.exportXlsx': warningsListInput,
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const warningsAccess = {
  'warnings.catalogue': reads('portfolio.read'),
  'warnings.saveSignal': writes('warnings.catalogue'),
  'warnings.raise': writes('warnings.raise', 'loan'),
  'warnings.plan': writes('warnings.handle', 'loan'),
  'warnings.feedback': writes('warnings.handle', 'loan'),
  'warnings.confirm': writes('warnings.confirm', 'loan'),
  'warnings.list': reads('portfolio.read', 'loan'),
  // Writes only its audit entry (who exported which list with which filters).
  'warnings.exportXlsx': writes('portfolio.read', 'loan'),
} satisfies AccessOf<typeof warningsChannels>;

export interface WarningsOutputs {
  'warnings.catalogue': SignalView[];
  'warnings.saveSignal': SignalView;
  'warnings.raise': WarningView;
  'warnings.plan': WarningView;
  'warnings.feedback': WarningView;
  /** The confirmed warning; after an escalation, `escalation` is the new serious warning. */
  'warnings.confirm': { warning: WarningView; escalation: WarningView | null };
  'warnings.list': WarningView[];
  'warnings.exportXlsx': ExportedFile;
}
