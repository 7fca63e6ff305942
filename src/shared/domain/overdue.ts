/** Payment allocation, days past due, buckets and penalty interest (罚息). */
import { assertDate, compareDates, daysBetween } from './dates';
import { compareRatio, parseDecimal, percentToRatio, roundHalfUp, type Ratio } from './decimal';
import { assertNonNegativeFen, fenFromBigInt, type Fen } from './money';
import { parseAnnualRate, type ScheduleRow } from './schedule';

// ---------------------------------------------------------------------------------------------------------------
// Allocation
// ---------------------------------------------------------------------------------------------------------------

export type AllocationComponent = 'penalty' | 'interest' | 'principal';
export const DEFAULT_ALLOCATION_ORDER: readonly AllocationComponent[] = ['penalty', 'interest', 'principal'];

/** What one period still owes. Schedule rows fit as they are (penalty then counts as 0). */
export interface PeriodDue {
  period: number;
  principalFen: number;
  interestFen: number;
  penaltyFen?: number;
}

export interface PeriodAmounts {
  period: number;
  penaltyFen: number;
  interestFen: number;
  principalFen: number;
  totalFen: number;
}

export interface AllocationResult {
  /** What the payment paid, per period, oldest first. Periods it did not reach are left out. */
  allocations: PeriodAmounts[];
  /** What every period still owes afterwards, oldest first. */
  remaining: PeriodAmounts[];
  /** The part of the payment left once everything was paid (an overpayment). */
  unallocatedFen: number;
}

const COMPONENT_FIELD = { penalty: 'penaltyFen', interest: 'interestFen', principal: 'principalFen' } as const;

export function checkOrder(order: readonly AllocationComponent[]): void {
  const ok =
    order.length === 3 && new Set(order).size === 3 && order.every((c) => c === 'penalty' || c === 'interest' || c === 'principal');
  if (!ok) throw new RangeError(`还款冲抵顺序必须恰好包含罚息、利息、本金各一次：${order.join(',')}`);
}

function amounts(period: number, penaltyFen: number, interestFen: number, principalFen: number): PeriodAmounts {
  return { period, penaltyFen, interestFen, principalFen, totalFen: penaltyFen + interestFen + principalFen };
}

/**
 * Applies one payment period by period, oldest (lowest period number) first, and within each period in `order`
 * (default penalty → interest → principal). A period is paid off before the next one is touched.
 */
export function allocatePayment(
  dues: readonly PeriodDue[],
  amountFen: number,
  order: readonly AllocationComponent[] = DEFAULT_ALLOCATION_ORDER,
): AllocationResult {
  checkOrder(order);
  let left: number = assertNonNegativeFen(amountFen, '还款金额');
  const sorted = [...dues].sort((a, b) => a.period - b.period);
  const seen = new Set<number>();
  const allocations: PeriodAmounts[] = [];
  const remaining: PeriodAmounts[] = [];
  for (const due of sorted) {
    if (seen.has(due.period)) throw new RangeError(`期次重复：${due.period}`);
    seen.add(due.period);
    const owed: Record<'penaltyFen' | 'interestFen' | 'principalFen', number> = {
      penaltyFen: assertNonNegativeFen(due.penaltyFen ?? 0, '应还罚息'),
      interestFen: assertNonNegativeFen(due.interestFen, '应还利息'),
      principalFen: assertNonNegativeFen(due.principalFen, '应还本金'),
    };
    const paid = { penaltyFen: 0, interestFen: 0, principalFen: 0 };
    for (const component of order) {
      const field = COMPONENT_FIELD[component];
      const take = Math.min(left, owed[field]);
      paid[field] = take;
      owed[field] -= take;
      left -= take;
    }
    const p = amounts(due.period, paid.penaltyFen, paid.interestFen, paid.principalFen);
    if (p.totalFen > 0) allocations.push(p);
    remaining.push(amounts(due.period, owed.penaltyFen, owed.interestFen, owed.principalFen));
  }
  return { allocations, remaining, unallocatedFen: left };
}

// ---------------------------------------------------------------------------------------------------------------
// Penalty interest
// ---------------------------------------------------------------------------------------------------------------

export interface PenaltyTerms {
  /** Contract annual rate in per cent, e.g. "4.35". */
  annualRate: string;
  /** Uplift over the contract rate as a decimal fraction, e.g. "0.5" for +50 %. Products normally use 0.3–0.5. */
  penaltyUplift: string;
}

/** Daily penalty rate = annual × (1 + uplift) ÷ 360, as an exact fraction (not per cent). */
export function penaltyDailyRate(terms: PenaltyTerms): Ratio {
  parseAnnualRate(terms.annualRate);
  let uplift: Ratio;
  try {
    uplift = parseDecimal(terms.penaltyUplift);
  } catch {
    throw new RangeError(`罚息上浮比例格式不正确（应为小数，如 "0.5"）：${String(terms.penaltyUplift)}`);
  }
  if (uplift.num < 0n || compareRatio(uplift, { num: 1n, den: 1n }) > 0) {
    throw new RangeError(`罚息上浮比例必须在 0 到 1 之间：${terms.penaltyUplift}`);
  }
  const annual = percentToRatio(terms.annualRate);
  return { num: annual.num * (uplift.den + uplift.num), den: annual.den * uplift.den * 360n };
}

/**
 * Penalty on an overdue amount from `from` (the due date, not itself counted) to `to` (counted):
 * amount × daily penalty rate × (to − from) days, exact, rounded half-up once at the end.
 */
export function penaltyAccrued(input: PenaltyTerms & { amountFen: number; from: string; to: string }): Fen {
  const amount = assertNonNegativeFen(input.amountFen, '逾期金额');
  const days = daysBetween(assertDate(input.from, '起算日'), assertDate(input.to, '截止日'));
  if (days < 0) throw new RangeError(`截止日早于起算日：${input.from} → ${input.to}`);
  const rate = penaltyDailyRate(input);
  return fenFromBigInt(roundHalfUp(BigInt(amount) * BigInt(days) * rate.num, rate.den));
}

// ---------------------------------------------------------------------------------------------------------------
// Days past due
// ---------------------------------------------------------------------------------------------------------------

export interface Payment {
  date: string;
  amountFen: number;
}

export const DPD_BUCKETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+'] as const;
export type DpdBucket = (typeof DPD_BUCKETS)[number];

/** M0 current, M1 1–30, M2 31–60, … M6 151–180, M7+ over 180. */
export function dpdBucket(dpd: number): DpdBucket {
  if (!Number.isSafeInteger(dpd) || dpd < 0) throw new RangeError(`逾期天数必须是非负整数：${String(dpd)}`);
  return DPD_BUCKETS[Math.min(Math.ceil(dpd / 30), 7)];
}

interface PeriodState {
  row: ScheduleRow;
  interest: number;
  principal: number;
  /** Principal still owed after each payment that reduced it, in date order. */
  principalAfter: Array<{ date: string; principal: number }>;
}

/**
 * Replays the payments made on or before asOf, in date order, against interest then principal of the oldest
 * periods first. Penalty is left out of this allocation on purpose: it is reported separately, so the
 * schedule's amounts alone decide whether a period is paid.
 */
function replay(schedule: readonly ScheduleRow[], payments: readonly Payment[], asOf: string): PeriodState[] {
  assertDate(asOf, '统计日');
  const states: PeriodState[] = [...schedule]
    .map((row): PeriodState => {
      assertDate(row.dueDate, `第 ${row.period} 期到期日`);
      return {
        row,
        interest: assertNonNegativeFen(row.interestFen, '应还利息'),
        principal: assertNonNegativeFen(row.principalFen, '应还本金'),
        principalAfter: [],
      };
    })
    .sort((a, b) => compareDates(a.row.dueDate, b.row.dueDate) || a.row.period - b.row.period);
  const applicable = payments
    .map((p) => ({ date: assertDate(p.date, '还款日期'), amountFen: assertNonNegativeFen(p.amountFen, '还款金额') }))
    .filter((p) => compareDates(p.date, asOf) <= 0)
    .sort((a, b) => compareDates(a.date, b.date));
  for (const payment of applicable) {
    let left: number = payment.amountFen;
    for (const s of states) {
      if (left === 0) break;
      const toInterest = Math.min(left, s.interest);
      s.interest -= toInterest;
      left -= toInterest;
      const toPrincipal = Math.min(left, s.principal);
      if (toPrincipal > 0) {
        s.principal -= toPrincipal;
        left -= toPrincipal;
        s.principalAfter.push({ date: payment.date, principal: s.principal });
      }
    }
  }
  return states;
}

function overdueStates(states: PeriodState[], asOf: string): PeriodState[] {
  return states.filter((s) => compareDates(s.row.dueDate, asOf) < 0 && s.interest + s.principal > 0);
}

/**
 * Days from the oldest due date not fully paid (interest and principal) by asOf, to asOf. A period due on asOf
 * is not yet overdue; payments dated after asOf are ignored. 0 when nothing is overdue.
 */
export function daysPastDue(schedule: readonly ScheduleRow[], payments: readonly Payment[], asOf: string): number {
  const oldest = overdueStates(replay(schedule, payments, asOf), asOf)[0];
  return oldest ? daysBetween(oldest.row.dueDate, asOf) : 0;
}

export interface OverdueSummary {
  overduePrincipalFen: number;
  overdueInterestFen: number;
  /**
   * Penalty accrued up to asOf on each period's principal for every day it was overdue, including periods paid
   * late since. Payments are not applied to it (see daysPastDue), so this is accrued, not net of payments.
   */
  penaltyFen: number;
  oldestUnpaidDueDate: string | null;
  overduePeriods: number[];
  dpd: number;
  bucket: DpdBucket;
}

/** Exact penalty base (fen × days) for one period's principal while overdue, up to asOf. */
function overdueFenDays(s: PeriodState, asOf: string): bigint {
  const due = s.row.dueDate;
  let principal = s.row.principalFen;
  let from = due;
  let total = 0n;
  for (const change of s.principalAfter) {
    if (compareDates(change.date, due) > 0) {
      total += BigInt(principal) * BigInt(daysBetween(from, change.date));
      from = change.date;
    }
    principal = change.principal;
  }
  return total + BigInt(principal) * BigInt(daysBetween(from, asOf));
}

export function overdueSummary(
  schedule: readonly ScheduleRow[],
  payments: readonly Payment[],
  asOf: string,
  terms: PenaltyTerms,
): OverdueSummary {
  const rate = penaltyDailyRate(terms);
  const states = replay(schedule, payments, asOf);
  const overdue = overdueStates(states, asOf);
  let penalty = 0n;
  for (const s of states) {
    if (compareDates(s.row.dueDate, asOf) >= 0) continue;
    // Rounded once per period, at the end of its accrual span.
    penalty += roundHalfUp(overdueFenDays(s, asOf) * rate.num, rate.den);
  }
  const oldest = overdue[0];
  const dpd = oldest ? daysBetween(oldest.row.dueDate, asOf) : 0;
  return {
    overduePrincipalFen: overdue.reduce((sum, s) => sum + s.principal, 0),
    overdueInterestFen: overdue.reduce((sum, s) => sum + s.interest, 0),
    penaltyFen: fenFromBigInt(penalty),
    oldestUnpaidDueDate: oldest ? oldest.row.dueDate : null,
    overduePeriods: overdue.map((s) => s.row.period),
    dpd,
    bucket: dpdBucket(dpd),
  };
}
