import type { Kysely, Transaction } from 'kysely';
import { classificationFloorDetail, isWorseOrEqual, type ClassificationLevel, type FloorReason } from '../../shared/domain/classification';
import { replayLoan, type DueRow, type LoanState, type RepaymentEvent } from '../../shared/domain/loanState';
import type { AllocationComponent } from '../../shared/domain/overdue';
import type { Database } from '../db/schema';
import type { LoanRow } from '../kernel/authz';
import { floorReasonsZh } from './floorReasons';

type Db = Kysely<Database> | Transaction<Database>;

export interface ComputedStatus {
  state: LoanState;
  floorLevel: ClassificationLevel;
  floorReasons: FloorReason[];
  level: ClassificationLevel;
}

export async function dueRows(db: Db, loanId: number, version: number): Promise<DueRow[]> {
  const rows = await db
    .selectFrom('schedule_rows')
    .select(['period', 'due_date', 'principal_fen', 'interest_fen'])
    .where('loan_id', '=', loanId)
    .where('version', '=', version)
    .orderBy('period')
    .execute();
  return rows.map((r) => ({ period: r.period, dueDate: r.due_date, principalFen: r.principal_fen, interestFen: r.interest_fen }));
}

/** Payments that count: neither reversed nor reversals themselves. */
export async function effectiveRepayments(db: Db, loanId: number): Promise<RepaymentEvent[]> {
  const rows = await db
    .selectFrom('effective_repayments as r')
    .select(['r.id', 'r.paid_on', 'r.amount_fen', 'r.excess', 'r.fee_fen'])
    .where('r.loan_id', '=', loanId)
    .execute();
  return rows.map((r) => ({ id: r.id, date: r.paid_on, amountFen: r.amount_fen, excess: r.excess, feeFen: r.fee_fen }));
}

/** The latest approved manual class; the floor can only raise it. */
export async function approvedLevel(db: Db, loanId: number): Promise<ClassificationLevel | null> {
  const r = await db
    .selectFrom('classifications')
    .select('level')
    .where('loan_id', '=', loanId)
    .where('status', '=', 'approved')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.level ?? null;
}

export function computeStatus(
  loan: Pick<LoanRow, 'annual_rate' | 'penalty_uplift' | 'kind' | 'restructured' | 'npl_before_restructure' | 'allocation_order' | 'observation_until' | 'start_date'>,
  rows: DueRow[],
  repayments: RepaymentEvent[],
  asOf: string,
  manual: ClassificationLevel | null,
): ComputedStatus {
  const order = JSON.parse(loan.allocation_order) as AllocationComponent[];
  const state = replayLoan(rows, repayments, asOf, { annualRate: loan.annual_rate, penaltyUplift: loan.penalty_uplift, order, startDate: loan.start_date });
  // A restructured loan counts as such during its observation period only.
  const observing = !!loan.restructured && (!loan.observation_until || asOf < loan.observation_until);
  const floor = classificationFloorDetail({
    daysPastDue: state.dpd,
    restructured: observing,
    nonPerformingBeforeRestructure: !!loan.npl_before_restructure,
    factoring: loan.kind === 'factoring',
  });
  const level = manual && isWorseOrEqual(manual, floor.level) ? manual : floor.level;
  return { state, floorLevel: floor.level, floorReasons: floor.reasons, level };
}

export async function statusOf(db: Db, loan: LoanRow, asOf: string): Promise<ComputedStatus> {
  return computeStatus(
    loan,
    await dueRows(db, loan.id, loan.schedule_version),
    await effectiveRepayments(db, loan.id),
    asOf,
    await approvedLevel(db, loan.id),
  );
}

export function statusRow(loanId: number, c: ComputedStatus) {
  return {
    loan_id: loanId,
    as_of: c.state.asOf,
    balance_fen: c.state.balanceFen,
    dpd: c.state.dpd,
    bucket: c.state.bucket,
    overdue_principal_fen: c.state.overduePrincipalFen,
    overdue_interest_fen: c.state.overdueInterestFen,
    penalty_fen: c.state.penaltyOutstandingFen,
    oldest_unpaid: c.state.oldestUnpaidDueDate,
    floor_level: c.floorLevel,
    floor_reasons: JSON.stringify(c.floorReasons),
    level: c.level,
  };
}

/**
 * Stores the status and, when the effective class moved, a system entry in the classification history,
 * so the history explains every change.
 */
export async function saveStatus(db: Db, loanId: number, c: ComputedStatus, at: string, actor: string, history = true): Promise<boolean> {
  const prev = await db.selectFrom('loan_status').select('level').where('loan_id', '=', loanId).executeTakeFirst();
  const row = statusRow(loanId, c);
  await db
    .insertInto('loan_status')
    .values(row)
    .onConflict((oc) => oc.column('loan_id').doUpdateSet(row))
    .execute();
  if (prev?.level === c.level || !history) return false;
  await db
    .insertInto('classifications')
    .values({
      loan_id: loanId,
      level: c.level,
      floor_level: c.floorLevel,
      floor_reasons: JSON.stringify(c.floorReasons),
      reason: floorReasonsZh(c.floorReasons),
      status: 'system',
      proposed_by: actor,
      proposed_at: at,
      decided_by: null,
      decided_at: null,
      decision_comment: null,
    })
    .execute();
  return true;
}
