import { sql, type Kysely, type Transaction } from 'kysely';
import { planInspections, preMaturityDue, routineFrom, specialInspectionDue, addDays, type ClassificationLevel, type CustomerTier, type InspectionReason, type InspectionRules, type PlannedInspection, type RepaymentMethod, type WorkingCalendar } from '../../../shared/domain';
import type { InspectionView } from '../../../shared/ipc/inspections';
import { seesAllLoans } from '../../../shared/permissions';
import { insertPlannedInspections, loansWithoutInspections } from '../../db/bulk';
import type { Database } from '../../db/schema';
import { provisionalDeadline, workingCalendar } from './calendar';
import { type AppContext, today } from '../../kernel/context';
import { visibleLoan, requirePermission } from '../../kernel/authz';
import type { Store } from '../../kernel/store';
import { requireStore } from '../../kernel/storeAccess';
import { readInspectionRules } from '../../kernel/settings';

type Db = Kysely<Database> | Transaction<Database>;

/** `inspections.reason` holds the reason's code and parameters as JSON (migration 0024 converted older rows). */
const storedReason = (r: InspectionReason): string => JSON.stringify(r);
export function readInspectionReason(stored: string): InspectionReason {
  try {
    const r = JSON.parse(stored) as InspectionReason;
    if (r && typeof r === 'object' && typeof r.code === 'string') return r;
  } catch {
    // not JSON: fall through
  }
  return { code: 'legacy', text: stored };
}

/** The newest version of an inspection's report (a correction is a newer version of the same inspection). */
export function latestReportId() {
  return sql<number>`(SELECT max(x.id) FROM inspection_reports x WHERE x.inspection_id = i.id)`;
}

/** The facts the plan of each loan rests on (a missing id is left out). */
async function planFacts(db: Db, loanIds: number[]) {
  return db
    .selectFrom('loans as l')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .leftJoin('loan_status as s', 's.loan_id', 'l.id')
    .select(['l.id', 'l.borrower_id', 'l.start_date', 'l.maturity_date', 'l.method', 'l.status', 'l.created_at', 'b.tier', 's.level', 'l.principal_fen', 's.balance_fen'])
    .select(borrowerBalance('l.borrower_id').as('borrower_balance_fen'))
    .where('l.id', 'in', loanIds)
    .execute();
}

/** What a borrower owes on all their active loans (a loan not yet through the batch counts at its principal). */
export function borrowerBalance(borrowerIdRef: string) {
  return sql<number>`(SELECT coalesce(sum(coalesce(bs.balance_fen, bl.principal_fen)), 0) FROM loans bl LEFT JOIN loan_status bs ON bs.loan_id = bl.id WHERE bl.borrower_id = ${sql.ref(borrowerIdRef)} AND bl.status = 'active')`;
}

interface PlanFacts {
  start_date: string;
  maturity_date: string;
  method: RepaymentMethod;
  tier: string;
  level: ClassificationLevel | null;
  principal_fen: number;
  balance_fen: number | null;
  borrower_balance_fen: number | null;
}

/** The loan's facts as the planner takes them; the threshold measures the loan or its borrower, as the rules say. */
function planInput(f: PlanFacts, rules: InspectionRules) {
  const own = f.balance_fen ?? f.principal_fen;
  const balanceFen = rules.largeBalanceBasis === 'borrower' ? Math.max(own, f.borrower_balance_fen ?? 0) : own;
  return { startDate: f.start_date, maturityDate: f.maturity_date, method: f.method, tier: f.tier as CustomerTier, level: f.level ?? 'normal', balanceFen };
}

/**
 * A loan's inspections from `from` on. A loan entered after the fact gets only what is still ahead of it,
 * with routine visits counted from the day it was entered.
 */
function planRows(f: PlanFacts, cal: WorkingCalendar, from: string, rules: InspectionRules): PlannedInspection[] {
  const input = planInput(f, rules);
  let plan = planInspections(input, cal, rules).filter((p) => p.dueDate >= from);
  if (!plan.some((p) => p.kind !== 'pre-maturity') && f.maturity_date > from) {
    const pre = preMaturityDue(input, cal, rules);
    plan = [...routineFrom(from, { ...input, startDate: addDays(from, -rules.firstWithinDays) }, cal, rules, pre), ...plan];
  }
  return plan;
}

export async function planLoan(ctx: AppContext, db: Db, loanId: number): Promise<void> {
  const [f] = await planFacts(db, [loanId]);
  if (!f) throw new Error(`no loan ${loanId} to plan`);
  const rules = await readInspectionRules(db as Kysely<Database>);
  const plan = planRows(f, await workingCalendar(db as Kysely<Database>), today(ctx), rules);
  const now = ctx.nowIso();
  for (const p of plan) {
    await db.insertInto('inspections').values({ loan_id: loanId, kind: p.kind, due_date: p.dueDate, reason: storedReason(p.reason), warning_id: null, status: 'planned', created_at: now, updated_at: now }).execute();
  }
  // Several loans to one borrower, measured together: the loan that takes the borrower over the threshold makes
  // their other loans be visited more often too, from now on.
  const total = f.borrower_balance_fen ?? 0;
  const own = f.balance_fen ?? f.principal_fen;
  if (rules.largeBalanceBasis === 'borrower' && total > rules.largeBalanceFen && total - own <= rules.largeBalanceFen) {
    const others = await db.selectFrom('loans').select('id').where('borrower_id', '=', f.borrower_id).where('status', '=', 'active').where('id', '!=', loanId).execute();
    await replanLoans(ctx, db, others.map((o) => o.id));
  }
}

/**
 * After a change of tier or class: future routine and pre-maturity inspections not yet started are
 * cancelled and planned again at the new frequency; past ones stay as they are.
 */
export async function replanLoan(ctx: AppContext, db: Db, loanId: number): Promise<void> {
  await replanLoans(ctx, db, [loanId]);
}

/** The future routine and pre-maturity visits of a loan re-planned from `from`. */
function replanRows(f: PlanFacts, cal: Awaited<ReturnType<typeof workingCalendar>>, rules: Awaited<ReturnType<typeof readInspectionRules>>, from: string) {
  const input = planInput(f, rules);
  const pre = preMaturityDue(input, cal, rules);
  const plan = routineFrom(from, { ...input, startDate: addDays(from, -rules.firstWithinDays) }, cal, rules, pre);
  if (pre && pre > from) plan.push({ kind: 'pre-maturity', dueDate: pre, reason: { code: 'preMaturity', days: rules.preMaturityDays } });
  return plan;
}

/**
 * Re-plans each loan (a change of class or tier): its planned routine and pre-maturity visits after today that have
 * no report begun are cancelled and planned anew. Set-based, 500 loans at a time (the daily batch may re-plan
 * thousands, and on the branch server every statement is a round trip): their facts in one query, the cancellations
 * in one statement, the new visits in multi-row inserts, in the order of the loans.
 */
export async function replanLoans(ctx: AppContext, db: Db, loanIds: number[]): Promise<void> {
  if (loanIds.length === 0) return;
  const from = today(ctx);
  const now = ctx.nowIso();
  const cal = await workingCalendar(db as Kysely<Database>);
  const rules = await readInspectionRules(db as Kysely<Database>);
  for (let i = 0; i < loanIds.length; i += 500) {
    const ids = loanIds.slice(i, i + 500);
    const byId = new Map((await planFacts(db, ids)).map((f) => [f.id, f]));
    const active = ids.flatMap((id) => {
      const f = byId.get(id);
      return f && f.status === 'active' ? [f] : [];
    });
    if (active.length === 0) continue;
    await db
      .updateTable('inspections')
      .set({ status: 'cancelled', updated_at: now })
      .where('loan_id', 'in', active.map((f) => f.id))
      // `status || ''` keeps SQLite's planner on the loan's index: with a list of loans it would otherwise pick
      // (status, due_date) and walk every planned visit of the portfolio.
      .where(sql<string>`inspections.status || ''`, '=', 'planned')
      .where('kind', 'in', ['routine', 'pre-maturity'])
      .where('due_date', '>', from)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('inspection_reports as r').select('r.id').whereRef('r.inspection_id', '=', 'inspections.id'))))
      .execute();
    const rows = active.flatMap((f) =>
      replanRows(f, cal, rules, from).map((p) => ({ loan_id: f.id, kind: p.kind, due_date: p.dueDate, reason: storedReason(p.reason), warning_id: null, status: 'planned' as const, created_at: now, updated_at: now })),
    );
    for (let j = 0; j < rows.length; j += 500) await db.insertInto('inspections').values(rows.slice(j, j + 500)).execute();
  }
}

/** A special inspection within the set working days of each serious warning, in the transaction that raised them. */
export async function planSpecials(ctx: AppContext, db: Db, warnings: { id: number; loanId: number }[]): Promise<void> {
  if (warnings.length === 0) return;
  const due = specialInspectionDue(today(ctx), await workingCalendar(db as Kysely<Database>), await readInspectionRules(db as Kysely<Database>));
  const now = ctx.nowIso();
  for (let i = 0; i < warnings.length; i += 500) {
    await db
      .insertInto('inspections')
      .values(
        warnings.slice(i, i + 500).map((w) => ({
          loan_id: w.loanId,
          kind: 'special' as const,
          due_date: due,
          reason: storedReason({ code: 'special', warningId: w.id }),
          warning_id: w.id,
          status: 'planned' as const,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
}

/** Plans every active loan that has no inspections yet (loans imported or generated in bulk), in one pass. */
export async function planMissing(ctx: AppContext, store: Store): Promise<number> {
  const unplanned = await loansWithoutInspections<Omit<PlanFacts, 'principal_fen' | 'balance_fen' | 'borrower_balance_fen'> & { id: number }>(store);
  if (unplanned.length === 0) return 0;
  // The balance each loan is planned at (the threshold of the rules), read beside the bulk query.
  const balances = new Map<number, { principal_fen: number; balance_fen: number | null; borrower_balance_fen: number | null }>();
  for (let i = 0; i < unplanned.length; i += 500) {
    const ids = unplanned.slice(i, i + 500).map((r) => r.id);
    const got = await store.db
      .selectFrom('loans as l')
      .leftJoin('loan_status as s', 's.loan_id', 'l.id')
      .select(['l.id', 'l.principal_fen', 's.balance_fen'])
      .select(borrowerBalance('l.borrower_id').as('borrower_balance_fen'))
      .where('l.id', 'in', ids)
      .execute();
    for (const b of got) balances.set(b.id, { principal_fen: b.principal_fen, balance_fen: b.balance_fen, borrower_balance_fen: b.borrower_balance_fen });
  }
  const rows = unplanned.map((r) => ({ ...r, ...(balances.get(r.id) ?? { principal_fen: 0, balance_fen: null, borrower_balance_fen: null }) }));
  const cal = await workingCalendar(store.db);
  const rules = await readInspectionRules(store.db);
  const from = today(ctx);
  const now = ctx.nowIso();
  await insertPlannedInspections(
    store,
    rows.flatMap((r) => planRows(r, cal, from, rules).map((p): [number, string, string, string] => [r.id, p.kind, p.dueDate, storedReason(p.reason)])),
    now,
  );
  return rows.length;
}

export async function listInspections(
  ctx: AppContext,
  input: { loanId: number | null; status: 'planned' | 'done' | 'cancelled' | null; dueFrom?: string | null; dueBefore: string | null },
): Promise<InspectionView[]> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  if (input.loanId) await visibleLoan(ctx, store, s, input.loanId);
  let q = store.db
    .selectFrom('inspections as i')
    .innerJoin('loans as l', 'l.id', 'i.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .leftJoin('inspection_reports as r', (j) => j.on('r.id', '=', latestReportId()))
    .leftJoin('warnings as w', 'w.id', 'i.warning_id')
    .leftJoin('warning_signals as g', 'g.id', 'w.signal_id')
    .select(['i.id', 'i.loan_id', 'l.contract_no', 'b.name', 'l.officer', 'i.kind', 'i.due_date', 'i.reason', 'i.status', 'i.warning_id', 'r.id as report_id', 'r.status as report_status', 'g.name_zh', 'g.name_en']);
  if (!seesAllLoans(s.roles)) q = q.where('l.officer', '=', s.username);
  if (input.loanId) q = q.where('i.loan_id', '=', input.loanId);
  if (input.status) q = q.where('i.status', '=', input.status);
  if (input.dueFrom) q = q.where('i.due_date', '>=', input.dueFrom);
  if (input.dueBefore) q = q.where('i.due_date', '<=', input.dueBefore);
  const rows = await q.orderBy('i.due_date').orderBy('i.id').limit(2000).execute();
  const now = today(ctx);
  const provisional = await provisionalDeadline(store.db);
  return rows.map((r) => ({
    id: r.id,
    loanId: r.loan_id,
    contractNo: r.contract_no,
    borrowerName: r.name,
    officer: r.officer,
    kind: r.kind,
    dueDate: r.due_date,
    reason: readInspectionReason(r.reason),
    signal: r.name_zh === null ? null : { zh: r.name_zh, en: r.name_en ?? r.name_zh },
    status: r.status,
    warningId: r.warning_id,
    overdue: r.status === 'planned' && r.due_date < now,
    provisional: provisional(r.due_date),
    report: r.report_id ? { id: r.report_id, status: r.report_status! } : null,
  }));
}
