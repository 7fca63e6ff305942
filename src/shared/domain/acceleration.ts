/** 宣布贷款提前到期 (acceleration): its grounds, the schedule it leaves and the guarantee period that follows it. */
import { addDays, addMonthsClamped, daysBetween } from './dates';
import { percentToRatio, roundHalfUp } from './decimal';
import type { DueRow } from './loanState';

/**
 * Events of default that loan contracts name as grounds to declare the whole loan due. `overdue` must be true of
 * the loan (something fallen due and unpaid); the others are stated by the officer and checked by the approver.
 */
export const ACCELERATION_GROUNDS = ['overdue', 'misuse', 'lost-contact', 'litigation', 'deterioration', 'false-information', 'cross-default', 'other'] as const;
export type AccelerationGround = (typeof ACCELERATION_GROUNDS)[number];

/**
 * The schedule once the loan is declared due on `on`: instalments due on or before `on` stay as they were; the
 * principal of the later ones falls due on `on`, as one period, with the interest accrued on it from the last kept
 * due date (the drawdown date if none) to `on` at actual/360. Interest of later periods is not charged.
 */
export function acceleratedSchedule(rows: readonly DueRow[], on: string, annualRate: string, startDate: string): DueRow[] {
  const kept = rows.filter((r) => r.dueDate <= on);
  const later = rows.filter((r) => r.dueDate > on);
  if (later.length === 0) return rows.map((r) => ({ ...r }));
  const principalFen = later.reduce((n, r) => n + r.principalFen, 0);
  const from = kept.at(-1)?.dueDate ?? startDate;
  const rate = percentToRatio(annualRate);
  const interestFen = Number(roundHalfUp(BigInt(principalFen) * rate.num * BigInt(Math.max(0, daysBetween(from, on))), rate.den * 360n));
  return [...kept.map((r) => ({ ...r })), { period: kept.length + 1, dueDate: on, principalFen, interestFen }];
}

/**
 * A guarantee period runs from the main debt's due date (民法典 Art. 692), so an acceleration moves its end by as
 * much as the due date moved: by whole months when the agreed period is in months (the usual 6 months, 2 or 3
 * years), else by days. An end before the old maturity (inconsistent data) is left as it is.
 */
export function shiftedGuaranteeEnd(oldMaturity: string, periodEnd: string, newMaturity: string): string {
  if (periodEnd < oldMaturity) return periodEnd;
  for (let m = 0; m <= 120; m++) {
    const at = addMonthsClamped(oldMaturity, m);
    if (at === periodEnd) return addMonthsClamped(newMaturity, m);
    if (at > periodEnd) break;
  }
  return addDays(newMaturity, daysBetween(oldMaturity, periodEnd));
}
