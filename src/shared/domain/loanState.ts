/** Replays a loan's repayments over its schedule: what each payment paid, what is owed and overdue on a date. */
import { daysBetween, toDayNumber } from './dates';
import { percentToRatio, roundHalfUp } from './decimal';
import { checkOrder, DEFAULT_ALLOCATION_ORDER, dpdBucket, penaltyDailyRate, type AllocationComponent, type DpdBucket } from './overdue';

export interface DueRow {
  period: number;
  dueDate: string;
  principalFen: number;
  interestFen: number;
}

/**
 * What a payment does with money beyond what has fallen due on its date:
 * - `credit`: held as 溢收款 and applied to later instalments on their due dates (never to interest not yet due);
 * - `settle`: the loan is settled early (提前结清): all principal not yet due, interest on it since the last due
 *   date to the payment date (actual/360) and the payment's fee; anything beyond is held as 溢收款;
 * - `advance`: payments recorded before these rules: the money went on to later instalments, interest included.
 */
export type ExcessUse = 'advance' | 'credit' | 'settle';

export interface RepaymentEvent {
  id: number;
  date: string;
  amountFen: number;
  /** Default `advance`, as payments were replayed before. */
  excess?: ExcessUse;
  /** Prepayment fee fixed when a settlement or a partial prepayment was posted. */
  feeFen?: number;
}

export interface LoanTerms {
  annualRate: string;
  penaltyUplift: string;
  order?: readonly AllocationComponent[];
  /** Drawdown date: where the first period's interest starts running (for an early settlement in it). */
  startDate?: string;
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
  /** Prepayment fee of an early settlement. */
  feeFen: number;
  /** Not allocated on the payment's date: held as 溢收款 (credit). */
  unallocatedFen: number;
  balanceAfterFen: number;
}

/** Held 溢收款 applied to instalments on a due date. */
export interface CreditApplication {
  date: string;
  penaltyFen: number;
  interestFen: number;
  principalFen: number;
}

/** What settling the whole loan on the as-of date takes, before any prepayment fee and before the credit held. */
export interface SettlementNeed {
  principalFen: number;
  /** Interest fallen due and unpaid, plus interest accrued since the last due date (actual/360). */
  interestFen: number;
  penaltyFen: number;
  /** Principal not yet due (the base of a prepayment fee). */
  prepaidPrincipalFen: number;
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
  /** Everything fallen due by the as-of date (that day's instalment included) and unpaid, with penalty. */
  dueFen: number;
  /** 溢收款 held at the as-of date. */
  creditFen: number;
  creditApplications: CreditApplication[];
  /** The date of an early settlement, if the loan was settled by one. */
  settledOn: string | null;
  settlement: SettlementNeed;
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
  /** Interest owed for the period: as scheduled, less after an early settlement. */
  interest: number;
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
      return { row, interest: row.interestFen, pPaid: 0, iPaid: 0, penPaid: 0, fenDays: 0, due, accruedTo: due };
    });
  const penaltyOf = (w: Working) => (w.fenDays === 0 ? 0 : Number(roundHalfUp(BigInt(w.fenDays) * rate.num, rate.den)));
  // Settled for good: principal, interest and penalty paid, so nothing more can accrue or be owed.
  const settled = (w: Working) => w.pPaid === w.row.principalFen && w.iPaid === w.interest && w.penPaid === penaltyOf(w);
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
  const yearRate = percentToRatio(terms.annualRate);
  let paidPrincipal = 0;
  // Periods before `first` are settled in full; the scan for each payment starts there.
  let first = 0;
  /** Pays `left` into the periods falling due by `limit` (a day number), in the loan's order; returns what is left. */
  const allocate = (left: number, limit: number, sum: { penaltyFen: number; interestFen: number; principalFen: number }): number => {
    for (let i = first; i < ws.length && left > 0; i++) {
      const w = ws[i];
      if (w.due > limit) break;
      for (const part of order) {
        if (left === 0) break;
        if (part === 'penalty') {
          const pay = Math.min(left, penaltyOf(w) - w.penPaid);
          w.penPaid += pay;
          sum.penaltyFen += pay;
          left -= pay;
        } else if (part === 'interest') {
          const pay = Math.min(left, w.interest - w.iPaid);
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
    return left;
  };
  /** Settling on `date` (everything due by then already paid): principal not yet due, and interest accrued on it since the last due date. */
  const settlementOn = (date: string) => {
    const d = day(date);
    const idx = ws.findIndex((w) => w.due > d);
    if (idx < 0) return { running: -1, principal: 0, interest: 0 };
    let principal = 0;
    for (let i = idx; i < ws.length; i++) principal += ws[i].row.principalFen - ws[i].pPaid;
    const from = idx > 0 ? ws[idx - 1].row.dueDate : terms.startDate;
    // Without a start date the first period's interest is charged as scheduled.
    const accrued = from === undefined ? ws[idx].interest : Number(roundHalfUp(BigInt(principal) * yearRate.num * BigInt(Math.max(0, daysBetween(from, date))), yearRate.den * 360n));
    return { running: idx, principal, interest: Math.max(0, accrued - ws[idx].iPaid) };
  };

  let credit = 0;
  let settledOn: string | null = null;
  const creditApplications: CreditApplication[] = [];
  // Held credit meets each instalment on its due date, as a payment on that day would.
  let creditFrom = 0;
  const applyCredit = (toDate: string) => {
    const to = day(toDate);
    while (creditFrom < ws.length && ws[creditFrom].due <= to) {
      const w = ws[creditFrom++];
      if (credit === 0) continue;
      accrue(w.row.dueDate);
      const sum = { penaltyFen: 0, interestFen: 0, principalFen: 0 };
      credit = allocate(credit, w.due, sum);
      if (sum.penaltyFen + sum.interestFen + sum.principalFen > 0) creditApplications.push({ date: w.row.dueDate, ...sum });
    }
  };

  const allocations: RepaymentAllocation[] = [];
  const sorted = [...repayments].filter((r) => r.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  for (const r of sorted) {
    applyCredit(r.date);
    accrue(r.date);
    const sum = { penaltyFen: 0, interestFen: 0, principalFen: 0 };
    const excess = r.excess ?? 'advance';
    // A partial prepayment (prepayment.ts) is a `credit` payment that carries its fee: taken first, as the quote did.
    let feeFen = excess === 'credit' ? Math.min(r.feeFen ?? 0, r.amountFen) : 0;
    let left = allocate(r.amountFen - feeFen, excess === 'advance' ? Infinity : day(r.date), sum);
    if (excess === 'settle' && settledOn === null) {
      const fee = r.feeFen ?? 0;
      const need = settlementOn(r.date);
      // The credit held counts towards the settlement.
      if (first >= ws.length || ws[first].due > day(r.date)) {
        if (left + credit >= need.principal + need.interest + fee && need.running >= 0) {
          left += credit;
          credit = 0;
          const running = ws[need.running];
          running.interest = running.iPaid + need.interest;
          for (let i = need.running; i < ws.length; i++) {
            const w = ws[i];
            if (i > need.running) w.interest = w.iPaid;
            const p = w.row.principalFen - w.pPaid;
            w.pPaid += p;
            sum.principalFen += p;
          }
          running.iPaid += need.interest;
          sum.interestFen += need.interest;
          paidPrincipal += need.principal;
          left -= need.principal + need.interest + fee;
          feeFen = fee;
          settledOn = r.date;
          while (first < ws.length && settled(ws[first])) first++;
        }
      }
    }
    credit += left;
    allocations.push({ id: r.id, date: r.date, amountFen: r.amountFen, ...sum, feeFen, unallocatedFen: left, balanceAfterFen: principalFen - paidPrincipal });
  }
  applyCredit(asOf);
  accrue(asOf);

  let overduePrincipalFen = 0;
  let overdueInterestFen = 0;
  let penaltyOutstandingFen = 0;
  let oldest: string | null = null;
  const periods: PeriodState[] = ws.map((w) => {
    const pOwed = w.row.principalFen - w.pPaid;
    const iOwed = w.interest - w.iPaid;
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
    return { ...w.row, interestFen: w.interest, principalPaidFen: w.pPaid, interestPaidFen: w.iPaid, penaltyFen: penalty, penaltyPaidFen: w.penPaid, status };
  });
  const dpd = oldest ? day(asOf) - day(oldest) : 0;
  const balanceFen = principalFen - paidPrincipal;
  const today = day(asOf);
  let duePrincipal = 0;
  let dueInterest = 0;
  for (const w of ws) {
    if (w.due > today) break;
    duePrincipal += w.row.principalFen - w.pPaid;
    dueInterest += w.interest - w.iPaid;
  }
  const ahead = settlementOn(asOf);
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
    dueFen: duePrincipal + dueInterest + penaltyOutstandingFen,
    creditFen: credit,
    creditApplications,
    settledOn,
    settlement: {
      principalFen: balanceFen,
      interestFen: dueInterest + ahead.interest,
      penaltyFen: penaltyOutstandingFen,
      prepaidPrincipalFen: ahead.principal,
    },
  };
}
