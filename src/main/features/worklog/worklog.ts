import { sql, type Kysely, type Transaction } from 'kysely';
import { addWorkingDays, endOfMonth } from '../../../shared/domain';
import { AppError } from '../../../shared/ipc/errors';
import {
  type WorklogEntryKind,
  type WorklogFilters,
  type WorklogGaps,
  type WorklogKind,
  type WorklogOfficerGap,
  type WorklogSource,
  type WorklogView,
} from '../../../shared/ipc/worklog';
import { seesAllLoans } from '../../../shared/permissions';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { findBorrower } from '../borrowers/borrowers';
import { workingCalendar } from '../inspections/calendar';
import { type AppContext, type Session, today } from '../../kernel/context';
import { visibleLoan, managedBy, managesBorrower, requirePermission } from '../../kernel/authz';
import { requireStore } from '../../kernel/store';
import { containsText } from '../../db/dialect';
import { readSettings } from '../../kernel/settings';

type Db = Kysely<Database> | Transaction<Database>;

/** Entries older than this are not accepted: a typo guard, and older contacts belong in the archive. */
export const EARLIEST_ENTRY = '2000-01-01';
/** The supervisor comments within this many working days of the entry being written. */
export const COMMENT_WITHIN_WORKING_DAYS = 2;

const onField = (code: 'VALIDATION' | 'RULE_VIOLATION', path: string, message: string) => new AppError(code, message, [{ path, message }]);

/**
 * Every entry of the log as one relation: those written in it, and the collection contacts and promises to pay
 * of the borrowers' loans, read where they are kept. Columns a source lacks are NULL.
 */
export function entries(db: Db) {
  const written = db
    .selectFrom('work_log as w')
    .select([
      sql<WorklogSource>`'worklog'`.as('source'),
      'w.id',
      'w.borrower_id',
      sql<number | null>`w.loan_id`.as('loan_id'),
      'w.entry_date',
      sql<WorklogEntryKind>`w.kind`.as('kind'),
      'w.content',
      'w.author',
      'w.created_at',
      sql<string | null>`w.comment_due`.as('comment_due'),
      'w.supervisor_comment',
      'w.commented_by',
      'w.commented_at',
      sql<string>`w.content`.as('searched'),
      sql<string | null>`NULL`.as('channel'),
      sql<string | null>`NULL`.as('target'),
      sql<string | null>`NULL`.as('outcome'),
      sql<number | null>`CAST(NULL AS bigint)`.as('amount_fen'),
      sql<string | null>`NULL`.as('promise_date'),
    ]);
  const contacts = db
    .selectFrom('contacts as c')
    .innerJoin('loans as cl', 'cl.id', 'c.loan_id')
    .select([
      sql<WorklogSource>`'contact'`.as('source'),
      'c.id',
      'cl.borrower_id',
      sql<number | null>`c.loan_id`.as('loan_id'),
      sql<string>`c.contacted_on`.as('entry_date'),
      sql<WorklogEntryKind>`'contact'`.as('kind'),
      sql<string>`c.note`.as('content'),
      sql<string>`c.created_by`.as('author'),
      'c.created_at',
      sql<string | null>`NULL`.as('comment_due'),
      sql<string | null>`NULL`.as('supervisor_comment'),
      sql<string | null>`NULL`.as('commented_by'),
      sql<string | null>`NULL`.as('commented_at'),
      sql<string>`c.note || ' ' || c.target`.as('searched'),
      sql<string | null>`c.channel`.as('channel'),
      sql<string | null>`c.target`.as('target'),
      sql<string | null>`c.outcome`.as('outcome'),
      sql<number | null>`CAST(NULL AS bigint)`.as('amount_fen'),
      sql<string | null>`NULL`.as('promise_date'),
    ]);
  const promises = db
    .selectFrom('promises as p')
    .innerJoin('loans as pl', 'pl.id', 'p.loan_id')
    .select([
      sql<WorklogSource>`'promise'`.as('source'),
      'p.id',
      'pl.borrower_id',
      sql<number | null>`p.loan_id`.as('loan_id'),
      sql<string>`p.made_on`.as('entry_date'),
      sql<WorklogEntryKind>`'promise'`.as('kind'),
      sql<string>`p.note`.as('content'),
      sql<string>`p.created_by`.as('author'),
      'p.created_at',
      sql<string | null>`NULL`.as('comment_due'),
      sql<string | null>`NULL`.as('supervisor_comment'),
      sql<string | null>`NULL`.as('commented_by'),
      sql<string | null>`NULL`.as('commented_at'),
      sql<string>`p.note`.as('searched'),
      sql<string | null>`NULL`.as('channel'),
      sql<string | null>`NULL`.as('target'),
      sql<string | null>`NULL`.as('outcome'),
      sql<number | null>`p.amount_fen`.as('amount_fen'),
      sql<string | null>`p.promise_date`.as('promise_date'),
    ]);
  return written.unionAll(contacts).unionAll(promises);
}

function base(db: Db) {
  return db
    .selectFrom(entries(db).as('w'))
    .innerJoin('borrowers as b', 'b.id', 'w.borrower_id')
    .leftJoin('loans as l', 'l.id', 'w.loan_id')
    .selectAll('w')
    .select(['b.name as borrower_name', 'l.contract_no']);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

function view(r: Row, now: string): WorklogView {
  return {
    source: r.source,
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
    commentOverdue: r.source === 'worklog' && r.supervisor_comment === null && r.comment_due !== null && r.comment_due < now,
    supervisorComment: r.supervisor_comment,
    commentedBy: r.commented_by,
    commentedAt: r.commented_at,
    contact: r.source === 'contact' ? { channel: r.channel as NonNullable<WorklogView['contact']>['channel'], target: r.target ?? '', outcome: r.outcome as NonNullable<WorklogView['contact']>['outcome'] } : null,
    promise: r.source === 'promise' ? { amountFen: r.amount_fen ?? 0, promiseDate: r.promise_date ?? '' } : null,
  };
}

async function getEntry(ctx: AppContext, db: Db, id: number): Promise<WorklogView> {
  return view(await base(db).where('w.source', '=', 'worklog').where('w.id', '=', id).executeTakeFirstOrThrow(), today(ctx));
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
  if (input.entryDate < EARLIEST_ENTRY) throw onField('RULE_VIOLATION', 'entryDate', ctx.t('errors.worklogTooEarly', { date: ctx.day(EARLIEST_ENTRY) }));
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

/** The log narrowed by the filters and the caller's scope, in SQL. */
function filtered(db: Db, s: Session, input: WorklogFilters & { borrowerId?: number | null; loanId?: number | null }) {
  let q = base(db);
  if (input.borrowerId) q = q.where('w.borrower_id', '=', input.borrowerId);
  if (input.loanId) q = q.where('w.loan_id', '=', input.loanId);
  if (input.officer) q = q.where('w.author', '=', input.officer);
  if (input.from) q = q.where('w.entry_date', '>=', input.from);
  if (input.to) q = q.where('w.entry_date', '<=', input.to);
  if (input.kind) q = q.where('w.kind', '=', input.kind);
  if (input.query) {
    const text = input.query;
    q = q.where((eb) => eb.or([containsText(eb.ref('w.searched'), text), containsText(eb.ref('b.name'), text), containsText(eb.ref('l.contract_no'), text)]));
  }
  if (!seesAllLoans(s.roles)) {
    // Officers see what they wrote and the log of the borrowers they manage.
    q = q.where((eb) => eb.or([eb('w.author', '=', s.username), managedBy(s.username, 'w.borrower_id')]));
  }
  return q;
}

export async function listWorklog(ctx: AppContext, input: WorklogFilters & { borrowerId: number | null; loanId: number | null }): Promise<WorklogView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  if (input.loanId) await visibleLoan(ctx, store, s, input.loanId);
  if (input.borrowerId) {
    await findBorrower(ctx, store, input.borrowerId);
    if (!(await managesBorrower(store.db, s, input.borrowerId))) throw new AppError('FORBIDDEN', ctx.t('errors.notYourBorrower'));
  }
  const rows = await filtered(store.db, s, input).orderBy('w.entry_date', 'desc').orderBy('w.created_at', 'desc').orderBy('w.source').orderBy('w.id', 'desc').limit(1000).execute();
  const now = today(ctx);
  return rows.map((r) => view(r, now));
}

/** The whole log as the page searches it, newest first, a page at a time. */
export async function searchWorklog(ctx: AppContext, input: WorklogFilters & { limit: number; offset: number }): Promise<{ total: number; rows: WorklogView[] }> {
  const s = requirePermission(ctx, 'portfolio.read');
  const { db } = requireStore(ctx);
  // Counted without the listed columns: PostgreSQL refuses columns beside an aggregate without GROUP BY.
  const total = (await filtered(db, s, input).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const rows = await filtered(db, s, input).orderBy('w.entry_date', 'desc').orderBy('w.created_at', 'desc').orderBy('w.source').orderBy('w.id', 'desc').limit(input.limit).offset(input.offset).execute();
  const now = today(ctx);
  return { total, rows: rows.map((r) => view(r, now)) };
}

export function monthBounds(month: string): { first: string; last: string } {
  const first = `${month}-01`;
  return { first, last: endOfMonth(first) };
}

/**
 * Work-log coverage for a month: every borrower with an active loan, per responsible officer, with that month's
 * entries and the last entry up to the month's end; `officer` narrows it to one officer's borrowers. `total` and
 * `behind` count borrowers once, however many officers share them; the per-officer figures count them under each.
 */
export async function worklogGapsFor(db: Db, officer: string | null, month: string, limit: number): Promise<WorklogGaps> {
  const { first, last } = monthBounds(month);
  const set = await readSettings(db as Kysely<Database>);
  const min = { good: set.worklogMinGood, normal: set.worklogMinNormal, risk: set.worklogMinRisk };
  // The month's minimum of each borrower, by its customer tier.
  const minOf = (tier: string) => (tier === 'good' ? min.good : tier === 'risk' ? min.risk : min.normal);
  // Typed, so that PostgreSQL compares counts with numbers (untyped parameters in a CASE would be text).
  const minSql = sql`(CASE r.tier WHEN 'good' THEN CAST(${min.good} AS integer) WHEN 'risk' THEN CAST(${min.risk} AS integer) ELSE CAST(${min.normal} AS integer) END)`;
  const pairs = sql`SELECT DISTINCT l.borrower_id, l.officer FROM loans l WHERE l.status = 'active' ${officer === null ? sql`` : sql`AND l.officer = ${officer}`}`;
  // Collection contacts and promises to pay count as entries of their borrower's log.
  const logged = sql`SELECT borrower_id, entry_date FROM work_log
    UNION ALL SELECT cl.borrower_id, c.contacted_on FROM contacts c JOIN loans cl ON cl.id = c.loan_id
    UNION ALL SELECT pl.borrower_id, pr.made_on FROM promises pr JOIN loans pl ON pl.id = pr.loan_id`;
  const rowsSql = sql<{ borrower_id: number; name: string; tier: string; officer: string; entries: number; last_entry: string | null }>`
    SELECT p.borrower_id, b.name, b.tier, p.officer, coalesce(m.n, 0) AS entries, e.last_entry
    FROM (${pairs}) p
    JOIN borrowers b ON b.id = p.borrower_id
    LEFT JOIN (SELECT borrower_id, count(*) AS n FROM (${logged}) x WHERE entry_date BETWEEN ${first} AND ${last} GROUP BY borrower_id) m ON m.borrower_id = p.borrower_id
    LEFT JOIN (SELECT borrower_id, max(entry_date) AS last_entry FROM (${logged}) x WHERE entry_date <= ${last} GROUP BY borrower_id) e ON e.borrower_id = p.borrower_id`;
  const rows = await sql<{ borrower_id: number; name: string; tier: string; officer: string; entries: number; last_entry: string | null }>`
    SELECT * FROM (${rowsSql}) r ORDER BY (r.entries < ${minSql}) DESC, r.officer, r.last_entry IS NOT NULL, r.last_entry, r.name, r.borrower_id LIMIT ${limit}`.execute(db);
  const officers = await sql<{ officer: string; borrowers: number; behind: number; entries: number }>`
    SELECT r.officer, count(*) AS borrowers, sum(CASE WHEN r.entries < ${minSql} THEN 1 ELSE 0 END) AS behind, sum(r.entries) AS entries
    FROM (${rowsSql}) r GROUP BY r.officer ORDER BY r.officer`.execute(db);
  const byOfficer: WorklogOfficerGap[] = officers.rows.map((o) => ({ officer: o.officer, borrowers: o.borrowers, behind: o.behind, entries: o.entries }));
  // A borrower whose loans two officers manage is on each officer's list, but is one borrower in the totals
  // (entries and the minimum are the borrower's, so each of its rows is behind or none is).
  const distinct = await sql<{ borrowers: number; behind: number | null }>`
    SELECT count(*) AS borrowers, sum(d.behind) AS behind
    FROM (SELECT DISTINCT r.borrower_id, CASE WHEN r.entries < ${minSql} THEN 1 ELSE 0 END AS behind FROM (${rowsSql}) r) d`.execute(db);
  return {
    month,
    minPerMonth: min.normal,
    total: Number(distinct.rows[0].borrowers),
    behind: Number(distinct.rows[0].behind ?? 0),
    rows: rows.rows.map((r) => ({
      borrowerId: r.borrower_id,
      borrowerName: r.name,
      officer: r.officer,
      entries: r.entries,
      lastEntryDate: r.last_entry,
      behind: r.entries < minOf(r.tier),
    })),
    officers: byOfficer,
  };
}

export async function worklogGaps(ctx: AppContext, input: { month: string }): Promise<WorklogGaps> {
  const s = requirePermission(ctx, 'portfolio.read');
  return worklogGapsFor(requireStore(ctx).db, seesAllLoans(s.roles) ? null : s.username, input.month, 2000);
}

