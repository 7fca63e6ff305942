import { daysBetween, DPD_BUCKETS, LEVELS, todayIn, type ClassificationLevel } from '../../shared/domain';
import type { DueRow, ExcessUse, RepaymentEvent } from '../../shared/domain/loanState';
import type { CountBalance, LimitationBand, LimitationClaim, LimitationReport, OverdueSummary } from '../../shared/ipc/portfolioReports';
import { limitationWorkbook, overdueWorkbook } from '../xlsx/portfolioReports';
import { limitationOf } from './collections';
import { type AppContext, today } from '../kernel/context';
import { computeStatus } from './loanStatus';
import { type LoanRow, requirePermission } from '../kernel/authz';
import { requireStore } from '../kernel/store';

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
  const candidates = store.sqlite
    .prepare(
      `SELECT l.id, l.contract_no, l.officer, b.name, coalesce(u.display_name, l.officer) AS officer_name
       FROM loans l JOIN borrowers b ON b.id = l.borrower_id LEFT JOIN users u ON u.username = l.officer
       WHERE l.status IN ('active', 'written-off') AND (@officer IS NULL OR l.officer = @officer)
         AND (l.maturity_date <= date(@asOf, '+${LIMITATION_HORIZON_DAYS} days')
              OR EXISTS (SELECT 1 FROM notices n WHERE n.loan_id = l.id AND n.addressee_kind = 'guarantor' AND n.receipt_status = 'returned'
                         AND n.signed_on <= date(@asOf, '+${LIMITATION_HORIZON_DAYS} days', '-3 years')))
       ORDER BY l.contract_no`,
    )
    .all({ asOf, officer: input.officer }) as { id: number; contract_no: string; officer: string; name: string; officer_name: string }[];
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
  const { sqlite } = requireStore(ctx);
  const asOf = input.asOf ?? today(ctx);
  const params = { asOf, officer: input.officer };
  const onBooks = `l.start_date <= @asOf AND (@officer IS NULL OR l.officer = @officer)
    AND (l.status = 'active' OR (l.status = 'closed' AND l.closed_on > @asOf) OR (l.status = 'written-off' AND l.written_off_on > @asOf))`;
  const loans = sqlite.prepare(`SELECT l.* FROM loans l WHERE ${onBooks} ORDER BY l.id`).all(params) as LoanRow[];
  const due = group(
    sqlite
      .prepare(
        `SELECT r.loan_id, r.period, r.due_date, r.principal_fen, r.interest_fen FROM schedule_rows r JOIN loans l ON l.id = r.loan_id AND l.schedule_version = r.version
         WHERE ${onBooks} ORDER BY r.loan_id, r.period`,
      )
      .all(params) as { loan_id: number; period: number; due_date: string; principal_fen: number; interest_fen: number }[],
  );
  const paid = group(
    sqlite
      .prepare(`SELECT r.loan_id, r.id, r.paid_on, r.amount_fen, r.excess, r.fee_fen FROM effective_repayments r JOIN loans l ON l.id = r.loan_id WHERE ${onBooks} AND r.paid_on <= @asOf`)
      .all(params) as { loan_id: number; id: number; paid_on: string; amount_fen: number; excess: ExcessUse; fee_fen: number }[],
  );
  // The manual class in force on asOf: the latest approved on or before that day.
  const manual = new Map<number, ClassificationLevel>();
  const approved = sqlite.prepare(`SELECT loan_id, level, decided_at FROM classifications WHERE status = 'approved' AND decided_at IS NOT NULL ORDER BY id`).all() as { loan_id: number; level: ClassificationLevel; decided_at: string }[];
  for (const c of approved) if (todayIn(new Date(c.decided_at)) <= asOf) manual.set(c.loan_id, c.level);

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
  }
  const sum = (rs: typeof rows) => rs.reduce((a, r) => ({ count: a.count + r.count, balanceFen: a.balanceFen + r.balanceFen, overdueFen: a.overdueFen + r.overdueFen }), { ...zero(), overdueFen: 0 });
  return { asOf, officer: input.officer, rows, levels, overdue: sum(rows.slice(1)), total: sum(rows) };
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
