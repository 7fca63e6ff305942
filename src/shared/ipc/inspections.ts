import { z } from 'zod';
import { date, id, optionalText, text, username } from './fields';
import { reads, writes, type AccessOf } from './access';
import type { ExportedFile } from './listExport';
import type { InspectionReason } from '../domain/inspectionPlan';

export const INSPECTION_KINDS = ['first', 'routine', 'pre-maturity', 'special'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];
export type ReportStatus = 'draft' | 'submitted' | 'returned' | 'signed' | 'accepted' | 'superseded';

export interface InspectionView {
  id: number;
  loanId: number;
  contractNo: string;
  borrowerName: string;
  officer: string;
  kind: InspectionKind;
  dueDate: string;
  /** Why it is planned, as a code; worded by `wordInspectionReason` (shared/i18n/reasons.ts). */
  reason: InspectionReason;
  /** The serious warning's signal, in both languages, for a special inspection. */
  signal: { zh: string; en: string } | null;
  status: 'planned' | 'done' | 'cancelled';
  warningId: number | null;
  overdue: boolean;
  /** The due date falls in a year without a holiday calendar (暂定). */
  provisional: boolean;
  report: { id: number; status: ReportStatus } | null;
}

export interface CalendarYearView {
  year: number;
  source: string;
  holidays: string[];
  workdays: string[];
  imported: boolean;
}

/** Due on or after `dueFrom` (optional) and on or before `dueBefore`: either end may be open. */
const inspectionsListShape = {
  loanId: id.nullable(),
  status: z.enum(['planned', 'done', 'cancelled']).nullable(),
  dueFrom: date.nullish(),
  dueBefore: date.nullable(),
};
const dueInOrder = (v: { dueFrom?: string | null; dueBefore: string | null }, ctx: z.RefinementCtx) => {
  if (v.dueFrom && v.dueBefore && v.dueFrom > v.dueBefore) ctx.addIssue({ code: 'custom', path: ['dueBefore'], message: 'validation.dateRange' });
};
const inspectionsListInput = z.object(inspectionsListShape).strict().superRefine(dueInOrder);

export const inspectionsChannels = {
  'inspections.list': inspectionsListInput,
  /** The list's input, and the page's own narrowing of what it returned (kind, officer, overdue only). */
  'inspections.exportXlsx': z
    .object({
      ...inspectionsListShape,
      kind: z.enum(['first', 'routine', 'pre-maturity', 'special']).nullable(),
      officer: username.nullable(),
      overdueOnly: z.boolean(),
    })
    .strict()
    .superRefine(dueInOrder),
  'calendar.list': z.object({}).strict(),
  'calendar.import': z.object({ fileName: text(200), text: optionalText(200_000) }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const inspectionsAccess = {
  'inspections.list': reads('portfolio.read', 'loan'),
  // Writes only its audit entry (who exported which list with which filters).
  'inspections.exportXlsx': writes('portfolio.read', 'loan'),
  'calendar.list': reads('settings.manage'),
  'calendar.import': writes('settings.manage'),
} satisfies AccessOf<typeof inspectionsChannels>;

export interface InspectionsOutputs {
  'inspections.list': InspectionView[];
  'inspections.exportXlsx': ExportedFile;
  'calendar.list': CalendarYearView[];
  'calendar.import': CalendarYearView[];
}
