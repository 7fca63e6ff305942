import { DPD_BUCKETS, LEVELS, todayIn, type ClassificationLevel, type DpdBucket } from '../../../shared/domain';
import type { DueRow, RepaymentEvent } from '../../../shared/domain/loanState';
import { NPL_LEVELS, provisionFen, ratioOf, type ProvisionRates } from '../../../shared/domain/provisioning';
import type { ClassKpi, CountBalance, Kpis, RateCount, SnapshotActivity } from '../../../shared/ipc/managementReports';
import { expressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely';
import { businessDayOf, countWhere, daysBetween, plusDays } from '../../db/dialect';
import type { Database, LoansTable } from '../../db/schema';
import { computeStatus } from '../../domain/loanStatus';
import type { LoanRow } from '../../kernel/authz';

/**
 * The figures are computed with the executor they are given: the store's Kysely for a live view, or the snapshot's
 * transaction, so that the figures and their storing see the same data (snapshots.ts).
 */
export type Db = Kysely<Database>;

/** One loan on the books on a date, as a snapshot stores it (column names as in portfolio_snapshot_loans). */
export interface LoanFact {
  loan_id: number;
  contract_no: string;
  kind: 'loan' | 'factoring';
  borrower_id: number;
  borrower_name: string;
  officer: string;
  product: string;
  industry: string;
  start_date: string;
  maturity_date: string;
  principal_fen: number;
  balance_fen: number;
  dpd: number;
  bucket: DpdBucket;
  level: ClassificationLevel;
  overdue_principal_fen: number;
  overdue_interest_fen: number;
  penalty_fen: number;
  provision_rate_bp: number;
  provision_fen: number;
  /** What could not be replayed from the recorded history (see `loanAsOf`), comma-separated; '' when nothing. */
  history_gaps: string;
}

function group<T extends { loan_id: number }>(rows: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const list = m.get(r.loan_id);
    if (list) list.push(r);
    else m.set(r.loan_id, [r]);
  }
  return m;
}

/** On the books on `asOf`: disbursed by then, and neither closed nor written off by then (the overdue summary's rule). */
function onBooks(asOf: string): Expression<SqlBool> {
  const eb = expressionBuilder<{ l: LoansTable }, 'l'>();
  return eb.and([
    eb('l.start_date', '<=', asOf),
    eb.or([
      eb('l.status', '=', 'active'),
      eb.and([eb('l.status', '=', 'closed'), eb('l.closed_on', '>', asOf)]),
      eb.and([eb('l.status', '=', 'written-off'), eb('l.written_off_on', '>', asOf)]),
    ]),
  ]);
}

interface LoanEvent {
  loan_id: number;
  event_date: string;
  kind: 'handover' | 'extension' | 'restructuring';
  detail: string;
}

type HistoricLoan = LoanRow & { borrower_name: string; borrower_industry: string; drawn_fen: number };

/**
 * The loan as it stood at the end of `asOf`, from what is recorded of its changes since:
 * - officer: the `from` of the first handover (移交) dated after asOf, else today's;
 * - schedule: the newest version in force by then — version 1 from the start, a drawdown's from its drawing date,
 *   an extension's or restructuring's from its event date; a version without a recorded date is a `schedule` gap
 *   (the newest dated version by then is used);
 * - before a restructuring dated after asOf: not restructured then (or as the earlier restructuring left it), at the
 *   rate it had (the earlier restructuring's, else the rate the loan was created with, from the audit trail; a
 *   `rate` gap when neither is recorded); whether it was non-performing before an earlier restructuring is not
 *   recorded (`restructuring` gap).
 */
export function loanAsOf(
  loan: HistoricLoan,
  asOf: string,
  events: LoanEvent[],
  draws: { schedule_version: number; drawn_on: string }[],
  createdRate: string | null,
): { loan: HistoricLoan; version: number; gaps: string[] } {
  const gaps: string[] = [];
  const at = { ...loan };
  const handover = events.find((e) => e.kind === 'handover' && e.event_date > asOf);
  if (handover) at.officer = (JSON.parse(handover.detail) as { from: string }).from;

  const dated = new Map<number, string>([[1, loan.start_date]]);
  for (const d of draws) dated.set(d.schedule_version, d.drawn_on);
  for (const e of events) {
    const v = e.kind === 'handover' ? undefined : (JSON.parse(e.detail) as { version?: number }).version;
    if (v !== undefined) dated.set(v, e.event_date);
  }
  let version = 1;
  for (let v = 2; v <= loan.schedule_version; v++) {
    const d = dated.get(v);
    if (d === undefined) gaps.push('schedule');
    else if (d <= asOf) version = v;
  }

  const restructurings = events.filter((e) => e.kind === 'restructuring');
  if (restructurings.some((e) => e.event_date > asOf)) {
    const earlier = restructurings.filter((e) => e.event_date <= asOf).at(-1);
    if (earlier) {
      const d = JSON.parse(earlier.detail) as { rate: string; observationUntil: string };
      Object.assign(at, { restructured: 1, annual_rate: d.rate, observation_until: d.observationUntil });
      gaps.push('restructuring');
    } else {
      Object.assign(at, { restructured: 0, npl_before_restructure: 0, observation_until: null });
      if (createdRate === null) gaps.push('rate');
      else at.annual_rate = createdRate;
    }
  }
  return { loan: at, version, gaps: [...new Set(gaps)] };
}

/**
 * Every loan on the books on `asOf`, replayed to that date with `computeStatus` (the batch's and the overdue
 * summary's computation): the schedule version in force then and the officer who held it then (`loanAsOf`), the
 * payments made by then, the manual class approved by then. The principal is what had been drawn by then.
 * Provision: balance × its class's rate, half-up per loan.
 */
export async function loansOnBooks(db: Db, asOf: string, rates: ProvisionRates): Promise<LoanFact[]> {
  const loans = (await db
    .selectFrom('loans as l')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .selectAll('l')
    .select((eb) => [
      'b.name as borrower_name',
      'b.industry as borrower_industry',
      eb('l.principal_fen', '-', eb.fn.coalesce(eb.selectFrom('loan_drawdowns as d').select((e) => e.fn.sum<number>('d.amount_fen').as('s')).whereRef('d.loan_id', '=', 'l.id').where('d.drawn_on', '>', asOf), eb.lit(0))).as('drawn_fen'),
    ])
    .where(onBooks(asOf))
    .orderBy('l.id')
    .execute()) as HistoricLoan[];
  const rowsOf = group(
    await db
      .selectFrom('schedule_rows as r')
      .innerJoin('loans as l', 'l.id', 'r.loan_id')
      .select(['r.loan_id', 'r.version', 'r.period', 'r.due_date', 'r.principal_fen', 'r.interest_fen'])
      .where(onBooks(asOf))
      .orderBy('r.loan_id')
      .orderBy('r.version')
      .orderBy('r.period')
      .execute(),
  );
  const eventsOf = group(
    (await db
      .selectFrom('loan_events as e')
      .innerJoin('loans as l', 'l.id', 'e.loan_id')
      .select(['e.loan_id', 'e.event_date', 'e.kind', 'e.detail'])
      .where(onBooks(asOf))
      .where('e.kind', 'in', ['handover', 'extension', 'restructuring'])
      .orderBy('e.loan_id')
      .orderBy('e.event_date')
      .orderBy('e.id')
      .execute()) as LoanEvent[],
  );
  const drawsOf = group(
    await db.selectFrom('loan_drawdowns as d').innerJoin('loans as l', 'l.id', 'd.loan_id').select(['d.loan_id', 'd.schedule_version', 'd.drawn_on']).where(onBooks(asOf)).execute(),
  );
  const createdRate = async (loanId: number): Promise<string | null> => {
    const r = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'loans.create')
      .where('entity', '=', 'loan')
      .where('entity_id', '=', String(loanId))
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    const rate = r?.detail ? (JSON.parse(r.detail) as { annualRate?: unknown }).annualRate : undefined;
    return typeof rate === 'string' ? rate : null;
  };
  const paid = group(
    await db
      .selectFrom('effective_repayments as r')
      .innerJoin('loans as l', 'l.id', 'r.loan_id')
      .select(['r.loan_id', 'r.id', 'r.paid_on', 'r.amount_fen'])
      .where(onBooks(asOf))
      .where('r.paid_on', '<=', asOf)
      .execute(),
  );
  const manual = new Map<number, ClassificationLevel>();
  const approved = (await db
    .selectFrom('classifications')
    .select(['loan_id', 'level', 'decided_at'])
    .where('status', '=', 'approved')
    .where('decided_at', 'is not', null)
    .orderBy('id')
    .execute()) as { loan_id: number; level: ClassificationLevel; decided_at: string }[];
  for (const c of approved) if (todayIn(new Date(c.decided_at)) <= asOf) manual.set(c.loan_id, c.level);
  // The rate a loan was created with, only for the loans restructured after asOf (few).
  const createdRates = new Map<number, string | null>();
  for (const l of loans) {
    if ((eventsOf.get(l.id) ?? []).some((e) => e.kind === 'restructuring' && e.event_date > asOf)) createdRates.set(l.id, await createdRate(l.id));
  }

  return loans.map((today) => {
    const events = eventsOf.get(today.id) ?? [];
    const { loan, version, gaps } = loanAsOf(today, asOf, events, drawsOf.get(today.id) ?? [], createdRates.get(today.id) ?? null);
    const schedule = (rowsOf.get(loan.id) ?? []).filter((r) => r.version === version);
    const dueRows: DueRow[] = schedule.map((r) => ({ period: r.period, dueDate: r.due_date, principalFen: r.principal_fen, interestFen: r.interest_fen }));
    const reps: RepaymentEvent[] = (paid.get(loan.id) ?? []).map((r) => ({ id: r.id, date: r.paid_on, amountFen: r.amount_fen }));
    const st = computeStatus(loan, dueRows, reps, asOf, manual.get(loan.id) ?? null);
    const bp = rates.byLevel[st.level];
    return {
      loan_id: loan.id,
      contract_no: loan.contract_no,
      kind: loan.kind,
      borrower_id: loan.borrower_id,
      borrower_name: loan.borrower_name,
      officer: loan.officer,
      product: loan.product,
      industry: loan.borrower_industry,
      start_date: loan.start_date,
      maturity_date: schedule.at(-1)?.due_date ?? loan.maturity_date,
      principal_fen: loan.drawn_fen,
      balance_fen: st.state.balanceFen,
      dpd: st.state.dpd,
      bucket: st.state.bucket,
      level: st.level,
      overdue_principal_fen: st.state.overduePrincipalFen,
      overdue_interest_fen: st.state.overdueInterestFen,
      penalty_fen: st.state.penaltyOutstandingFen,
      provision_rate_bp: bp,
      provision_fen: provisionFen(st.state.balanceFen, bp),
      history_gaps: gaps.join(','),
    };
  });
}

export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

const rate = (due: number, met: number): RateCount => ({ due, met, rate: ratioOf(met, due) });

/**
 * The period's activity (from the first of asOf's month to asOf):
 * - write-offs: loans written off in the period, with their last stored balance (the write-off list's figure);
 * - recoveries after write-off (账销案存) received in the period;
 * - promises falling due in the period, kept when the payments from the day it was made reach its amount by its date;
 * - receipts whose chase period (printed day + the chase days setting) ended in the period, met when the receipt
 *   was registered as returned within it;
 * - inspections due in the period (not cancelled), on time when a report past the officer's hands (submitted, signed,
 *   accepted, or superseded by its correction — not a draft, nor one returned for rework) has a visit on or before the due date;
 * - reports whose review fell due in the period (`review_due`, set at submission), signed when a 'sign' step is dated on
 *   or before it (a report returned instead counts as not signed);
 * - warnings open at the end of asOf (raised by then, not closed by then), by level, with their average age in days.
 * Timestamps are UTC; they are turned into the business day in Beijing (`bjDay`) before being compared with dates.
 */
export async function activityFor(db: Db, asOf: string, chaseDays: number): Promise<SnapshotActivity> {
  const p = { from: monthStart(asOf), asOf };
  const wo = await db
    .selectFrom('loans as l')
    .leftJoin('loan_status as st', 'st.loan_id', 'l.id')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('st.balance_fen'), eb.lit(0)).as('fen')])
    .where('l.status', '=', 'written-off')
    .where((eb) => eb.between('l.written_off_on', p.from, asOf))
    .executeTakeFirstOrThrow();
  const rec = await db
    .selectFrom('recoveries')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('fen')])
    .where((eb) => eb.between('paid_on', p.from, asOf))
    .executeTakeFirstOrThrow();
  const prom = await db
    .selectFrom((sub) =>
      sub
        .selectFrom('promises as p')
        .select((eb) => [
          'p.amount_fen',
          eb.fn
            .coalesce(
              eb
                .selectFrom('effective_repayments as r')
                .select((e) => e.fn.sum<number>('r.amount_fen').as('s'))
                .whereRef('r.loan_id', '=', 'p.loan_id')
                .where((e) => e.between('r.paid_on', e.ref('p.made_on'), e.ref('p.promise_date'))),
              eb.lit(0),
            )
            .as('paid'),
        ])
        .where((eb) => eb.between('p.promise_date', p.from, asOf))
        .as('x'),
    )
    .select((eb) => [eb.fn.countAll<number>().as('due'), eb.fn.coalesce(countWhere(eb('paid', '>=', eb.ref('amount_fen'))), eb.lit(0)).as('met')])
    .executeTakeFirstOrThrow();
  const rcpt = await db
    .selectFrom('notices as n')
    .select((eb) => [
      eb.fn.countAll<number>().as('due'),
      eb.fn
        .coalesce(
          countWhere(
            eb.and([
              eb('n.receipt_status', '=', 'returned'),
              eb('n.registered_at', 'is not', null),
              eb(businessDayOf(eb.ref('n.registered_at')), '<=', plusDays(businessDayOf(eb.ref('n.printed_at')), chaseDays)),
            ]),
          ),
          eb.lit(0),
        )
        .as('met'),
    ])
    .where('n.status', '=', 'printed')
    .where('n.receipt_required', '=', 1)
    .where('n.printed_at', 'is not', null)
    .where((eb) => eb.between(plusDays(businessDayOf(eb.ref('n.printed_at')), chaseDays), p.from, asOf))
    .executeTakeFirstOrThrow();
  const insp = await db
    .selectFrom('inspections as i')
    .select((eb) => [
      eb.fn.countAll<number>().as('due'),
      eb.fn
        .coalesce(
          countWhere(
            eb.exists(
              eb
                .selectFrom('inspection_reports as r')
                .select(eb.lit(1).as('one'))
                .whereRef('r.inspection_id', '=', 'i.id')
                .where('r.status', 'in', ['submitted', 'signed', 'accepted', 'superseded'])
                .whereRef('r.visit_date', '<=', 'i.due_date'),
            ),
          ),
          eb.lit(0),
        )
        .as('met'),
    ])
    .where('i.status', '<>', 'cancelled')
    .where((eb) => eb.between('i.due_date', p.from, asOf))
    .executeTakeFirstOrThrow();
  const signed = await db
    .selectFrom('inspection_reports as r')
    .select((eb) => [
      eb.fn.countAll<number>().as('due'),
      eb.fn
        .coalesce(
          countWhere(
            eb.exists(
              eb
                .selectFrom('report_events as e')
                .select(eb.lit(1).as('one'))
                .whereRef('e.report_id', '=', 'r.id')
                .where('e.step', '=', 'sign')
                .where((e) => e(businessDayOf(e.ref('e.at')), '<=', e.ref('r.review_due'))),
            ),
          ),
          eb.lit(0),
        )
        .as('met'),
    ])
    .where('r.status', '<>', 'draft')
    .where('r.review_due', 'is not', null)
    .where((eb) => eb.between('r.review_due', p.from, asOf))
    .executeTakeFirstOrThrow();
  const warn = (await db
    .selectFrom('warnings as w')
    .select((eb) => ['w.level', eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>(daysBetween(asOf, businessDayOf(eb.ref('w.raised_at')))), eb.lit(0)).as('days')])
    .where((eb) => eb.and([eb(businessDayOf(eb.ref('w.raised_at')), '<=', asOf), eb.or([eb('w.closed_at', 'is', null), eb(businessDayOf(eb.ref('w.closed_at')), '>', asOf)])]))
    .groupBy('w.level')
    .execute()) as { level: 'light' | 'medium' | 'serious'; n: number; days: number }[];
  const byLevel = { light: { count: 0, averageAgeDays: null }, medium: { count: 0, averageAgeDays: null }, serious: { count: 0, averageAgeDays: null } } as SnapshotActivity['warnings']['byLevel'];
  let open = 0;
  let days = 0;
  for (const w of warn) {
    byLevel[w.level] = { count: w.n, averageAgeDays: w.n ? Math.round((w.days / w.n) * 10) / 10 : null };
    open += w.n;
    days += w.days;
  }
  return {
    periodStart: p.from,
    writeOffs: { count: wo.n, balanceFen: wo.fen },
    recoveries: { count: rec.n, amountFen: rec.fen },
    promises: rate(prom.due, prom.met),
    receipts: rate(rcpt.due, rcpt.met),
    inspections: rate(insp.due, insp.met),
    reportsSigned: rate(signed.due, signed.met),
    warnings: { open, averageAgeDays: open ? Math.round((days / open) * 10) / 10 : null, byLevel },
  };
}

const zero = (): CountBalance => ({ count: 0, balanceFen: 0 });

/** The KPIs of a set of loan facts (a snapshot's rows, or computed live). */
export function kpisOf(
  facts: LoanFact[],
  meta: { asOf: string; source: 'snapshot' | 'live'; snapshotId: number | null; takenAt: string | null; rates: ProvisionRates; activity: SnapshotActivity; heldFen: number | null },
): Kpis {
  const byClass = Object.fromEntries(LEVELS.map((l) => [l, { ...zero(), provisionRateBp: meta.rates.byLevel[l], provisionFen: 0 }])) as Record<ClassificationLevel, ClassKpi>;
  const byBucket = Object.fromEntries(DPD_BUCKETS.map((b) => [b, zero()])) as Record<DpdBucket, CountBalance>;
  let balance = 0;
  let overdueLoans = 0;
  let overdueBalance = 0;
  let nplLoans = 0;
  let nplBalance = 0;
  let classProvision = 0;
  const factoring = { loans: 0, balanceFen: 0, classProvisionFen: 0, reserveMinFen: 0 };
  for (const f of facts) {
    balance += f.balance_fen;
    const c = byClass[f.level];
    c.count++;
    c.balanceFen += f.balance_fen;
    c.provisionFen += f.provision_fen;
    byBucket[f.bucket].count++;
    byBucket[f.bucket].balanceFen += f.balance_fen;
    if (f.dpd > 0) {
      overdueLoans++;
      overdueBalance += f.balance_fen;
    }
    if (NPL_LEVELS.includes(f.level)) {
      nplLoans++;
      nplBalance += f.balance_fen;
    }
    if (f.kind === 'factoring') {
      factoring.loans++;
      factoring.balanceFen += f.balance_fen;
      factoring.classProvisionFen += f.provision_fen;
    } else classProvision += f.provision_fen;
  }
  factoring.reserveMinFen = provisionFen(factoring.balanceFen, meta.rates.factoringReserveMinBp);
  const required = classProvision + Math.max(factoring.classProvisionFen, factoring.reserveMinFen);
  const basisFen = meta.heldFen ?? required;
  for (const n of [balance, overdueBalance, nplBalance, required]) if (!Number.isSafeInteger(n)) throw new RangeError('amount out of range');
  return {
    asOf: meta.asOf,
    source: meta.source,
    snapshotId: meta.snapshotId,
    takenAt: meta.takenAt,
    loans: facts.length,
    balanceFen: balance,
    overdueLoans,
    overdueBalanceFen: overdueBalance,
    overdueRate: ratioOf(overdueBalance, balance),
    overdueCountRate: ratioOf(overdueLoans, facts.length),
    nplLoans,
    nplBalanceFen: nplBalance,
    nplRatio: ratioOf(nplBalance, balance),
    byClass,
    byBucket,
    provisionRequiredFen: required,
    provisionHeldFen: meta.heldFen,
    coverageRatio: ratioOf(basisFen, nplBalance),
    coverageBasis: meta.heldFen === null ? 'required' : 'held',
    provisionRatio: ratioOf(basisFen, balance),
    factoring,
    rates: meta.rates,
    activity: meta.activity,
    historyGaps: facts.filter((f) => f.history_gaps).length,
  };
}
