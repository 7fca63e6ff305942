/** Statute of limitations (诉讼时效) under the Civil Code (民法典). */
import { addYearsClamped, assertDate, compareDates } from './dates';
import { nextWorkingDayOnOrAfter, type WorkingCalendar } from './workingDays';

/** Art. 188: three years. */
export const LIMITATION_YEARS = 3;

export interface LimitationInput {
  /** When the right could first be enforced: the due date (for instalment debts, the last instalment's, Art. 189). */
  dueDate: string;
  /** Dates of interruptions (Art. 195): demand received, partial payment, promise to pay, suit … */
  interruptions: readonly string[];
}

function expiry(input: LimitationInput, adjust: (lastDay: string) => string): string {
  const due = assertDate(input.dueDate, '到期日');
  const interruptions = (input.interruptions ?? [])
    .map((d) => assertDate(d, '时效中断日'))
    .filter((d) => compareDates(d, due) >= 0)
    .sort(compareDates);
  // Art. 201–202: the start day is not counted; the period ends on the corresponding day three years on, or on
  // the month's last day where there is none (a Feb 29 start ends on Feb 28).
  let end = adjust(addYearsClamped(due, LIMITATION_YEARS));
  for (const at of interruptions) {
    // An interruption only restarts a period that is still running; it cannot revive an expired one.
    if (compareDates(at, end) > 0) break;
    end = adjust(addYearsClamped(at, LIMITATION_YEARS));
  }
  return end;
}

/**
 * Last day of the limitation period: three years after the due date, restarted by every interruption on or after
 * the due date that falls while the period is still running. No holiday adjustment.
 */
export function limitationExpiry(input: LimitationInput): string {
  return expiry(input, (d) => d);
}

/** As limitationExpiry, and Art. 203: a last day that is not a working day moves to the next working day. */
export function limitationExpiryWithCalendar(input: LimitationInput, calendar: WorkingCalendar): string {
  return expiry(input, (d) => nextWorkingDayOnOrAfter(d, calendar));
}
