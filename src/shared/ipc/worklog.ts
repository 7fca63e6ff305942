import { z } from 'zod';
import { date, datesInOrder, id, text, username } from './fields';
import { reads, writes, type AccessOf } from './access';
import type { ExportedFile } from './listExport';

export const WORKLOG_KINDS = ['call', 'visit', 'finding', 'message', 'other'] as const;
export type WorklogKind = (typeof WORKLOG_KINDS)[number];

/**
 * What the log lists: the entries written in it, and the collection contacts (催收记录) and promises to pay
 * (还款承诺) recorded on the borrower's loans, read from their own tables, so that nothing is entered twice.
 */
export const WORKLOG_SOURCES = ['worklog', 'contact', 'promise'] as const;
export type WorklogSource = (typeof WORKLOG_SOURCES)[number];
/** An entry's kind as listed and filtered: a written entry's own kind, or `contact` / `promise`. */
export const WORKLOG_ENTRY_KINDS = [...WORKLOG_KINDS, 'contact', 'promise'] as const;
export type WorklogEntryKind = (typeof WORKLOG_ENTRY_KINDS)[number];

export interface WorklogView {
  /** Where the entry is kept; `id` is its row there (only a `worklog` entry takes a comment). */
  source: WorklogSource;
  id: number;
  borrowerId: number;
  borrowerName: string;
  loanId: number | null;
  contractNo: string | null;
  entryDate: string;
  kind: WorklogEntryKind;
  /** The entry's text; a contact's or promise's note. */
  content: string;
  author: string;
  createdAt: string;
  /** When a written entry's comment is due; null for contacts and promises, which take none. */
  commentDue: string | null;
  /** Not yet commented and past its due date. */
  commentOverdue: boolean;
  supervisorComment: string | null;
  commentedBy: string | null;
  commentedAt: string | null;
  /** A collection contact: how, whom, with what outcome. */
  contact: { channel: 'call' | 'visit' | 'letter' | 'message'; target: string; outcome: 'reached' | 'promised' | 'refused' | 'wrong-number' | 'no-answer' | 'other' } | null;
  /** A promise to pay: how much, by when. */
  promise: { amountFen: number; promiseDate: string } | null;
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
  /** The month's minimum for a normal customer (系统设置; good and risk customers have their own). */
  minPerMonth: number;
  /** Distinct borrowers with an active loan (a borrower two officers share counts once). */
  total: number;
  /** Of those, the borrowers below their month's minimum, each once. */
  behind: number;
  /** One per borrower and responsible officer, behind first; at most 2,000 rows. */
  rows: WorklogGapRow[];
  officers: WorklogOfficerGap[];
}

/** 'YYYY-MM', years 2000–2200. */
export const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .refine((m) => Number(m.slice(0, 4)) >= 2000 && Number(m.slice(0, 4)) <= 2200);

/**
 * The log's search and filters, each optional: text in the entry (or the contact's target), the borrower's name
 * or the contract number; who wrote it; from and to which entry date; which kind.
 */
export const worklogFilters = {
  query: z.string().trim().max(100).nullish(),
  officer: username.nullish(),
  from: date.nullish(),
  to: date.nullish(),
  kind: z.enum(WORKLOG_ENTRY_KINDS).nullish(),
};
export type WorklogFilters = z.output<z.ZodObject<typeof worklogFilters>>;

const worklogListInput = z
  .object({ borrowerId: id.nullable(), loanId: id.nullable(), ...worklogFilters })
  .strict()
  .superRefine(datesInOrder);

export const worklogChannels = {
  'worklog.add': z
    .object({ borrowerId: id, loanId: id.nullable(), entryDate: date, kind: z.enum(WORKLOG_KINDS), content: text(4000) })
    .strict(),
  'worklog.comment': z.object({ entryId: id, comment: text(1000) }).strict(),
  'worklog.list': worklogListInput,
  /** The whole log as the page searches it, a page at a time. */
  'worklog.search': z
    .object({ ...worklogFilters, limit: z.number().int().min(1).max(1000), offset: z.number().int().min(0).max(10_000_000) })
    .strict()
    .superRefine(datesInOrder),
  'worklog.exportXlsx': worklogListInput,
  'worklog.gaps': z.object({ month }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const worklogAccess = {
  'worklog.add': writes('worklog.write', 'borrower'),
  'worklog.comment': writes('worklog.comment', 'borrower'),
  'worklog.list': reads('portfolio.read', 'borrower'),
  // Officers find only what they wrote and their own borrowers' log.
  'worklog.search': reads('portfolio.read'),
  // Writes only its audit entry (who exported which list with which filters).
  'worklog.exportXlsx': writes('portfolio.read', 'borrower'),
  'worklog.gaps': reads('portfolio.read'),
} satisfies AccessOf<typeof worklogChannels>;

export interface WorklogOutputs {
  'worklog.add': WorklogView;
  'worklog.comment': WorklogView;
  'worklog.list': WorklogView[];
  'worklog.search': { total: number; rows: WorklogView[] };
  'worklog.exportXlsx': ExportedFile;
  'worklog.gaps': WorklogGaps;
}
