/** Which post-loan inspections a loan needs, and when (贷后检查计划). Every number is a setting. */
import { addDays, addMonthsClamped } from './dates';
import { levelRank, type ClassificationLevel } from './classification';
import type { RepaymentMethod } from './schedule';
import { addWorkingDays, previousWorkingDayOnOrBefore, type WorkingCalendar } from './workingDays';

export type InspectionKind = 'first' | 'routine' | 'pre-maturity' | 'special';
export type CustomerTier = 'good' | 'normal' | 'risk';

export interface InspectionRules {
  /** First inspection within this many days of the first drawdown. */
  firstWithinDays: number;
  /** Routine interval in months: higher risk, more often. */
  routineMonths: { best: number; normal: number; higherRisk: number };
  /** Pre-maturity visit this many days before a bullet maturity. */
  preMaturityDays: number;
  /** Special inspection within this many working days of a serious warning. */
  specialWithinWorkingDays: number;
  /** Report due this many working days after the visit; review this many after submission. */
  reportDueWorkingDays: number;
  reviewDueWorkingDays: number;
}

export const DEFAULT_INSPECTION_RULES: InspectionRules = Object.freeze({
  firstWithinDays: 15,
  routineMonths: Object.freeze({ best: 6, normal: 3, higherRisk: 1 }),
  preMaturityDays: 20,
  specialWithinWorkingDays: 2,
  reportDueWorkingDays: 5,
  reviewDueWorkingDays: 2,
});

/**
 * Why an inspection is planned, as a code with its parameters; the renderer (and a printout) words it from the
 * catalogue in the reader's language. Stored as JSON in `inspections.reason`.
 */
export type InspectionReason =
  | { code: 'first'; days: number }
  | { code: 'routine'; months: number }
  | { code: 'preMaturity'; days: number }
  | { code: 'special'; warningId: number }
  /** A reason from before codes whose wording was not recognised when the store was migrated. */
  | { code: 'legacy'; text: string };

export interface PlannedInspection {
  kind: InspectionKind;
  dueDate: string;
  reason: InspectionReason;
}

export interface PlanInput {
  startDate: string;
  maturityDate: string;
  method: RepaymentMethod;
  tier: CustomerTier;
  level: ClassificationLevel;
}

/** Monthly for risk customers or any class below normal; half-yearly for good customers in normal class. */
export function routineIntervalMonths(tier: CustomerTier, level: ClassificationLevel, rules: InspectionRules = DEFAULT_INSPECTION_RULES): number {
  if (tier === 'risk' || levelRank(level) > 0) return rules.routineMonths.higherRisk;
  return tier === 'good' ? rules.routineMonths.best : rules.routineMonths.normal;
}

/** Principal falls due in one sum at maturity: 利随本清 and 按月付息到期还本. */
export function hasBulletMaturity(method: RepaymentMethod): boolean {
  return method === 'bullet' || method === 'monthly-interest';
}

/**
 * The whole plan of a loan from its first drawdown. Due dates that fall on a day off move back to the
 * previous working day, so a deadline is never on a holiday.
 */
export function planInspections(input: PlanInput, calendar: WorkingCalendar, rules: InspectionRules = DEFAULT_INSPECTION_RULES): PlannedInspection[] {
  const work = (d: string) => previousWorkingDayOnOrBefore(d, calendar);
  const out: PlannedInspection[] = [];
  const first = work(addDays(input.startDate, rules.firstWithinDays));
  out.push({ kind: 'first', dueDate: first, reason: { code: 'first', days: rules.firstWithinDays } });
  const preMaturity = hasBulletMaturity(input.method) ? work(addDays(input.maturityDate, -rules.preMaturityDays)) : null;
  out.push(...routineFrom(input.startDate, input, calendar, rules, preMaturity));
  if (preMaturity && preMaturity > first) out.push({ kind: 'pre-maturity', dueDate: preMaturity, reason: { code: 'preMaturity', days: rules.preMaturityDays } });
  return out.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

/** Routine inspections after `from`, every interval, stopping before maturity (or the pre-maturity visit). */
export function routineFrom(from: string, input: PlanInput, calendar: WorkingCalendar, rules: InspectionRules, preMaturity: string | null): PlannedInspection[] {
  const months = routineIntervalMonths(input.tier, input.level, rules);
  const stop = preMaturity ?? input.maturityDate;
  const firstDue = addDays(input.startDate, rules.firstWithinDays);
  const out: PlannedInspection[] = [];
  for (let k = 1; ; k++) {
    const due = previousWorkingDayOnOrBefore(addMonthsClamped(from, months * k), calendar);
    if (due >= stop) break;
    if (due > firstDue) out.push({ kind: 'routine', dueDate: due, reason: { code: 'routine', months } });
  }
  return out;
}

/** A special inspection after a serious warning raised on `raisedOn`. */
export function specialInspectionDue(raisedOn: string, calendar: WorkingCalendar, rules: InspectionRules = DEFAULT_INSPECTION_RULES): string {
  return addWorkingDays(raisedOn, rules.specialWithinWorkingDays, calendar);
}

export function reportDue(visitDate: string, calendar: WorkingCalendar, rules: InspectionRules = DEFAULT_INSPECTION_RULES): string {
  return addWorkingDays(visitDate, rules.reportDueWorkingDays, calendar);
}

export function reviewDue(submittedOn: string, calendar: WorkingCalendar, rules: InspectionRules = DEFAULT_INSPECTION_RULES): string {
  return addWorkingDays(submittedOn, rules.reviewDueWorkingDays, calendar);
}
