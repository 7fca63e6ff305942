import { z } from 'zod';
import { DPD_BUCKETS, LEVELS } from '../../shared/domain';
import { PARTY_KINDS, TIERS } from '../../shared/ipc/borrowers';
import { INSPECTION_KINDS } from '../../shared/ipc/inspections';
import { LOAN_STATUSES } from '../../shared/ipc/loans';
import { WORKLOG_ENTRY_KINDS } from '../../shared/ipc/worklog';

/** Loan list filters as they stand in the URL. `bucket: 'M1+'` is every overdue loan (any bucket past M0). */
export const LOAN_BUCKET_FILTERS = ['M1+', ...DPD_BUCKETS] as const;
export type LoanBucketFilter = (typeof LOAN_BUCKET_FILTERS)[number];
export const LOAN_SORTS = ['contractNo', 'borrowerName', 'balanceFen', 'dpd', 'maturityDate'] as const;

/** A filter the URL does not state has its default; a malformed one falls back to it rather than failing the page. */
export const loanSearch = z.object({
  query: z.string().max(100).optional().catch(undefined),
  officer: z.string().max(32).optional().catch(undefined),
  bucket: z.enum(LOAN_BUCKET_FILTERS).optional().catch(undefined),
  level: z.enum(LEVELS).optional().catch(undefined),
  /** 'all' shows every status; absent means active loans. */
  status: z.enum([...LOAN_STATUSES, 'all']).optional().catch(undefined),
  sort: z.enum(LOAN_SORTS).optional().catch(undefined),
  direction: z.enum(['asc', 'desc']).optional().catch(undefined),
});
export type LoanSearch = z.output<typeof loanSearch>;

/** Borrower list filters as they stand in the URL. */
export const borrowerSearch = z.object({
  query: z.string().max(100).optional().catch(undefined),
  kind: z.enum(PARTY_KINDS).optional().catch(undefined),
  tier: z.enum(TIERS).optional().catch(undefined),
  sort: z.enum(['name', 'idNumber', 'tier', 'loanCount', 'balanceFen']).optional().catch(undefined),
  direction: z.enum(['asc', 'desc']).optional().catch(undefined),
});
export type BorrowerSearch = z.output<typeof borrowerSearch>;

const optionalId = z.coerce.number().int().positive().optional().catch(undefined);
const optionalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

/** Audit log filters as they stand in the URL. */
export const auditSearch = z.object({
  actor: z.string().max(32).optional().catch(undefined),
  from: optionalDate,
  to: optionalDate,
  contractNo: z.string().max(64).optional().catch(undefined),
  action: z.string().max(64).optional().catch(undefined),
});
export type AuditSearch = z.output<typeof auditSearch>;

/** Inspection list filters as they stand in the URL; absent status means planned visits. */
export const inspectionSearch = z.object({
  status: z.enum(['planned', 'done', 'cancelled', 'all']).optional().catch(undefined),
  kind: z.enum(INSPECTION_KINDS).optional().catch(undefined),
  officer: z.string().max(32).optional().catch(undefined),
  overdue: z.boolean().optional().catch(undefined),
  dueFrom: optionalDate,
  dueTo: optionalDate,
});
export type InspectionSearch = z.output<typeof inspectionSearch>;

export const ARCHIVE_TABS = ['lendings', 'gaps', 'docTypes', 'destruction', 'export', 'verify', 'handover', 'imported'] as const;
/** The archive page's tab, and the archive gaps' missing item (a document type's code). */
export const archiveSearch = z.object({
  tab: z.enum(ARCHIVE_TABS).optional().catch(undefined),
  missing: z
    .string()
    .regex(/^[a-z0-9-]{2,40}$/)
    .optional()
    .catch(undefined),
});
export type ArchiveSearch = z.output<typeof archiveSearch>;

export const LOAN_TABS = ['schedule', 'drawdowns', 'repayments', 'guarantees', 'collateral', 'classification', 'ledger', 'factoring', 'inspections', 'warnings', 'worklog', 'collections', 'limitation', 'legal', 'documents', 'changes'] as const;
export const loanTabSearch = z.object({ tab: z.enum(LOAN_TABS).optional().catch(undefined) });
export const newLoanSearch = z.object({ kind: z.enum(['loan', 'factoring']).catch('loan'), borrowerId: optionalId });
export const newReportSearch = z.object({ loanId: optionalId });
export const warningSearch = z.object({ warningId: optionalId });

/** A path parameter that must be a record id. */
export const idParam = {
  parse: (p: Record<string, string>) => ({ id: Number(p.id) }),
  stringify: (p: { id: number }) => ({ id: String(p.id) }),
};

/** The work log page: one borrower's log, or the coverage, or every entry searched and filtered. */
export const worklogSearch = z.object({
  borrowerId: optionalId,
  view: z.enum(['coverage', 'entries']).optional().catch(undefined),
  query: z.string().max(100).optional().catch(undefined),
  officer: z.string().max(32).optional().catch(undefined),
  from: optionalDate,
  to: optionalDate,
  kind: z.enum(WORKLOG_ENTRY_KINDS).optional().catch(undefined),
});
export type WorklogSearch = z.output<typeof worklogSearch>;
