import type { Kysely, Transaction } from 'kysely';
import { addDays, daysBetween, enforcementDeadline, preservationAlert, PRESERVATION_REMINDER_DAYS } from '../../../shared/domain';
import { NPL_LEVELS } from '../../../shared/domain/provisioning';
import type { LegalCaseView, LegalRecoverySource, LegalView } from '../../../shared/ipc/legal';
import type { TodayLegal, TodayPlan } from '../../../shared/ipc/today';
import { can } from '../../../shared/permissions';
import type { Database, LegalCasesTable } from '../../db/schema';
import { requirePermission, visibleLoan } from '../../kernel/authz';
import { type AppContext, type Session, today } from '../../kernel/context';
import { requireStore, type Store } from '../../kernel/store';

type Db = Kysely<Database> | Transaction<Database>;
type CaseRow = Omit<LegalCasesTable, 'id' | 'court' | 'case_no' | 'enforcement_case_no' | 'status' | 'close_note'> & {
  id: number;
  court: string;
  case_no: string;
  enforcement_case_no: string;
  status: 'open' | 'closed';
  close_note: string;
};

/** The transfer to legal of a loan (移交诉讼), if any. */
export async function legalTransfer(db: Db, loanId: number): Promise<{ id: number; event_date: string } | undefined> {
  return db.selectFrom('loan_events').select(['id', 'event_date']).where('loan_id', '=', loanId).where('kind', '=', 'legal-transfer').orderBy('id', 'desc').executeTakeFirst();
}

/** The loan's cases, newest first, with their parts and the deadlines computed for `asOf`. */
export async function legalViewOf(db: Db, loanId: number, asOf: string): Promise<LegalView> {
  const transfer = await legalTransfer(db, loanId);
  const rows = (await db.selectFrom('legal_cases').selectAll().where('loan_id', '=', loanId).orderBy('id', 'desc').execute()) as CaseRow[];
  const ids = rows.map((r) => r.id);
  const [pres, costs, recs] = ids.length
    ? await Promise.all([
        db.selectFrom('legal_preservations').selectAll().where('case_id', 'in', ids).orderBy('until_date').orderBy('id').execute(),
        db.selectFrom('legal_costs').selectAll().where('case_id', 'in', ids).orderBy('paid_on').orderBy('id').execute(),
        db.selectFrom('legal_recoveries').selectAll().where('case_id', 'in', ids).orderBy('received_on').orderBy('id').execute(),
      ])
    : [[], [], []];
  const cases = rows.map((c): LegalCaseView => {
    const recoveries = recs.filter((r) => r.case_id === c.id).map((r) => ({ id: r.id, source: r.source, amountFen: r.amount_fen, receivedOn: r.received_on, note: r.note }));
    const bySource: Partial<Record<LegalRecoverySource, number>> = {};
    for (const r of recoveries) bySource[r.source] = (bySource[r.source] ?? 0) + r.amountFen;
    const costList = costs.filter((r) => r.case_id === c.id).map((r) => ({ id: r.id, kind: r.kind, amountFen: r.amount_fen, paidOn: r.paid_on, note: r.note }));
    const enforcementBy = c.performance_due ? enforcementDeadline(c.performance_due) : null;
    return {
      id: c.id,
      loanId: c.loan_id,
      court: c.court,
      caseNo: c.case_no,
      filedOn: c.filed_on,
      hearingOn: c.hearing_on,
      outcome: c.outcome,
      outcomeOn: c.outcome_on,
      judgmentFen: c.judgment_fen,
      performanceDue: c.performance_due,
      enforcementAppliedOn: c.enforcement_applied_on,
      enforcementCaseNo: c.enforcement_case_no,
      status: c.status,
      closedOn: c.closed_on,
      closeNote: c.close_note,
      createdBy: c.created_by,
      createdAt: c.created_at,
      preservations: pres
        .filter((p) => p.case_id === c.id)
        .map((p) => ({
          id: p.id,
          what: p.what,
          rulingNo: p.ruling_no,
          fromDate: p.from_date,
          untilDate: p.until_date,
          releasedOn: p.released_on,
          daysLeft: p.released_on ? null : daysBetween(asOf, p.until_date),
          alert: p.released_on || c.status === 'closed' ? null : preservationAlert(p.until_date, asOf),
        })),
      costs: costList,
      recoveries,
      costsFen: costList.reduce((s, x) => s + x.amountFen, 0),
      recoveredFen: recoveries.reduce((s, x) => s + x.amountFen, 0),
      recoveredBySource: bySource,
      deadlines: { enforcementBy, enforcementDaysLeft: enforcementBy && !c.enforcement_applied_on ? daysBetween(asOf, enforcementBy) : null },
    };
  });
  const plans = await db.selectFrom('npl_plans').selectAll().where('loan_id', '=', loanId).orderBy('id', 'desc').execute();
  return {
    loanId,
    transferredOn: transfer?.event_date ?? null,
    cases,
    npl: await isNpl(db, loanId),
    plans: plans.map((p) => ({
      id: p.id,
      accountability: p.accountability,
      method: p.method,
      plan: p.plan,
      status: p.status,
      proposedBy: p.proposed_by,
      proposedAt: p.proposed_at,
      decidedBy: p.decided_by,
      decidedAt: p.decided_at,
      decisionComment: p.decision_comment,
    })),
  };
}

/** Non-performing now: classed 次级, 可疑 or 损失 in the stored status (the daily batch's and the approved class). */
export async function isNpl(db: Db, loanId: number): Promise<boolean> {
  const st = await db.selectFrom('loan_status').select('level').where('loan_id', '=', loanId).executeTakeFirst();
  return !!st && NPL_LEVELS.includes(st.level);
}

export async function getLegal(ctx: AppContext, input: { loanId: number }): Promise<LegalView> {
  const s = requirePermission(ctx, 'portfolio.read');
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  return legalViewOf(store.db, input.loanId, today(ctx));
}

/** The enforcement application is announced this many days before its last day. */
export const ENFORCEMENT_REMINDER_DAYS = 90;

/**
 * The home page's legal deadlines for open cases: enforcement not yet applied for, its last day within 90 days
 * (or passed); a preservation not released, ending within 30 days (or ended). Officers: their loans only.
 */
export async function legalToday(store: Store, s: Session, asOf: string, mine: boolean): Promise<TodayLegal[]> {
  const base = () =>
    store.db
      .selectFrom('legal_cases as c')
      .innerJoin('loans as l', 'l.id', 'c.loan_id')
      .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
      .where('c.status', '=', 'open')
      .$if(mine, (q) => q.where('l.officer', '=', s.username));
  // performance_due + 2 years ≤ asOf + 90 days ⇔ performance_due ≤ (asOf + 90 days) − 2 years, give or take 29 Feb: filtered again below.
  const enforcement = await base()
    .select(['c.loan_id', 'l.contract_no', 'b.name', 'c.case_no', 'c.performance_due'])
    .where('c.performance_due', 'is not', null)
    .where('c.enforcement_applied_on', 'is', null)
    .where('c.performance_due', '<=', addDays(addDays(asOf, ENFORCEMENT_REMINDER_DAYS), -728))
    .execute();
  const preservations = await base()
    .innerJoin('legal_preservations as p', 'p.case_id', 'c.id')
    .select(['c.loan_id', 'l.contract_no', 'b.name', 'c.case_no', 'p.id', 'p.what', 'p.until_date'])
    .where('p.released_on', 'is', null)
    .where('p.until_date', '<=', addDays(asOf, PRESERVATION_REMINDER_DAYS))
    .execute();
  const out: TodayLegal[] = [];
  for (const e of enforcement) {
    const due = enforcementDeadline(e.performance_due!);
    const daysLeft = daysBetween(asOf, due);
    if (daysLeft <= ENFORCEMENT_REMINDER_DAYS) out.push({ loanId: e.loan_id, contractNo: e.contract_no, borrowerName: e.name, caseNo: e.case_no, kind: 'enforcement', subject: '', due, daysLeft });
  }
  for (const p of preservations) {
    out.push({ loanId: p.loan_id, contractNo: p.contract_no, borrowerName: p.name, caseNo: p.case_no, kind: 'preservation', subject: p.what, due: p.until_date, daysLeft: daysBetween(asOf, p.until_date) });
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft || a.loanId - b.loanId);
}

/** The filing dates of the loan's suits: each interrupts the limitation period (民法典 Art. 195). */
export async function suitFilings(db: Db, loanId: number): Promise<{ filedOn: string; court: string; caseNo: string }[]> {
  const rows = await db.selectFrom('legal_cases').select(['filed_on', 'court', 'case_no']).where('loan_id', '=', loanId).where('filed_on', 'is not', null).execute();
  return rows.map((r) => ({ filedOn: r.filed_on!, court: r.court, caseNo: r.case_no }));
}

/** Disposal plans waiting for a decision, for those who decide them: all pending but their own. */
export async function plansToDecide(store: Store, s: Session): Promise<TodayPlan[]> {
  if (!can(s.roles, 'classification.approve')) return [];
  const rows = await store.db
    .selectFrom('npl_plans as p')
    .innerJoin('loans as l', 'l.id', 'p.loan_id')
    .innerJoin('borrowers as b', 'b.id', 'l.borrower_id')
    .select(['p.id', 'p.loan_id', 'l.contract_no', 'b.name', 'p.method', 'p.proposed_by', 'p.proposed_at'])
    .where('p.status', '=', 'pending')
    .where('p.proposed_by', '<>', s.username)
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({ planId: r.id, loanId: r.loan_id, contractNo: r.contract_no, borrowerName: r.name, method: r.method, proposedBy: r.proposed_by, proposedAt: r.proposed_at }));
}
