import { addDays, DPD_BUCKETS, endOfMonth, LEVELS, type ClassificationLevel } from '../../../shared/domain';
import { NPL_LEVELS, ratioOf } from '../../../shared/domain/provisioning';
import { AppError } from '../../../shared/ipc/errors';
import type { Concentration, CountBalance, Kpis, MigrationMatrix, ShareRow, TrendPoint, Vintage } from '../../../shared/ipc/managementReports';
import type { AppContext } from '../../kernel/context';
import { requirePermission } from '../../kernel/authz';
import { requireStore, type Store } from '../../kernel/store';
import { kpisOf, type LoanFact } from './compute';
import { currentSnapshot, factsAt, provisionHeld } from './snapshots';

export async function kpisAt(store: Store, asOf: string): Promise<Kpis> {
  const f = await factsAt(store, asOf);
  return kpisOf(f.facts, {
    asOf,
    source: f.source,
    snapshotId: f.snapshot?.id ?? null,
    takenAt: f.snapshot?.taken_at ?? null,
    rates: f.rates,
    activity: f.activity,
    heldFen: provisionHeld(store, asOf),
  });
}

/** KPIs as of a date: from its snapshot if one was taken, else computed now without storing anything. */
export async function kpis(ctx: AppContext, input: { asOf: string }): Promise<Kpis> {
  requirePermission(ctx, 'portfolio.reports');
  return kpisAt(requireStore(ctx), input.asOf);
}

/** The `months` month-ends up to `asOf` (its own month when it is a month-end), oldest first. */
export function monthEndsUpTo(asOf: string, months: number): string[] {
  let d = endOfMonth(asOf) === asOf ? asOf : addDays(`${asOf.slice(0, 7)}-01`, -1);
  const out: string[] = [];
  while (out.length < months) {
    out.unshift(d);
    d = addDays(`${d.slice(0, 7)}-01`, -1);
  }
  return out;
}

/** Balance by class and the NPL and overdue ratios at each month-end, from the snapshots only (null where none). */
export async function trend(ctx: AppContext, input: { asOf: string; months: number }): Promise<TrendPoint[]> {
  requirePermission(ctx, 'portfolio.reports');
  const store = requireStore(ctx);
  return monthEndsUpTo(input.asOf, input.months).map((asOf) => {
    const snap = currentSnapshot(store, asOf);
    if (!snap) return { asOf, snapshotId: null, balanceFen: null, byClass: null, nplRatio: null, overdueRate: null };
    const rows = store.sqlite
      .prepare(`SELECT level, sum(balance_fen) AS fen, sum(CASE WHEN dpd > 0 THEN balance_fen ELSE 0 END) AS od FROM portfolio_snapshot_loans WHERE snapshot_id = ? GROUP BY level`)
      .all(snap.id) as { level: ClassificationLevel; fen: number; od: number }[];
    const byClass = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<ClassificationLevel, number>;
    let od = 0;
    for (const r of rows) {
      byClass[r.level] = r.fen;
      od += r.od;
    }
    const npl = NPL_LEVELS.reduce((n, l) => n + byClass[l], 0);
    return { asOf, snapshotId: snap.id, balanceFen: snap.balance_fen, byClass, nplRatio: ratioOf(npl, snap.balance_fen), overdueRate: ratioOf(od, snap.balance_fen) };
  });
}

const zero = (): CountBalance => ({ count: 0, balanceFen: 0 });

/**
 * 迁徙矩阵: each loan on the books at `fromAsOf`, by its class (and DPD bucket) then and now — or whether it has
 * since been closed or written off. Balances are those at `fromAsOf`, so a row adds up to the class's balance then.
 */
export async function migration(ctx: AppContext, input: { fromAsOf: string; asOf: string }): Promise<MigrationMatrix> {
  requirePermission(ctx, 'portfolio.reports');
  if (input.fromAsOf >= input.asOf) throw new AppError('RULE_VIOLATION', ctx.t('managementReports.errors.order'), [{ path: 'fromAsOf', message: ctx.t('managementReports.errors.order') }]);
  const store = requireStore(ctx);
  const a = await factsAt(store, input.fromAsOf);
  const b = await factsAt(store, input.asOf);
  const later = new Map(b.facts.map((f) => [f.loan_id, f]));
  const writtenOff = new Set(
    (store.sqlite.prepare(`SELECT id FROM loans WHERE status = 'written-off' AND written_off_on <= ?`).all(input.asOf) as { id: number }[]).map((r) => r.id),
  );
  const classTo = () => Object.fromEntries([...LEVELS, 'closed', 'written-off'].map((k) => [k, zero()])) as MigrationMatrix['byClass'][number]['to'];
  const bucketTo = () => Object.fromEntries([...DPD_BUCKETS, 'closed', 'written-off'].map((k) => [k, zero()])) as MigrationMatrix['byBucket'][number]['to'];
  const byClass = LEVELS.map((from) => ({ from, to: classTo() }));
  const byBucket = DPD_BUCKETS.map((from) => ({ from, to: bucketTo() }));
  const add = (c: CountBalance, fen: number) => {
    c.count++;
    c.balanceFen += fen;
  };
  for (const f of a.facts) {
    const g = later.get(f.loan_id);
    const gone = writtenOff.has(f.loan_id) ? 'written-off' : 'closed';
    add(byClass[LEVELS.indexOf(f.level)].to[g ? g.level : gone], f.balance_fen);
    add(byBucket[DPD_BUCKETS.indexOf(f.bucket)].to[g ? g.bucket : gone], f.balance_fen);
  }
  const before = new Set(a.facts.map((f) => f.loan_id));
  const newLoans = zero();
  for (const g of b.facts) if (!before.has(g.loan_id)) add(newLoans, g.balance_fen);
  return { fromAsOf: input.fromAsOf, asOf: input.asOf, fromSource: a.source, toSource: b.source, byClass, byBucket, newLoans };
}

function shares(facts: LoanFact[], key: (f: LoanFact) => string, total: number): ShareRow[] {
  const m = new Map<string, ShareRow>();
  for (const f of facts) {
    const k = key(f);
    const row = m.get(k) ?? { key: k, count: 0, balanceFen: 0, share: null };
    row.count++;
    row.balanceFen += f.balance_fen;
    m.set(k, row);
  }
  return [...m.values()].map((r) => ({ ...r, share: ratioOf(r.balanceFen, total) })).sort((x, y) => y.balanceFen - x.balanceFen || x.key.localeCompare(y.key));
}

export function concentrationOf(asOf: string, source: 'snapshot' | 'live', facts: LoanFact[]): Concentration {
  const total = facts.reduce((n, f) => n + f.balance_fen, 0);
  const names = new Map(facts.map((f) => [String(f.borrower_id), f.borrower_name]));
  const borrowers = shares(facts, (f) => String(f.borrower_id), total)
    .slice(0, 10)
    .map((r) => ({ ...r, borrowerId: Number(r.key), key: names.get(r.key) ?? r.key }));
  const top10 = borrowers.reduce((n, r) => n + r.balanceFen, 0);
  return {
    asOf,
    source,
    balanceFen: total,
    topBorrowers: borrowers,
    top10Share: ratioOf(top10, total),
    largestShare: ratioOf(borrowers[0]?.balanceFen ?? 0, total),
    byIndustry: shares(facts, (f) => f.industry, total),
    byProduct: shares(facts, (f) => f.product, total),
  };
}

/** Concentration: the ten largest borrowers by balance and their share; the balance by industry and by product. */
export async function concentration(ctx: AppContext, input: { asOf: string }): Promise<Concentration> {
  requirePermission(ctx, 'portfolio.reports');
  const f = await factsAt(requireStore(ctx), input.asOf);
  return concentrationOf(input.asOf, f.source, f.facts);
}

const quarter = (date: string) => `${date.slice(0, 4)}Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;

/** Vintage: the loans on the books at `asOf` by the quarter they were disbursed in. */
export async function vintage(ctx: AppContext, input: { asOf: string }): Promise<Vintage> {
  requirePermission(ctx, 'portfolio.reports');
  const f = await factsAt(requireStore(ctx), input.asOf);
  const m = new Map<string, Vintage['rows'][number]>();
  for (const x of f.facts) {
    const k = quarter(x.start_date);
    const r = m.get(k) ?? { vintage: k, loans: 0, principalFen: 0, balanceFen: 0, overdueBalanceFen: 0, nplBalanceFen: 0, nplOfPrincipal: null };
    r.loans++;
    r.principalFen += x.principal_fen;
    r.balanceFen += x.balance_fen;
    if (x.dpd > 0) r.overdueBalanceFen += x.balance_fen;
    if (NPL_LEVELS.includes(x.level)) r.nplBalanceFen += x.balance_fen;
    m.set(k, r);
  }
  const rows = [...m.values()].map((r) => ({ ...r, nplOfPrincipal: ratioOf(r.nplBalanceFen, r.principalFen) })).sort((a, b) => a.vintage.localeCompare(b.vintage));
  return { asOf: input.asOf, source: f.source, rows };
}

