import { addDays, DPD_BUCKETS, endOfMonth, LEVELS, type ClassificationLevel } from '../../../shared/domain';
import { NPL_LEVELS, ratioOf } from '../../../shared/domain/provisioning';
import { AppError } from '../../../shared/ipc/errors';
import type { Concentration, ConcentrationLimits, CountBalance, FactoringAgeing, FactoringShareRow, Kpis, MigrationMatrix, ShareRow, TrendPoint, Vintage, VintageCurve } from '../../../shared/ipc/managementReports';
import type { AppContext } from '../../kernel/context';
import { requirePermission } from '../../kernel/authz';
import { recordAudit } from '../../kernel/audit';
import { requireStore } from '../../kernel/store';
import { idList } from '../../db/dialect';
import { kpisOf, type Db, type LoanFact } from './compute';
import { currentSnapshot, factsAt, provisionHeld, snapshotLoans } from './snapshots';

export async function kpisAt(db: Db, asOf: string): Promise<Kpis> {
  const f = await factsAt(db, asOf);
  return kpisOf(f.facts, {
    asOf,
    source: f.source,
    snapshotId: f.snapshot?.id ?? null,
    takenAt: f.snapshot?.taken_at ?? null,
    rates: f.rates,
    activity: f.activity,
    heldFen: await provisionHeld(db, asOf),
  });
}

/** KPIs as of a date: from its snapshot if one was taken, else computed now without storing anything. */
export async function kpis(ctx: AppContext, input: { asOf: string }): Promise<Kpis> {
  requirePermission(ctx, 'portfolio.reports');
  return kpisAt(requireStore(ctx).db, input.asOf);
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
  const { db } = requireStore(ctx);
  const points: TrendPoint[] = [];
  for (const asOf of monthEndsUpTo(input.asOf, input.months)) {
    const snap = await currentSnapshot(db, asOf);
    if (!snap) {
      points.push({ asOf, snapshotId: null, balanceFen: null, byClass: null, nplRatio: null, overdueRate: null });
      continue;
    }
    const rows = await db
      .selectFrom('portfolio_snapshot_loans')
      .select((eb) => ['level', eb.fn.sum<number>('balance_fen').as('fen'), eb.fn.sum<number>(eb.case().when('dpd', '>', 0).then(eb.ref('balance_fen')).else(0).end()).as('od')])
      .where('snapshot_id', '=', snap.id)
      .groupBy('level')
      .execute();
    const byClass = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<ClassificationLevel, number>;
    let od = 0;
    for (const r of rows) {
      byClass[r.level] = r.fen;
      od += r.od;
    }
    const npl = NPL_LEVELS.reduce((n, l) => n + byClass[l], 0);
    points.push({ asOf, snapshotId: snap.id, balanceFen: snap.balance_fen, byClass, nplRatio: ratioOf(npl, snap.balance_fen), overdueRate: ratioOf(od, snap.balance_fen) });
  }
  return points;
}

const zero = (): CountBalance => ({ count: 0, balanceFen: 0 });

/**
 * 迁徙矩阵: each loan on the books at `fromAsOf`, by its class (and DPD bucket) then and now — or whether it has
 * since been closed or written off. Balances are those at `fromAsOf`, so a row adds up to the class's balance then.
 */
export async function migration(ctx: AppContext, input: { fromAsOf: string; asOf: string }): Promise<MigrationMatrix> {
  requirePermission(ctx, 'portfolio.reports');
  if (input.fromAsOf >= input.asOf) throw new AppError('RULE_VIOLATION', ctx.t('managementReports.errors.order'), [{ path: 'fromAsOf', message: ctx.t('managementReports.errors.order') }]);
  return migrationAt(requireStore(ctx).db, input);
}

export async function migrationAt(db: Db, input: { fromAsOf: string; asOf: string }): Promise<MigrationMatrix> {
  const a = await factsAt(db, input.fromAsOf);
  const b = await factsAt(db, input.asOf);
  const later = new Map(b.facts.map((f) => [f.loan_id, f]));
  const writtenOff = new Set((await db.selectFrom('loans').select('id').where('status', '=', 'written-off').where('written_off_on', '<=', input.asOf).execute()).map((r) => r.id));
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

/** The settings key of the 205号 concentration limits (basis points). */
export const LIMITS_KEY = 'management.concentrationLimits';
export const DEFAULT_CONCENTRATION_LIMITS: ConcentrationLimits = { debtorMaxBp: 5000, relatedMaxBp: 4000 };
const isBp = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 10_000;

export async function readConcentrationLimits(db: Db): Promise<ConcentrationLimits> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', LIMITS_KEY).executeTakeFirst();
  const v = r ? (JSON.parse(r.value) as Partial<ConcentrationLimits>) : null;
  return v && isBp(v.debtorMaxBp) && isBp(v.relatedMaxBp) ? { debtorMaxBp: v.debtorMaxBp!, relatedMaxBp: v.relatedMaxBp! } : { ...DEFAULT_CONCENTRATION_LIMITS };
}

/** An account debtor of a financing: its receivables' invoice amounts, and whether it is a related party (关联方). */
export interface DebtorWeight {
  debtor: string;
  weightFen: number;
  relatedParty?: boolean;
}

export async function getConcentrationLimits(ctx: AppContext): Promise<ConcentrationLimits> {
  return readConcentrationLimits(requireStore(ctx).db);
}

/** The administrator sets the 205号 limits (basis points; the contract holds them to 0–100 %), audited before → after. */
export async function setConcentrationLimits(ctx: AppContext, input: ConcentrationLimits): Promise<ConcentrationLimits> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const value = { debtorMaxBp: input.debtorMaxBp, relatedMaxBp: input.relatedMaxBp };
  await store.db.transaction().execute(async (trx) => {
    // Read in the write transaction, so that the audit entry's `before` is what this change replaced.
    const before = await readConcentrationLimits(trx);
    const json = JSON.stringify(value);
    await trx.insertInto('settings').values({ key: LIMITS_KEY, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'managementReports.setConcentrationLimits', entity: 'settings', entityId: LIMITS_KEY, detail: { before, after: value } });
  });
  return value;
}

/** Each factoring financing's receivables, by account debtor: the invoice amounts (the weights its balance is spread by). */
export async function receivableDebtors(db: Db, loanIds: number[]): Promise<Map<number, DebtorWeight[]>> {
  const m = new Map<number, DebtorWeight[]>();
  if (loanIds.length === 0) return m;
  const rows = await db
    .selectFrom('receivables as r')
    .innerJoin('debtors as d', 'd.id', 'r.debtor_id')
    .select((eb) => ['r.loan_id', 'd.name as debtor', 'd.related_party as related', eb.fn.sum<number>('r.invoice_amount_fen').as('fen')])
    .where('r.loan_id', 'in', idList(loanIds))
    .groupBy(['r.loan_id', 'd.id'])
    .orderBy('r.loan_id')
    .orderBy('fen', 'desc')
    .orderBy('d.id')
    .execute();
  for (const r of rows) {
    const list = m.get(r.loan_id) ?? [];
    list.push({ debtor: r.debtor, weightFen: r.fen, relatedParty: r.related === 1 });
    m.set(r.loan_id, list);
  }
  return m;
}

/** Spreads `fen` over the weights, each part rounded down, the remainder to the largest weight (so the parts add up). */
export function spread(fen: number, weights: number[]): number[] {
  const total = weights.reduce((n, w) => n + BigInt(w), 0n);
  if (total === 0n) return weights.map(() => 0);
  const parts = weights.map((w) => Number((BigInt(fen) * BigInt(w)) / total));
  const largest = weights.indexOf(Math.max(...weights));
  parts[largest] += fen - parts.reduce((n, p) => n + p, 0);
  return parts;
}

export function concentrationOf(
  asOf: string,
  source: 'snapshot' | 'live',
  facts: LoanFact[],
  factoringIn: { limits: ConcentrationLimits; debtorsOf: Map<number, DebtorWeight[]> } = { limits: DEFAULT_CONCENTRATION_LIMITS, debtorsOf: new Map() },
): Concentration {
  const total = facts.reduce((n, f) => n + f.balance_fen, 0);
  const names = new Map(facts.map((f) => [String(f.borrower_id), f.borrower_name]));
  const borrowers = shares(facts, (f) => String(f.borrower_id), total)
    .slice(0, 10)
    .map((r) => ({ ...r, borrowerId: Number(r.key), key: names.get(r.key) ?? r.key }));
  const top10 = borrowers.reduce((n, r) => n + r.balanceFen, 0);

  const fact = facts.filter((f) => f.kind === 'factoring');
  const fTotal = fact.reduce((n, f) => n + f.balance_fen, 0);
  const debtors = new Map<string, ShareRow & { relatedParty: boolean }>();
  for (const f of fact) {
    const list = factoringIn.debtorsOf.get(f.loan_id) ?? [{ debtor: '', weightFen: 1 }];
    const parts = spread(f.balance_fen, list.map((d) => d.weightFen));
    list.forEach((d, i) => {
      const row = debtors.get(d.debtor) ?? { key: d.debtor, count: 0, balanceFen: 0, share: null, relatedParty: !!d.relatedParty };
      row.count++;
      row.balanceFen += parts[i];
      debtors.set(d.debtor, row);
    });
  }
  const over = (fen: number, maxBp: number) => BigInt(fen) * 10_000n > BigInt(maxBp) * BigInt(fTotal);
  const byDebtor: FactoringShareRow[] = [...debtors.values()]
    .map((r) => ({ ...r, share: ratioOf(r.balanceFen, fTotal), breach: r.key !== '' && over(r.balanceFen, factoringIn.limits.debtorMaxBp) }))
    .sort((x, y) => y.balanceFen - x.balanceFen || x.key.localeCompare(y.key));
  const related = byDebtor.filter((r) => r.relatedParty);
  const relatedFen = related.reduce((n, r) => n + r.balanceFen, 0);
  const relatedParty = { debtors: related.length, balanceFen: relatedFen, share: ratioOf(relatedFen, fTotal), breach: relatedFen > 0 && over(relatedFen, factoringIn.limits.relatedMaxBp) };
  const sellerNames = new Map(fact.map((f) => [String(f.borrower_id), f.borrower_name]));
  return {
    asOf,
    source,
    balanceFen: total,
    topBorrowers: borrowers,
    top10Share: ratioOf(top10, total),
    largestShare: ratioOf(borrowers[0]?.balanceFen ?? 0, total),
    byIndustry: shares(facts, (f) => f.industry, total),
    byProduct: shares(facts, (f) => f.product, total),
    factoring: {
      balanceFen: fTotal,
      limits: factoringIn.limits,
      byDebtor,
      bySeller: shares(fact, (f) => String(f.borrower_id), fTotal).map((r) => ({ ...r, key: sellerNames.get(r.key) ?? r.key })),
      relatedParty,
      breaches: byDebtor.filter((r) => r.breach).length + (relatedParty.breach ? 1 : 0),
    },
  };
}

/** Concentration: the ten largest borrowers by balance and their share; the balance by industry and by product; factoring against the 205号 limits. */
export async function concentration(ctx: AppContext, input: { asOf: string }): Promise<Concentration> {
  requirePermission(ctx, 'portfolio.reports');
  return concentrationAt(requireStore(ctx).db, input.asOf);
}

export async function concentrationAt(db: Db, asOf: string): Promise<Concentration> {
  const f = await factsAt(db, asOf);
  const ids = f.facts.filter((x) => x.kind === 'factoring').map((x) => x.loan_id);
  return concentrationOf(asOf, f.source, f.facts, { limits: await readConcentrationLimits(db), debtorsOf: await receivableDebtors(db, ids) });
}

const quarter = (date: string) => `${date.slice(0, 4)}Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;

const quarterStartMonth = (q: string) => Number(q.slice(0, 4)) * 12 + (Number(q.slice(5)) - 1) * 3;
const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;

/**
 * Vintage curves from the stored month-end snapshots up to `asOf` (at most 24): per disbursement quarter, the
 * balance more than 30 days past due against months on book, over the principal the quarter's loans had drawn by
 * that month-end (all its loans, closed and written-off ones included). Reads only.
 */
export async function vintageCurves(db: Db, asOf: string): Promise<VintageCurve[]> {
  const loans = await db.selectFrom('loans').select(['id', 'start_date', 'principal_fen']).execute();
  /** What the loans started between `from` and `to` drew after `after`. */
  const drawnAfter = async (after: string, from: string, to: string): Promise<number> =>
    (
      await db
        .selectFrom('loan_drawdowns')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('fen'))
        .where('drawn_on', '>', after)
        .where('loan_id', 'in', (eb) => eb.selectFrom('loans').select('id').where((e) => e.between('start_date', from, to)))
        .executeTakeFirstOrThrow()
    ).fen;
  const curves = new Map<string, VintageCurve>();
  for (const end of monthEndsUpTo(asOf, 24)) {
    const snap = await currentSnapshot(db, end);
    if (!snap) continue;
    const over30 = new Map<string, number>();
    for (const f of await snapshotLoans(db, snap.id)) if (f.dpd > 30) over30.set(quarter(f.start_date), (over30.get(quarter(f.start_date)) ?? 0) + f.balance_fen);
    const vintages = [...new Set(loans.filter((l) => l.start_date <= end).map((l) => quarter(l.start_date)))].sort();
    for (const v of vintages) {
      const first = quarterStartMonth(v);
      const from = `${Math.floor(first / 12)}-${String((first % 12) + 1).padStart(2, '0')}-01`;
      const to = addDays(`${Math.floor((first + 3) / 12)}-${String(((first + 3) % 12) + 1).padStart(2, '0')}-01`, -1);
      const drawn = loans.filter((l) => l.start_date >= from && l.start_date <= to && l.start_date <= end).reduce((n, l) => n + l.principal_fen, 0);
      const principal = drawn - (await drawnAfter(end, from, end < to ? end : to));
      const fen = over30.get(v) ?? 0;
      const curve = curves.get(v) ?? { vintage: v, points: [] };
      curve.points.push({ mob: monthIndex(end) - first + 1, asOf: end, over30Fen: fen, ratio: ratioOf(fen, principal) });
      curves.set(v, curve);
    }
  }
  return [...curves.values()].sort((a, b) => a.vintage.localeCompare(b.vintage));
}

/** Vintage: the loans on the books at `asOf` by the quarter they were disbursed in, and the curves of the quarters. */
export async function vintage(ctx: AppContext, input: { asOf: string }): Promise<Vintage> {
  requirePermission(ctx, 'portfolio.reports');
  return vintageAt(requireStore(ctx).db, input);
}

export async function vintageAt(db: Db, input: { asOf: string }): Promise<Vintage> {
  const f = await factsAt(db, input.asOf);
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
  return { asOf: input.asOf, source: f.source, rows, curves: await vintageCurves(db, input.asOf) };
}

/** The buckets of the factoring ageing: days past the receivable's due date (0: not yet due). */
export const AGEING_BUCKETS = [
  { key: 'current', from: -Infinity, to: 0 },
  { key: '1-30', from: 1, to: 30 },
  { key: '31-60', from: 31, to: 60 },
  { key: '61-90', from: 61, to: 90 },
  { key: '91-180', from: 91, to: 180 },
  { key: '181+', from: 181, to: Infinity },
] as const;

const dayNumber = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

/**
 * 保理应收账款账龄: the receivables of the factoring financings on the books at `asOf` still outstanding then
 * (the invoice amount less the debtor's payments and the seller's buy-backs made by `asOf`, reversed ones left
 * out, and less the dilution recorded by then), by days past their due date.
 */
export async function factoringAgeing(db: Db, asOf: string, loanIds: number[]): Promise<FactoringAgeing> {
  const rows = loanIds.length
    ? await db
        .selectFrom('receivables as r')
        .select((eb) => [
          'r.id',
          'r.due_date',
          eb(
            'r.invoice_amount_fen',
            '-',
            eb.fn.coalesce(
              eb
                .selectFrom('receivable_payments as p')
                .select((e) => e.fn.sum<number>('p.amount_fen').as('s'))
                .whereRef('p.receivable_id', '=', 'r.id')
                .where('p.paid_on', '<=', asOf)
                .where((e) => e.not(e.exists(e.selectFrom('repayments as x').select(e.lit(1).as('one')).whereRef('x.reversal_of', '=', 'p.repayment_id')))),
              eb.lit(0),
            ),
          ).as('outstanding'),
        ])
        .where('r.loan_id', 'in', idList(loanIds))
        .execute()
    : [];
  // Dilution recorded by then (credit notes, returns, disputes less their resolutions) reduces what is owed, as in
  // the debtors' register (factoring/figures.ts); a misdirected payment reduces nothing.
  const diluted = new Map<number, number>();
  if (rows.length) {
    const adjustments = await db
      .selectFrom('receivable_adjustments')
      .select(['receivable_id', 'kind', 'amount_fen'])
      .where('receivable_id', 'in', idList(rows.map((r) => r.id)))
      .where('adjusted_on', '<=', asOf)
      .execute();
    for (const a of adjustments) {
      const sign = a.kind === 'dispute-resolved' ? -1 : a.kind === 'misdirected' ? 0 : 1;
      diluted.set(a.receivable_id, (diluted.get(a.receivable_id) ?? 0) + sign * a.amount_fen);
    }
  }
  const buckets = AGEING_BUCKETS.map((b) => ({ bucket: b.key, count: 0, outstandingFen: 0, share: null as number | null }));
  for (const raw of rows) {
    const r = { ...raw, outstanding: raw.outstanding - (diluted.get(raw.id) ?? 0) };
    if (r.outstanding <= 0) continue;
    const days = dayNumber(asOf) - dayNumber(r.due_date);
    const i = AGEING_BUCKETS.findIndex((b) => days >= b.from && days <= b.to);
    buckets[i].count++;
    buckets[i].outstandingFen += r.outstanding;
  }
  const total = buckets.reduce((n, b) => n + b.outstandingFen, 0);
  return { asOf, outstandingFen: total, buckets: buckets.map((b) => ({ ...b, share: ratioOf(b.outstandingFen, total) })) };
}
