import { sql } from 'kysely';
import { provisionalDeadline } from '../inspections/calendar';
import { addDays, daysBetween } from '../../../shared/domain/dates';
import type { DueRow, ExcessUse, RepaymentEvent } from '../../../shared/domain/loanState';
import {
  INSPECTION_HORIZON_DAYS,
  type TodayClassification,
  type TodayComment,
  type TodayCounts,
  type TodayGap,
  type TodayInspection,
  type TodayReminder,
  type TodayView,
  type TodayWarning,
} from '../../../shared/ipc/today';
import { OPEN_WARNING_STATUSES } from '../../../shared/ipc/warnings';
import type { WorklogOfficerGap } from '../../../shared/ipc/worklog';
import { can } from '../../../shared/permissions';
import { dailyBatchSettled } from '../../jobs/dailyBatch';
import { type AppContext, type Session, today } from '../../kernel/context';
import { computeStatus } from '../../domain/loanStatus';
import { businessDayOf } from '../../db/dialect';
import { type LoanRow, requireSession } from '../../kernel/authz';
import { reportQueue } from '../reports/reports';
import { readSettings } from '../../kernel/settings';
import { requireStore, type Store } from '../../kernel/store';
import { reviewSuggestedExpr, warningBase, warningJoin, warningView, type WarningJoin, type WarningListRow } from '../warnings/warnings';
import { worklogGapsFor } from '../worklog/worklog';
import { archiveToday, collectionsToday } from './todayMore';

/** Items per list; the counts count everything. */
export const TODAY_LIST_LIMIT = 100;
/** Inspections due within this many days (or overdue) are on the list. */
/** Repayment reminders (还款提示): instalments due within this many days. */
/** At most this many upcoming instalments are checked against the repayments each time. */
const REMINDER_CANDIDATES = 500;

/** How many of the rows counted have `ref` (a date column) before `date`, as an aggregate (0 when none). */
export function countBefore(ref: string, date: string) {
  return sql<number>`coalesce(sum(CASE WHEN ${sql.ref(ref)} < ${date} THEN 1 ELSE 0 END), 0)`;
}

function emptyCounts(): TodayCounts {
  return {
    inspections: 0,
    inspectionsOverdue: 0,
    reportsToWrite: 0,
    reportsToReview: 0,
    reportsToAccept: 0,
    warningsToHandle: 0,
    warningsToConfirm: 0,
    reviewSuggested: 0,
    worklogBehind: 0,
    commentsDue: 0,
    commentsOverdue: 0,
    classifications: 0,
    reminders: 0,
  };
}

/**
 * 我的工作台: everything the signed-in user has to do today, by role, in one call. Every item carries the ids
 * the screen needs to open the place to act; every list is bounded and every query set-based.
 */
export async function getToday(ctx: AppContext): Promise<TodayView> {
  const s = requireSession(ctx);
  const store = requireStore(ctx);
  const asOf = today(ctx);
  const view: TodayView = {
    asOf,
    month: asOf.slice(0, 7),
    counts: emptyCounts(),
    inspections: [],
    reports: { toWrite: [], toReview: [], toAccept: [] },
    warnings: { toHandle: [], toConfirm: [], reviewSuggested: [] },
    worklog: { behind: [], byOfficer: [], commentsDue: [] },
    classifications: [],
    reminders: [],
    reminderDays: 0,
    collections: null,
    archive: null,
  };
  // The administrator without a business role has no loan work.
  if (!can(s.roles, 'portfolio.read')) return view;
  // Counted from the stored statuses and warnings; a batch under way finishes first (a read never starts one).
  await dailyBatchSettled(ctx);
  const supervisor = s.roles.includes('supervisor');
  const officer = s.roles.includes('officer');

  if (supervisor || officer) await inspections(store, s, asOf, supervisor, view);
  const queue = await reportQueue(ctx);
  // Inspections not started are listed once, among the inspections; reports to write are those begun.
  const q = { ...queue, toWrite: queue.toWrite.filter((x) => x.reportId !== null) };
  view.reports = q;
  view.counts.reportsToWrite = q.toWrite.length;
  view.counts.reportsToReview = q.toReview.length;
  view.counts.reportsToAccept = q.toAccept.length;
  await warnings(ctx, store, s, asOf, view);
  await worklog(store, s, asOf, view, supervisor, officer);
  if (can(s.roles, 'classification.approve')) await classifications(store, s, view);
  await reminders(store, s, asOf, view);
  view.collections = await collectionsToday(ctx, store, s, asOf);
  view.archive = await archiveToday(ctx, store, s, asOf);
  return view;
}

async function inspections(store: Store, s: Session, asOf: string, all: boolean, view: TodayView): Promise<void> {
  const horizon = addDays(asOf, INSPECTION_HORIZON_DAYS);
  let q = store.db
    .selectFrom('inspections as i')
    .innerJoin('loans as l', 'l.id', 'i.loan_id')
    .where('l.status', '=', 'active')
    .where('i.status', '=', 'planned')
    .where('i.due_date', '<=', horizon)
    // Once the visit is written up, the work is in the reports list.
    .where((eb) => eb('i.id', 'not in', eb.selectFrom('inspection_reports').select('inspection_id')));
  if (!all) q = q.where('l.officer', '=', s.username);
  const c = await q
    .select((eb) => [eb.fn.countAll<number>().as('n'), countBefore('i.due_date', asOf).as('overdue')])
    .executeTakeFirstOrThrow();
  view.counts.inspections = c.n;
  view.counts.inspectionsOverdue = c.overdue;
  const rows = await q
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select(['i.id', 'i.loan_id', 'l.contract_no', 'b.name', 'l.officer', 'i.kind', 'i.due_date', 'i.warning_id'])
    .orderBy('i.due_date')
    .orderBy('i.id')
    .limit(TODAY_LIST_LIMIT)
    .execute();
  const provisional = await provisionalDeadline(store.db);
  view.inspections = rows.map(
    (r): TodayInspection => ({
      inspectionId: r.id,
      loanId: r.loan_id,
      contractNo: r.contract_no,
      borrowerName: r.name,
      officer: r.officer,
      kind: r.kind,
      dueDate: r.due_date,
      overdue: r.due_date < asOf,
      provisional: provisional(r.due_date),
      warningId: r.warning_id,
    }),
  );
}

function todayWarning(ctx: AppContext, r: WarningListRow, asOf: string): TodayWarning {
  const w = warningView(ctx, r, asOf);
  return {
    warningId: w.id,
    loanId: w.loanId,
    contractNo: w.contractNo,
    borrowerName: w.borrowerName,
    signalNames: w.signalNames,
    level: w.level,
    status: w.status,
    owner: w.owner,
    raisedAt: w.raisedAt,
    planDue: w.planDue,
    overdue: w.planOverdue,
    inspectionId: w.inspectionId,
  };
}

async function warnings(ctx: AppContext, store: Store, s: Session, asOf: string, view: TodayView): Promise<void> {
  const { db } = store;
  const section = async (filter: (q: WarningJoin) => WarningJoin, order: 'plan' | 'raised') => {
    const count = await filter(warningJoin(db))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    let q = warningBase(db, filter);
    q = order === 'plan' ? q.orderBy(sql`coalesce(w.plan_due, ${businessDayOf(sql.ref('w.raised_at'))})`).orderBy('w.id') : q.orderBy('w.raised_at').orderBy('w.id');
    const rows = await q.limit(TODAY_LIST_LIMIT).execute();
    return { n: count.n, items: rows.map((r) => todayWarning(ctx, r, asOf)) };
  };
  if (can(s.roles, 'warnings.handle')) {
    // The owner plans and reports back; a warning in 'feedback' waits for the supervisor.
    const r = await section((q) => q.where('w.owner', '=', s.username).where('w.status', 'in', ['raised', 'planned']), 'plan');
    view.warnings.toHandle = r.items;
    view.counts.warningsToHandle = r.n;
  }
  if (can(s.roles, 'warnings.confirm')) {
    const r = await section((q) => q.where('w.status', '=', 'feedback').where('w.owner', '!=', s.username), 'raised');
    view.warnings.toConfirm = r.items;
    view.counts.warningsToConfirm = r.n;
  }
  if (s.roles.includes('supervisor') || s.roles.includes('risk')) {
    const r = await section((q) => q.where('w.status', 'in', OPEN_WARNING_STATUSES).where(reviewSuggestedExpr()), 'raised');
    view.warnings.reviewSuggested = r.items;
    view.counts.reviewSuggested = r.n;
  }
}

async function worklog(store: Store, s: Session, asOf: string, view: TodayView, supervisor: boolean, officer: boolean): Promise<void> {
  const { db } = store;
  if (supervisor || officer) {
    // Supervisors see every officer's coverage; an officer their own borrowers.
    const gaps = await worklogGapsFor(db, supervisor ? null : s.username, view.month, TODAY_LIST_LIMIT);
    view.worklog.behind = gaps.rows
      .filter((r) => r.behind)
      .map((r): TodayGap => ({ borrowerId: r.borrowerId, borrowerName: r.borrowerName, officer: r.officer, entries: r.entries, lastEntryDate: r.lastEntryDate }));
    view.worklog.byOfficer = supervisor ? gaps.officers : ([] as WorklogOfficerGap[]);
    view.counts.worklogBehind = gaps.behind;
  }
  if (can(s.roles, 'worklog.comment')) {
    const pending = db.selectFrom('work_log as w').where('w.supervisor_comment', 'is', null).where('w.author', '!=', s.username);
    const c = await pending
      .select((eb) => [eb.fn.countAll<number>().as('n'), countBefore('w.comment_due', asOf).as('overdue')])
      .executeTakeFirstOrThrow();
    view.counts.commentsDue = c.n;
    view.counts.commentsOverdue = c.overdue;
    const rows = await pending
      .innerJoin('borrowers as b', 'b.id', 'w.borrower_id')
      .select(['w.id', 'w.borrower_id', 'b.name', 'w.loan_id', 'w.author', 'w.kind', 'w.entry_date', 'w.comment_due'])
      .orderBy('w.comment_due')
      .orderBy('w.id')
      .limit(TODAY_LIST_LIMIT)
      .execute();
    view.worklog.commentsDue = rows.map(
      (r): TodayComment => ({
        entryId: r.id,
        borrowerId: r.borrower_id,
        borrowerName: r.name,
        loanId: r.loan_id,
        author: r.author,
        kind: r.kind,
        entryDate: r.entry_date,
        commentDue: r.comment_due,
        overdue: r.comment_due < asOf,
      }),
    );
  }
}

/** Proposals waiting for a decision; the proposer never approves their own. */
async function classifications(store: Store, s: Session, view: TodayView): Promise<void> {
  const pending = store.db
    .selectFrom('classifications as c')
    .innerJoin('loans as l', 'l.id', 'c.loan_id')
    .where('c.status', '=', 'pending')
    .where('c.proposed_by', '!=', s.username);
  view.counts.classifications = (await pending.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const rows = await pending
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select(['c.id', 'c.loan_id', 'l.contract_no', 'b.name', 'c.level', 'c.proposed_by', 'c.proposed_at'])
    .orderBy('c.id')
    .limit(TODAY_LIST_LIMIT)
    .execute();
  view.classifications = rows.map(
    (r): TodayClassification => ({
      proposalId: r.id,
      loanId: r.loan_id,
      contractNo: r.contract_no,
      borrowerName: r.name,
      level: r.level,
      proposedBy: r.proposed_by,
      proposedAt: r.proposed_at,
    }),
  );
}

/**
 * 还款提示: instalments of the current schedule falling due in the next days on the loans I manage, less what
 * has been paid towards them (early payments cover later periods), replayed for the few loans involved.
 */
async function reminders(store: Store, s: Session, asOf: string, view: TodayView): Promise<void> {
  const { db } = store;
  // The same lead as the printed reminders (a setting).
  view.reminderDays = (await readSettings(db)).reminderLeadDays;
  const until = addDays(asOf, view.reminderDays);
  const due = await db
    .selectFrom('loans as l')
    .innerJoin('schedule_rows as r', (j) => j.onRef('r.loan_id', '=', 'l.id').onRef('r.version', '=', 'l.schedule_version'))
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select(['l.id', 'l.contract_no', 'b.name', 'b.phone', 'r.period', 'r.due_date'])
    .where('l.officer', '=', s.username)
    .where('l.status', '=', 'active')
    .where('r.due_date', '>=', asOf)
    .where('r.due_date', '<=', until)
    .orderBy('r.due_date')
    .orderBy('l.id')
    .limit(REMINDER_CANDIDATES)
    .execute();
  if (due.length === 0) return;
  const ids = [...new Set(due.map((d) => d.id))];
  const loans = new Map(((await db.selectFrom('loans').selectAll().where('id', 'in', ids).execute()) as LoanRow[]).map((l) => [l.id, l]));
  const rows = await db
    .selectFrom('schedule_rows as r')
    .innerJoin('loans as l', (j) => j.onRef('l.id', '=', 'r.loan_id').onRef('l.schedule_version', '=', 'r.version'))
    .select(['r.loan_id', 'r.period', 'r.due_date', 'r.principal_fen', 'r.interest_fen'])
    .where('r.loan_id', 'in', ids)
    .orderBy('r.loan_id')
    .orderBy('r.period')
    .execute();
  const reps: { loan_id: number; id: number; paid_on: string; amount_fen: number; excess: ExcessUse; fee_fen: number }[] = await db
    .selectFrom('effective_repayments as r')
    .select(['r.loan_id', 'r.id', 'r.paid_on', 'r.amount_fen', 'r.excess', 'r.fee_fen'])
    .where('r.loan_id', 'in', ids)
    .where('r.paid_on', '<=', asOf)
    .execute();
  const dueBy = new Map<number, DueRow[]>();
  for (const r of rows) {
    const list = dueBy.get(r.loan_id) ?? [];
    list.push({ period: r.period, dueDate: r.due_date, principalFen: r.principal_fen, interestFen: r.interest_fen });
    dueBy.set(r.loan_id, list);
  }
  const repBy = new Map<number, RepaymentEvent[]>();
  for (const r of reps) {
    const list = repBy.get(r.loan_id) ?? [];
    list.push({ id: r.id, date: r.paid_on, amountFen: r.amount_fen, excess: r.excess, feeFen: r.fee_fen });
    repBy.set(r.loan_id, list);
  }
  const periods = new Map<number, Map<number, number>>();
  for (const id of ids) {
    const state = computeStatus(loans.get(id)!, dueBy.get(id) ?? [], repBy.get(id) ?? [], asOf, null).state;
    // 溢收款 held meets the next instalments on their due dates: only the rest is still to pay.
    let credit = state.creditFen;
    periods.set(
      id,
      new Map(
        state.periods.map((p) => {
          const left = p.principalFen + p.interestFen - p.principalPaidFen - p.interestPaidFen;
          const covered = Math.min(credit, Math.max(0, left));
          credit -= covered;
          return [p.period, left - covered];
        }),
      ),
    );
  }
  const open: TodayReminder[] = [];
  for (const d of due) {
    const left = periods.get(d.id)?.get(d.period) ?? 0;
    if (left <= 0) continue;
    open.push({
      loanId: d.id,
      contractNo: d.contract_no,
      borrowerName: d.name,
      borrowerPhone: d.phone,
      period: d.period,
      dueDate: d.due_date,
      amountDueFen: left,
      daysLeft: daysBetween(asOf, d.due_date),
    });
  }
  view.counts.reminders = open.length;
  view.reminders = open.slice(0, TODAY_LIST_LIMIT);
}

