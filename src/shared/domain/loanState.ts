/** Replays a loan's repayments over its schedule: what each payment paid, what is owed and overdue on a date. */
import { toDayNumber } from './dates';
import { roundHalfUp } from './decimal';
import { checkOrder, DEFAULT_ALLOCATION_ORDER, dpdBucket, penaltyDailyRate, type AllocationComponent, type DpdBucket } from './overdue';

export interface DueRow {
  period: number;
  dueDate: string;
  principalFen: number;
  interestFen: number;
}

export interface RepaymentEvent {
  id: number;
  date: string;
  amountFen: number;
}

export interface LoanTerms {
  annualRate: string;
  penaltyUplift: string;
  order?: readonly AllocationComponent[];
}

export type PeriodStatus = 'paid' | 'overdue' | 'due' | 'partial' | 'future';

export interface PeriodState extends DueRow {
  principalPaidFen: number;
  interestPaidFen: number;
  /** Penalty accrued on this period's overdue principal up to the as-of date, rounded once. */
  penaltyFen: number;
  penaltyPaidFen: number;
  status: PeriodStatus;
}

export interface RepaymentAllocation {
  id: number;
  date: string;
  amountFen: number;
  penaltyFen: number;
  interestFen: number;
  principalFen: number;
  /** Overpayment beyond everything owed. */
  unallocatedFen: number;
  balanceAfterFen: number;
}

export interface LoanState {
  asOf: string;
  principalFen: number;
  balanceFen: number;
  periods: PeriodState[];
  allocations: RepaymentAllocation[];
  overduePrincipalFen: number;
  overdueInterestFen: number;
  penaltyOutstandingFen: number;
  oldestUnpaidDueDate: string | null;
  dpd: number;
  bucket: DpdBucket;
  paidOff: boolean;
}

// Due and payment dates repeat across a portfolio; parsing each once keeps the daily batch fast.
const dayCache = new Map<string, number>();
function day(date: string): number {
  let n = dayCache.get(date);
  if (n === undefined) {
    if (dayCache.size > 100_000) dayCache.clear();
    n = toDayNumber(date);
    dayCache.set(date, n);
  }
  return n;
}

interface Working {
  row: DueRow;
  pPaid: number;
  iPaid: number;
  penPaid: number;
  /** Overdue principal × days, exact in a double while below 2^53 (1e10 fen × 1e5 days is well under). */
  fenDays: number;
  /** Day numbers, so the daily accrual never parses a date string. */
  due: number;
  accruedTo: number;
}

/**
 * Payments up to `asOf` are applied in date order. Each first meets the penalty accrued to its date, then
 * (by default) interest and principal, period by period, oldest first; an early payment covers later periods.
 * Penalty accrues daily on overdue principal at the penalty rate (annual × (1 + uplift) ÷ 360).
 */
export function replayLoan(schedule: readonly DueRow[], repayments: readonly RepaymentEvent[], asOf: string, terms: LoanTerms): LoanState {
  const rate = penaltyDailyRate(terms);
  const order = terms.order ?? DEFAULT_ALLOCATION_ORDER;
  checkOrder(order);
  const ws: Working[] = [...schedule]
    .sort((a, b) => a.period - b.period)
    .map((row) => {
      const due = day(row.dueDate);
      return { row, pPaid: 0, iPaid: 0, penPaid: 0, fenDays: 0, due, accruedTo: due };
    });
  const penaltyOf = (w: Working) => (w.fenDays === 0 ? 0 : Number(roundHalfUp(BigInt(w.fenDays) * rate.num, rate.den)));
  // Settled for good: principal, interest and penalty paid, so nothing more can accrue or be owed.
  const settled = (w: Working) => w.pPaid === w.row.principalFen && w.iPaid === w.row.interestFen && w.penPaid === penaltyOf(w);
  const accrue = (toDate: string) => {
    const to = day(toDate);
    for (const w of ws) {
      if (w.due >= to) break;
      const owed = w.row.principalFen - w.pPaid;
      if (owed > 0 && w.accruedTo < to) w.fenDays += owed * (to - w.accruedTo);
      if (w.accruedTo < to) w.accruedTo = to;
    }
  };

  const principalFen = ws.reduce((s, w) => s + w.row.principalFen, 0);
  let paidPrincipal = 0;
  // Periods before `first` are settled in full; the scan for each payment starts there.
  let first = 0;
  const allocations: RepaymentAllocation[] = [];
  const sorted = [...repayments].filter((r) => r.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  for (const r of sorted) {
    accrue(r.date);
    const sum = { penaltyFen: 0, interestFen: 0, principalFen: 0 };
    let left = r.amountFen;
    for (let i = first; i < ws.length && left > 0; i++) {
      const w = ws[i];
      for (const part of order) {
        if (left === 0) break;
        if (part === 'penalty') {
          const pay = Math.min(left, penaltyOf(w) - w.penPaid);
          w.penPaid += pay;
          sum.penaltyFen += pay;
          left -= pay;
        } else if (part === 'interest') {
          const pay = Math.min(left, w.row.interestFen - w.iPaid);
          w.iPaid += pay;
          sum.interestFen += pay;
          left -= pay;
        } else {
          const pay = Math.min(left, w.row.principalFen - w.pPaid);
          w.pPaid += pay;
          sum.principalFen += pay;
          left -= pay;
        }
      }
    }
    while (first < ws.length && settled(ws[first])) first++;
    paidPrincipal += sum.principalFen;
    allocations.push({ id: r.id, date: r.date, amountFen: r.amountFen, ...sum, unallocatedFen: left, balanceAfterFen: principalFen - paidPrincipal });
  }
  accrue(asOf);

  let overduePrincipalFen = 0;
  let overdueInterestFen = 0;
  let penaltyOutstandingFen = 0;
  let oldest: string | null = null;
  const periods: PeriodState[] = ws.map((w) => {
    const pOwed = w.row.principalFen - w.pPaid;
    const iOwed = w.row.interestFen - w.iPaid;
    const penalty = penaltyOf(w);
    penaltyOutstandingFen += penalty - w.penPaid;
    let status: PeriodStatus;
    if (pOwed === 0 && iOwed === 0) status = 'paid';
    else if (w.row.dueDate < asOf) {
      status = 'overdue';
      overduePrincipalFen += pOwed;
      overdueInterestFen += iOwed;
      oldest ??= w.row.dueDate;
    } else if (w.row.dueDate === asOf) status = 'due';
    else status = w.pPaid + w.iPaid > 0 ? 'partial' : 'future';
    return { ...w.row, principalPaidFen: w.pPaid, interestPaidFen: w.iPaid, penaltyFen: penalty, penaltyPaidFen: w.penPaid, status };
  });
  const dpd = oldest ? day(asOf) - day(oldest) : 0;
  const balanceFen = principalFen - paidPrincipal;
  return {
    asOf,
    principalFen,
    balanceFen,
    periods,
    allocations,
    overduePrincipalFen,
    overdueInterestFen,
    penaltyOutstandingFen,
    oldestUnpaidDueDate: oldest,
    dpd,
    bucket: dpdBucket(dpd),
    paidOff: balanceFen === 0 && periods.every((p) => p.status === 'paid') && penaltyOutstandingFen === 0,
  };
}
