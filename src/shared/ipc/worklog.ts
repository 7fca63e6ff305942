import { z } from 'zod';
import { date, id, text } from './fields';
import { reads, writes, type AccessOf } from './access';
import type { ExportedFile } from './listExport';

export const WORKLOG_KINDS = ['call', 'visit', 'finding', 'message', 'other'] as const;
export type WorklogKind = (typeof WORKLOG_KINDS)[number];

/** The usual rule: at least one entry a month for every borrower with an active loan. */
export const WORKLOG_MIN_PER_MONTH = 1;

export interface WorklogView {
  id: number;
  borrowerId: number;
  borrowerName: string;
  loanId: number | null;
  contractNo: string | null;
  entryDate: string;
  kind: WorklogKind;
  content: string;
  author: string;
  createdAt: string;
  commentDue: string;
  /** Not yet commented and past its due date. */
  commentOverdue: boolean;
  supervisorComment: string | null;
  commentedBy: string | null;
  commentedAt: string | null;
}

export interface WorklogGapRow {
  borrowerId: number;
  borrowerName: string;
  /** The officer responsible for one of the borrower's active loans; a borrower with two officers has a row for each. */
  officer: string;
  entries: number;
  lastEntryDate: string | null;
  behind: boolean;
}

export interface WorklogOfficerGap {
  officer: string;
  borrowers: number;
  behind: number;
  entries: number;
}

export interface WorklogGaps {
  month: string;
  minPerMonth: number;
  total: number;
  /** Behind first; at most 2,000 rows (`total` counts them all). */
  rows: WorklogGapRow[];
  officers: WorklogOfficerGap[];
}

/** 'YYYY-MM', years 2000–2200. */
export const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .refine((m) => Number(m.slice(0, 4)) >= 2000 && Number(m.slice(0, 4)) <= 2200);

const worklogListInput = z.object({ borrowerId: id.nullable(), loanId: id.nullable() }).strict();

export const worklogChannels = {
  'worklog.add': z
    .object({ borrowerId: id, loanId: id.nullable(), entryDate: date, kind: z.enum(WORKLOG_KINDS), content: text(4000) })
    .strict(),
  'worklog.comment': z.object({ entryId: id, comment: text(1000) }).strict(),
  'worklog.list': worklogListInput,
  'worklog.exportXlsx': worklogListInput,
  'worklog.gaps': z.object({ month }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const worklogAccess = {
  'worklog.add': writes('worklog.write', 'borrower'),
  'worklog.comment': writes('worklog.comment', 'borrower'),
  'worklog.list': reads('portfolio.read', 'borrower'),
  // Writes only its audit entry (who exported which list with which filters).
  'worklog.exportXlsx': writes('portfolio.read', 'borrower'),
  'worklog.gaps': reads('portfolio.read'),
} satisfies AccessOf<typeof worklogChannels>;

export interface WorklogOutputs {
  'worklog.add': WorklogView;
  'worklog.comment': WorklogView;
  'worklog.list': WorklogView[];
  'worklog.exportXlsx': ExportedFile;
  'worklog.gaps': WorklogGaps;
}
