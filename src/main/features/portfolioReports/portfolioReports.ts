import { addDays, addYearsRolling, daysBetween, DELINQUENCY_REASONS, DPD_BUCKETS, LEVELS, todayIn, type ClassificationLevel } from '../../../shared/domain';
import type { DueRow, ExcessUse, RepaymentEvent } from '../../../shared/domain/loanState';
import type { CountBalance, LimitationBand, LimitationClaim, LimitationReport, OverdueSummary } from '../../../shared/ipc/portfolioReports';
import { limitationWorkbook, overdueWorkbook } from '../../xlsx/portfolioReports';
import { limitationOf } from '../collections/collections';
import { type AppContext, today } from '../../kernel/context';
import { computeStatus } from '../../domain/loanStatus';
import { type LoanRow, requirePermission } from '../../kernel/authz';
import { requireStore } from '../../kernel/store';
import type { ExpressionBuilder } from 'kysely';
import type { Database, LoansTable } from '../../db/schema';

/** Claims are listed from 180 days before their last day; expired ones stay listed while the loan is on the books. */
export const LIMITATION_HORIZON_DAYS = 180;

function band(daysLeft: number): LimitationBand {
  return daysLeft < 0 ? 'expired' : daysLeft <= 30 ? '30' : daysLeft <= 90 ? '90' : '180';
}

/**
 * 诉讼时效报表: every borrower and guarantor clock ending within 180 days (or already ended), with the evidence
 * it runs from. Each loan's clocks come from `limitationOf`, the loan page's own computation (holidays included).
 */
export async function limitationReport(ctx: AppContext, input: { officer: string | null }): Promise<LimitationReport> {
  requirePermission(ctx, 'portfolio.reports');
  const store = requireStore(ctx);
  const asOf = today(ctx);
  // A borrower's clock runs three years from maturity at the earliest, a guarantee period ends after maturity,
  // and a demanded guarantor's clock runs three years from the demand: only these loans can have a claim in range.
  const horizon = addDays(asOf, LIMITATION_HORIZON_DAYS);
  const candidates = await store.db
    .selectFrom('loans as l')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .leftJoin('users as u', 'u.username', 'l.officer')
    .select((eb) => ['l.id', 'l.contract_no', 'l.officer', 'b.name', eb.fn.coalesce('u.display_name', 'l.officer').as('officer_name')])
    .where('l.status', 'in', ['active', 'written-off'])
    .$if(input.officer !== null, (q) => q.where('l.officer', '=', input.officer ?? ''))
    .where((eb) =>
      eb.or([
        eb('l.maturity_date', '<=', horizon),
        eb.exists(
          eb
            .selectFrom('notices as n')
            .select(eb.lit(1).as('one'))
            .whereRef('n.loan_id', '=', 'l.id')
            .where('n.addressee_kind', '=', 'guarantor')
            .where('n.receipt_status', '=', 'returned')
            .where('n.signed_on', '<=', addYearsRolling(horizon, -3)),
        ),
      ]),
    )
    .orderBy('l.contract_no')
    .execute();
  const claims: LimitationClaim[] = [];
  for (const l of candidates) {
    const view = await limitationOf(ctx, store, l.id);
    const base = { loanId: l.id, contractNo: l.contract_no, borrowerName: l.name, officer: l.officer, officerName: l.officer_name };
    if (view.daysLeft <= LIMITATION_HORIZON_DAYS) {
      claims.push({ ...base, party: 'borrower', partyName: l.name, basis: 'limitation', expiry: view.expiry, daysLeft: view.daysLeft, band: band(view.daysLeft), evidence: view.evidence });
    }
    for (const g of view.guarantors) {
      const expiry = g.expiry ?? g.guaranteePeriodEnd;
      const daysLeft = daysBetween(asOf, expiry);
      if (daysLeft > LIMITATION_HORIZON_DAYS) continue;
      const evidence = g.demandedOn
        ? [{ date: g.demandedOn, kind: 'receipt' as const, description: ctx.t('portfolioReports.guarantorDemanded', { name: g.name }), strength: 'strong' as const }]
        : [{ date: g.guaranteePeriodEnd, kind: 'due' as const, description: ctx.t('portfolioReports.guaranteePeriodEnds', { name: g.name }), strength: 'strong' as const }];
      claims.push({ ...base, party: 'guarantor', partyName: g.name, basis: g.expiry ? 'limitation' : 'guarantee-period', expiry, daysLeft, band: band(daysLeft), evidence });
    }
  }
  claims.sort((a, b) => a.daysLeft - b.daysLeft || a.contractNo.localeCompare(b.contractNo) || a.party.localeCompare(b.party));
  const counts: Record<LimitationBand, number> = { expired: 0, '30': 0, '90': 0, '180': 0 };
  for (const c of claims) counts[c.band]++;
  return { asOf, officer: input.officer, claims, counts };
}

const zero = (): CountBalance => ({ count: 0, balanceFen: 0 });
const byLevel = () => Object.fromEntries(LEVELS.map((l) => [l, zero()])) as Record<ClassificationLevel, CountBalance>;

function group<T extends { loan_id: number }>(rows: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) m.set(r.loan_id, [...(m.get(r.loan_id) ?? []), r]);
  return m;
}

/**
 * 逾期汇总: the loans on the books on `asOf` (disbursed, not yet closed or written off), each replayed to that
 * date on its current schedule with the payments made by then, counted by DPD bucket and effective class.
 */
export async function overdueSummary(ctx: AppContext, input: { asOf: string | null; officer: string | null }): Promise<OverdueSummary> {
  requirePermission(ctx, 'portfolio.reports');
  const { db } = requireStore(ctx);
  const asOf = input.asOf ?? today(ctx);
  const officer = input.officer;
  // On the books on asOf: disbursed by then, not closed or written off by then (and the officer's, when asked).
  const onBooks = (eb: ExpressionBuilder<Database & { l: LoansTable }, 'l'>) =>
    eb.and([
      eb('l.start_date', '<=', asOf),
      ...(officer === null ? [] : [eb('l.officer', '=', officer)]),
      eb.or([
        eb('l.status', '=', 'active'),
        eb.and([eb('l.status', '=', 'closed'), eb('l.closed_on', '>', asOf)]),
        eb.and([eb('l.status', '=', 'written-off'), eb('l.written_off_on', '>', asOf)]),
      ]),
    ]);
  const loans = (await db.selectFrom('loans as l').selectAll('l').where(onBooks).orderBy('l.id').execute()) as LoanRow[];
  const due = group(
    await db
      .selectFrom('schedule_rows as r')
      .innerJoin('loans as l', (j) => j.onRef('l.id', '=', 'r.loan_id').onRef('l.schedule_version', '=', 'r.version'))
      .select(['r.loan_id', 'r.period', 'r.due_date', 'r.principal_fen', 'r.interest_fen'])
      .where(onBooks)
      .orderBy('r.loan_id')
      .orderBy('r.period')
      .execute(),
  );
  const paid = group<{ loan_id: number; id: number; paid_on: string; amount_fen: number; excess: ExcessUse; fee_fen: number }>(
    await db
      .selectFrom('effective_repayments as r')
      .innerJoin('loans as l', 'l.id', 'r.loan_id')
      .select(['r.loan_id', 'r.id', 'r.paid_on', 'r.amount_fen', 'r.excess', 'r.fee_fen'])
      .where(onBooks)
      .where('r.paid_on', '<=', asOf)
      .execute(),
  );
  // The manual class in force on asOf: the latest approved on or before that day.
  const manual = new Map<number, ClassificationLevel>();
  const approved = await db
    .selectFrom('classifications')
    .select(['loan_id', 'level', 'decided_at'])
    .where('status', '=', 'approved')
    .where('decided_at', 'is not', null)
    .orderBy('id')
    .execute();
  for (const c of approved) if (c.decided_at && todayIn(new Date(c.decided_at)) <= asOf) manual.set(c.loan_id, c.level);

  // 逾期原因 recorded up to asOf, newest first per loan.
  const reasonsOf = group(
    await db
      .selectFrom('contacts as c')
      .innerJoin('loans as l', 'l.id', 'c.loan_id')
      .select(['c.loan_id', 'c.contacted_on', 'c.reason'])
      .where(onBooks)
      .where('c.reason', 'is not', null)
      .where('c.contacted_on', '<=', asOf)
      .orderBy('c.loan_id')
      .orderBy('c.contacted_on', 'desc')
      .orderBy('c.id', 'desc')
      .execute(),
  );
  const reasons = [...DELINQUENCY_REASONS, 'unknown' as const].map((reason) => ({ reason, ...zero(), overdueFen: 0 }));

  const rows = DPD_BUCKETS.map((bucket) => ({ bucket, ...zero(), overdueFen: 0, byLevel: byLevel() }));
  const levels = byLevel();
  for (const loan of loans) {
    const dueRows: DueRow[] = (due.get(loan.id) ?? []).map((r) => ({ period: r.period, dueDate: r.due_date, principalFen: r.principal_fen, interestFen: r.interest_fen }));
    const reps: RepaymentEvent[] = (paid.get(loan.id) ?? []).map((r) => ({ id: r.id, date: r.paid_on, amountFen: r.amount_fen, excess: r.excess, feeFen: r.fee_fen }));
    const st = computeStatus(loan, dueRows, reps, asOf, manual.get(loan.id) ?? null);
    const row = rows[DPD_BUCKETS.indexOf(st.state.bucket)];
    const balance = st.state.balanceFen;
    row.count++;
    row.balanceFen += balance;
    row.overdueFen += st.state.overduePrincipalFen + st.state.overdueInterestFen;
    row.byLevel[st.level].count++;
    row.byLevel[st.level].balanceFen += balance;
    levels[st.level].count++;
    levels[st.level].balanceFen += balance;
    if (st.state.bucket !== 'M0' && st.state.oldestUnpaidDueDate) {
      const spell = st.state.oldestUnpaidDueDate;
      const known = (reasonsOf.get(loan.id) ?? []).find((c) => c.contacted_on >= spell)?.reason ?? 'unknown';
      const r = reasons.find((x) => x.reason === known)!;
      r.count++;
      r.balanceFen += balance;
      r.overdueFen += st.state.overduePrincipalFen + st.state.overdueInterestFen;
    }
  }
  const sum = (rs: typeof rows) => rs.reduce((a, r) => ({ count: a.count + r.count, balanceFen: a.balanceFen + r.balanceFen, overdueFen: a.overdueFen + r.overdueFen }), { ...zero(), overdueFen: 0 });
  return { asOf, officer: input.officer, rows, levels, overdue: sum(rows.slice(1)), total: sum(rows), reasons };
}

async function officerName(ctx: AppContext, officer: string | null): Promise<string | null> {
  if (!officer) return null;
  const u = await requireStore(ctx).db.selectFrom('users').select('display_name').where('username', '=', officer).executeTakeFirst();
  return u?.display_name ?? officer;
}

export async function limitationXlsx(ctx: AppContext, input: { officer: string | null }): Promise<{ fileName: string; base64: string }> {
  const report = await limitationReport(ctx, input);
  const buf = await limitationWorkbook(ctx, report, await officerName(ctx, input.officer));
  return { fileName: ctx.t('portfolioReports.limitationFile', { date: report.asOf }), base64: buf.toString('base64') };
}

export async function overdueXlsx(ctx: AppContext, input: { asOf: string | null; officer: string | null }): Promise<{ fileName: string; base64: string }> {
  const report = await overdueSummary(ctx, input);
  const buf = await overdueWorkbook(ctx, report, await officerName(ctx, input.officer));
  return { fileName: ctx.t('portfolioReports.overdueFile', { date: report.asOf }), base64: buf.toString('base64') };
}
