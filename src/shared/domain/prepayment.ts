/**
 * Partial prepayment (部分提前还款): principal repaid before it is due, after which the customer either keeps the
 * instalment and finishes sooner (缩短期限) or keeps the maturity and pays less each period (减少月供).
 *
 * The repaid principal becomes a period of its own, due on the payment date, with the interest accrued on it since
 * the last due date (actual/360): the payment then meets exactly what has fallen due, and the replay that every read
 * uses needs no special case. The principal left is spread over the original due dates that follow.
 */
import { daysBetween } from './dates';
import { percentToRatio, roundHalfUp } from './decimal';
import { fenFromBigInt } from './money';
import type { DueRow } from './loanState';
import { buildSchedule, equalInstallmentPayment, type RepaymentMethod } from './schedule';

export const PREPAY_MODES = ['shorten', 'lower'] as const;
export type PrepayMode = (typeof PREPAY_MODES)[number];

export interface PrepayTerms {
  annualRate: string;
  method: RepaymentMethod;
  /** Drawdown date: where interest runs from when no instalment has fallen due yet. */
  startDate: string;
}

export type PrepayRefusal = 'nothing-left' | 'all-of-it' | 'no-shorten';

export interface PrepayPlan {
  /** The new schedule: instalments due by the date as they were, the prepaid period, then the rest. */
  rows: DueRow[];
  prepaid: DueRow;
  maturity: string;
  /** Principal not yet due before and after. */
  remainingBeforeFen: number;
  remainingAfterFen: number;
  periodsBefore: number;
  periodsAfter: number;
  /** The next instalment (principal + interest) before and after. */
  instalmentBeforeFen: number;
  instalmentAfterFen: number;
}

/** The schedule after prepaying `principalFen` on `paidOn`, or why it cannot be done. */
export function prepaymentPlan(rows: readonly DueRow[], paidOn: string, principalFen: number, mode: PrepayMode, terms: PrepayTerms): PrepayPlan | { refused: PrepayRefusal } {
  const kept = rows.filter((r) => r.dueDate <= paidOn);
  const later = rows.filter((r) => r.dueDate > paidOn);
  const remaining = later.reduce((n, r) => n + r.principalFen, 0);
  if (later.length === 0 || remaining === 0) return { refused: 'nothing-left' };
  // Repaying all of it is an early settlement, with its own quote.
  if (principalFen >= remaining) return { refused: 'all-of-it' };
  if (mode === 'shorten' && (terms.method === 'bullet' || terms.method === 'monthly-interest')) return { refused: 'no-shorten' };
  const from = kept.at(-1)?.dueDate ?? terms.startDate;
  const rate = percentToRatio(terms.annualRate);
  const accrued = (fen: number, to: string) => fenFromBigInt(roundHalfUp(BigInt(fen) * rate.num * BigInt(Math.max(0, daysBetween(from, to))), rate.den * 360n));
  const prepaid: DueRow = { period: kept.length + 1, dueDate: paidOn, principalFen, interestFen: accrued(principalFen, paidOn) };
  const left = remaining - principalFen;
  let n = later.length;
  if (mode === 'shorten') {
    if (terms.method === 'equal-installment') {
      const instalment = later[0].principalFen + later[0].interestFen;
      while (n > 1 && equalInstallmentPayment(left, terms.annualRate, n - 1) <= instalment) n--;
    } else {
      // 等额本金: the same principal each period, so as many periods as it takes.
      n = Math.min(later.length, Math.ceil(left / later[0].principalFen));
    }
  }
  const dates = later.slice(0, n).map((r) => r.dueDate);
  const built = buildSchedule({ principalFen: left, annualRate: terms.annualRate, months: n, method: terms.method, startDate: from });
  const tail: DueRow[] = built.map((b, i) => ({
    period: kept.length + 2 + i,
    dueDate: dates[i],
    principalFen: b.principalFen,
    // A bullet's interest runs by the day to its (original) maturity.
    interestFen: terms.method === 'bullet' ? accrued(left, dates[i]) : b.interestFen,
  }));
  return {
    rows: [...kept.map((r) => ({ ...r })), prepaid, ...tail],
    prepaid,
    maturity: dates[n - 1],
    remainingBeforeFen: remaining,
    remainingAfterFen: left,
    periodsBefore: later.length,
    periodsAfter: n,
    instalmentBeforeFen: later[0].principalFen + later[0].interestFen,
    instalmentAfterFen: tail[0].principalFen + tail[0].interestFen,
  };
}
