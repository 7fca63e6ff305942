import { sql, type Kysely, type Transaction } from 'kysely';
import { addWorkingDays, endOfMonth } from '../../shared/domain';
import { AppError } from '../../shared/ipc/errors';
import { WORKLOG_MIN_PER_MONTH, type WorklogGaps, type WorklogKind, type WorklogOfficerGap, type WorklogView } from '../../shared/ipc/worklog';
import { seesAllLoans } from '../../shared/permissions';
import type { Database } from '../db/schema';
import { recordAudit } from '../kernel/audit';
import { findBorrower } from './borrowers';
import { workingCalendar } from './calendar';
import { type AppContext, today } from '../kernel/context';
import { visibleLoan, managedBy, managesBorrower, requirePermission } from '../kernel/authz';
import { requireStore } from '../kernel/store';

type Db = Kysely<Database> | Transaction<Database>;

/** Entries older than this are not accepted: a typo guard, and older contacts belong in the archive. */
export const EARLIEST_ENTRY = '2000-01-01';
/** The supervisor comments within this many working days of the entry being written. */
export const COMMENT_WITHIN_WORKING_DAYS = 2;

const onField = (code: 'VALIDATION' | 'RULE_VIOLATION', path: string, message: string) => new AppError(code, message, [{ path, message }]);

function base(db: Db) {
  return db
    .selectFrom('work_log as w')
    .innerJoin('borrowers as b', 'b.id', 'w.borrower_id')
    .leftJoin('loans as l', 'l.id', 'w.loan_id')
    .selectAll('w')
    .select(['b.name as borrower_name', 'l.contract_no']);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

function view(r: Row, now: string): WorklogView {
  return {
    id: r.id,
    borrowerId: r.borrower_id,
    borrowerName: r.borrower_name,
    loanId: r.loan_id,
    contractNo: r.contract_no,
    entryDate: r.entry_date,
    kind: r.kind,
    content: r.content,
    author: r.author,
    createdAt: r.created_at,
    commentDue: r.comment_due,
    commentOverdue: r.supervisor_comment === null && r.comment_due < now,
    supervisorComment: r.supervisor_comment,
    commentedBy: r.commented_by,
    commentedAt: r.commented_at,
  };
}

async function getEntry(ctx: AppContext, db: Db, id: number): Promise<WorklogView> {
  return view(await base(db).where('w.id', '=', id).executeTakeFirstOrThrow(), today(ctx));
}

export async function addWorklog(
  ctx: AppContext,
  input: { borrowerId: number; loanId: number | null; entryDate: string; kind: WorklogKind; content: string },
): Promise<WorklogView> {
  const s = requirePermission(ctx, 'worklog.write');
  const store = requireStore(ctx);
  await findBorrower(ctx, store, input.borrowerId);
  if (input.loanId) {
    const loan = await visibleLoan(ctx, store, s, input.loanId);
    if (loan.borrower_id !== input.borrowerId) throw onField('VALIDATION', 'loanId', ctx.t('errors.worklogLoanMismatch'));
  } else if (!(await managesBorrower(store.db, s, input.borrowerId))) {
    throw new AppError('FORBIDDEN', ctx.t('errors.notYourBorrower'));
  }
  const now = today(ctx);
  if (input.entryDate > now) throw onField('RULE_VIOLATION', 'entryDate', ctx.t('errors.worklogInFuture'));
  if (input.entryDate < EARLIEST_ENTRY) throw onField('RULE_VIOLATION', 'entryDate', ctx.t('errors.worklogTooEarly', { date: EARLIEST_ENTRY }));
  // Counted from the day it is written: a back-dated entry still gives the supervisor the full time to comment.
  const commentDue = addWorkingDays(now, COMMENT_WITHIN_WORKING_DAYS, await workingCalendar(store.db));
  const at = ctx.nowIso();
  const id = await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('work_log')
      .values({
        borrower_id: input.borrowerId,
        loan_id: input.loanId,
        entry_date: input.entryDate,
        kind: input.kind,
        content: input.content,
        author: s.username,
        created_at: at,
        comment_due: commentDue,
        supervisor_comment: null,
        commented_by: null,
        commented_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, at, { actor: s.username, action: 'worklog.add', entity: 'worklog', entityId: String(r.id), detail: { ...input, commentDue } });
    return r.id;
  });
  return getEntry(ctx, store.db, id);
}

/** One comment per entry, by a supervisor who did not write it. */
export async function commentWorklog(ctx: AppContext, input: { entryId: number; comment: string }): Promise<WorklogView> {
  const s = requirePermission(ctx, 'worklog.comment');
  const store = requireStore(ctx);
  const e = await store.db.selectFrom('work_log').selectAll().where('id', '=', input.entryId).executeTakeFirst();
  if (!e) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchWorklog'));
  if (!(await managesBorrower(store.db, s, e.borrower_id))) throw new AppError('FORBIDDEN', ctx.t('errors.notYourBorrower'));
  if (e.author === s.username) throw new AppError('RULE_VIOLATION', ctx.t('errors.ownWorklog'));
  if (e.supervisor_comment !== null) throw new AppError('CONFLICT', ctx.t('errors.worklogCommented', { by: e.commented_by ?? '' }));
  const at = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('work_log')
      .set({ supervisor_comment: input.comment, commented_by: s.username, commented_at: at })
      .where('id', '=', e.id)
      .where('supervisor_comment', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('CONFLICT', ctx.t('errors.worklogCommented', { by: '' }));
    await recordAudit(trx, at, {
      actor: s.username,
      action: 'worklog.comment',
      entity: 'worklog',
      entityId: String(e.id),
      detail: { comment: input.comment, author: e.author, commentDue: e.comment_due, late: today(ctx) > e.comment_due },
    });
  });
  return getEntry(ctx, store.db, e.id);
}

export async function listWorklog(ctx: AppContext, input: { borrowerId: number | null; loanId: number | null }): Promise<WorklogView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  if (input.loanId) await visibleLoan(ctx, store, s, input.loanId);
  if (input.borrowerId) {
    await findBorrower(ctx, store, input.borrowerId);
    if (!(await managesBorrower(store.db, s, input.borrowerId))) throw new AppError('FORBIDDEN', ctx.t('errors.notYourBorrower'));
  }
  let q = base(store.db);
  if (input.borrowerId) q = q.where('w.borrower_id', '=', input.borrowerId);
  if (input.loanId) q = q.where('w.loan_id', '=', input.loanId);
  if (!seesAllLoans(s.roles)) {
    // Officers see what they wrote and the log of the borrowers they manage.
    q = q.where((eb) =>
      eb.or([
        eb('w.author', '=', s.username),
        managedBy(s.username, 'w.borrower_id'),
      ]),
    );
  }
  const rows = await q.orderBy('w.entry_date', 'desc').orderBy('w.id', 'desc').limit(1000).execute();
  const now = today(ctx);
  return rows.map((r) => view(r, now));
}

export function monthBounds(month: string): { first: string; last: string } {
  const first = `${month}-01`;
  return { first, last: endOfMonth(first) };
}

/**
 * Work-log coverage for a month: every borrower with an active loan, per responsible officer, with that month's
 * entries and the last entry up to the month's end; `officer` narrows it to one officer's borrowers.
 */
export async function worklogGapsFor(db: Db, officer: string | null, month: string, limit: number): Promise<WorklogGaps> {
  const { first, last } = monthBounds(month);
  const pairs = sql`SELECT DISTINCT l.borrower_id, l.officer FROM loans l WHERE l.status = 'active' ${officer === null ? sql`` : sql`AND l.officer = ${officer}`}`;
  const rowsSql = sql<{ borrower_id: number; name: string; officer: string; entries: number; last_entry: string | null }>`
    SELECT p.borrower_id, b.name, p.officer, coalesce(m.n, 0) AS entries, e.last_entry
    FROM (${pairs}) p
    JOIN borrowers b ON b.id = p.borrower_id
    LEFT JOIN (SELECT borrower_id, count(*) AS n FROM work_log WHERE entry_date BETWEEN ${first} AND ${last} GROUP BY borrower_id) m ON m.borrower_id = p.borrower_id
    LEFT JOIN (SELECT borrower_id, max(entry_date) AS last_entry FROM work_log WHERE entry_date <= ${last} GROUP BY borrower_id) e ON e.borrower_id = p.borrower_id`;
  const rows = await sql<{ borrower_id: number; name: string; officer: string; entries: number; last_entry: string | null }>`
    SELECT * FROM (${rowsSql}) r ORDER BY (r.entries < ${WORKLOG_MIN_PER_MONTH}) DESC, r.officer, r.last_entry IS NOT NULL, r.last_entry, r.name, r.borrower_id LIMIT ${limit}`.execute(db);
  const officers = await sql<{ officer: string; borrowers: number; behind: number; entries: number }>`
    SELECT r.officer, count(*) AS borrowers, sum(r.entries < ${WORKLOG_MIN_PER_MONTH}) AS behind, sum(r.entries) AS entries
    FROM (${rowsSql}) r GROUP BY r.officer ORDER BY r.officer`.execute(db);
  const byOfficer: WorklogOfficerGap[] = officers.rows.map((o) => ({ officer: o.officer, borrowers: o.borrowers, behind: o.behind, entries: o.entries }));
  return {
    month,
    minPerMonth: WORKLOG_MIN_PER_MONTH,
    total: byOfficer.reduce((n, o) => n + o.borrowers, 0),
    rows: rows.rows.map((r) => ({
      borrowerId: r.borrower_id,
      borrowerName: r.name,
      officer: r.officer,
      entries: r.entries,
      lastEntryDate: r.last_entry,
      behind: r.entries < WORKLOG_MIN_PER_MONTH,
    })),
    officers: byOfficer,
  };
}

export async function worklogGaps(ctx: AppContext, input: { month: string }): Promise<WorklogGaps> {
  const s = requirePermission(ctx, 'portfolio.read');
  return worklogGapsFor(requireStore(ctx).db, seesAllLoans(s.roles) ? null : s.username, input.month, 2000);
}

