/** 分次放款: a further drawdown under a contract joins the principal not yet due and is rescheduled to maturity. */
import { addMonthsClamped, daysBetween } from './dates';
import { percentToRatio, roundHalfUp } from './decimal';
import { fenFromBigInt } from './money';
import type { DueRow } from './loanState';
import { buildSchedule, type RepaymentMethod } from './schedule';

export interface DrawdownInput {
  /** The schedule in force: periods due on or before the drawdown stay as they are. */
  rows: DueRow[];
  /** The first disbursement date, from which the first period runs. */
  startDate: string;
  maturityDate: string;
  drawnOn: string;
  amountFen: number;
  annualRate: string;
  method: RepaymentMethod;
}

function monthsBetween(from: string, to: string): number {
  let n = 0;
  while (addMonthsClamped(from, n + 1) <= to) n++;
  return n;
}

/**
 * The new schedule: instalments due on or before `drawnOn` are kept; the principal not yet due plus the new
 * drawdown is spread with the same method and rate from the last kept due date (or the start) to maturity.
 * Interest on the new money runs from its drawdown date: the first new period's interest is reduced by the
 * drawdown's interest for the days before it was drawn (actual/360), never below zero.
 */
export function scheduleAfterDrawdown(input: DrawdownInput): DueRow[] {
  const kept = input.rows.filter((r) => r.dueDate <= input.drawnOn);
  const outstanding = input.rows.filter((r) => r.dueDate > input.drawnOn).reduce((n, r) => n + r.principalFen, 0);
  const from = kept.at(-1)?.dueDate ?? input.startDate;
  const span = Math.max(1, monthsBetween(from, input.maturityDate));
  const tail = buildSchedule({ principalFen: outstanding + input.amountFen, annualRate: input.annualRate, months: span, method: input.method, startDate: from });
  const rate = percentToRatio(input.annualRate);
  const before = fenFromBigInt(roundHalfUp(BigInt(input.amountFen) * rate.num * BigInt(daysBetween(from, input.drawnOn)), rate.den * 360n));
  return [
    ...kept,
    ...tail.map((t, i) => ({
      period: kept.length + i + 1,
      dueDate: i === tail.length - 1 ? input.maturityDate : t.dueDate,
      principalFen: t.principalFen,
      interestFen: i === 0 ? Math.max(0, t.interestFen - before) : t.interestFen,
    })),
  ];
}
