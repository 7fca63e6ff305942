/** 诉讼与执行: the deadlines of a case, computed from its dates (never stored). */
import { addYearsClamped, assertDate, daysBetween } from './dates';

/**
 * 民事诉讼法 Art. 250 (2023 text; Art. 246 before): the period to apply for enforcement is two years, counted from the
 * last day of the performance period the judgment or mediation sets. The start day is not counted (民法典 Art. 201),
 * so the last day is the corresponding day two years on, or the month's last day where there is none
 * (a 29 February performance date ends on 28 February).
 */
export const ENFORCEMENT_YEARS = 2;

export function enforcementDeadline(performanceDue: string): string {
  return addYearsClamped(assertDate(performanceDue, '履行期限'), ENFORCEMENT_YEARS);
}

/** A preservation (财产保全) is announced this many days before it ends, so that its renewal is applied for in time. */
export const PRESERVATION_REMINDER_DAYS = 30;

/** A preservation not released: 'lapsed' after its last day, 'soon' within the reminder days of it, else null. */
export function preservationAlert(until: string, asOf: string): 'lapsed' | 'soon' | null {
  const left = daysBetween(asOf, until);
  return left < 0 ? 'lapsed' : left <= PRESERVATION_REMINDER_DAYS ? 'soon' : null;
}

/**
 * The case's dates must follow each other: filing ≤ hearing ≤ judgment/mediation ≤ performance due, and the
 * enforcement application after the judgment. Returns the first field out of order, or null.
 */
export function legalDatesOutOfOrder(d: {
  filedOn: string | null;
  hearingOn: string | null;
  outcomeOn: string | null;
  performanceDue: string | null;
  enforcementAppliedOn: string | null;
}): 'hearingOn' | 'outcomeOn' | 'performanceDue' | 'enforcementAppliedOn' | null {
  // YYYY-MM-DD strings order as the dates do; a malformed one is the field schema's to refuse, not this rule's.
  const before = (a: string | null, b: string | null) => typeof a === 'string' && typeof b === 'string' && a > b;
  if (before(d.filedOn, d.hearingOn)) return 'hearingOn';
  if (before(d.hearingOn, d.outcomeOn) || before(d.filedOn, d.outcomeOn)) return 'outcomeOn';
  if (before(d.outcomeOn, d.performanceDue)) return 'performanceDue';
  if (before(d.outcomeOn, d.enforcementAppliedOn) || before(d.filedOn, d.enforcementAppliedOn)) return 'enforcementAppliedOn';
  return null;
}
