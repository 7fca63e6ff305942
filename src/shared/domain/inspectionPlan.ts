/** Which post-loan inspections a loan needs, and when (贷后检查计划). Every number is a setting. */
import { addDays, addMonthsClamped } from './dates';
import { levelRank, type ClassificationLevel } from './classification';
import type { RepaymentMethod } from './schedule';
import { addWorkingDays, previousWorkingDayOnOrBefore, type WorkingCalendar } from './workingDays';

export type InspectionKind = 'first' | 'routine' | 'pre-maturity' | 'special';
export type CustomerTier = 'good' | 'normal' | 'risk';

export const PRE_MATURITY_SCOPES = ['all', 'bullet'] as const;
/** What the large-balance threshold is measured on: the loan alone, or everything the borrower owes (单户). */
export const LARGE_BALANCE_BASES = ['borrower', 'loan'] as const;
export type LargeBalanceBasis = (typeof LARGE_BALANCE_BASES)[number];
export type PreMaturityScope = (typeof PRE_MATURITY_SCOPES)[number];

export interface InspectionRules {
  /** First inspection within this many days of the first drawdown. */
  firstWithinDays: number;
  /** Routine interval in months: higher risk, more often. */
  routineMonths: { best: number; normal: number; higherRisk: number };
  /** A loan whose balance is above this (fen) is visited one step more often (best → normal → higher risk). */
  largeBalanceFen: number;
  /**
   * `borrower`: a borrower with several loans is measured by all of them together, so each of their loans is
   * visited as often as their total calls for; `loan`: each loan by its own balance.
   */
  largeBalanceBasis: LargeBalanceBasis;
  /** Pre-maturity visit this many days before maturity… */
  preMaturityDays: number;
  /** …for every loan, or only where principal falls due in one sum. */
  preMaturityScope: PreMaturityScope;
  /** Special inspection within this many working days of a serious warning. */
  specialWithinWorkingDays: number;
  /** Report due this many working days after the visit: the first inspection's, a warning's findings, any other. */
  firstReportDueWorkingDays: number;
  specialReportDueWorkingDays: number;
  reportDueWorkingDays: number;
  /** Review due this many working days after submission. */
  reviewDueWorkingDays: number;
}

export const DEFAULT_INSPECTION_RULES: InspectionRules = Object.freeze({
  firstWithinDays: 15,
  routineMonths: Object.freeze({ best: 6, normal: 3, higherRisk: 1 }),
  largeBalanceFen: 50_000_000,
  largeBalanceBasis: 'borrower' as const,
  preMaturityDays: 20,
  preMaturityScope: 'all' as const,
  specialWithinWorkingDays: 2,
  firstReportDueWorkingDays: 2,
  specialReportDueWorkingDays: 1,
  reportDueWorkingDays: 5,
  reviewDueWorkingDays: 2,
});

/** Stored rules over the defaults: a rule added later reads as its default. */
export function withDefaultRules(stored: Partial<InspectionRules> | null | undefined): InspectionRules {
  return { ...DEFAULT_INSPECTION_RULES, ...stored, routineMonths: { ...DEFAULT_INSPECTION_RULES.routineMonths, ...stored?.routineMonths } };
}

/**
 * Why an inspection is planned, as a code with its parameters; the renderer (and a printout) words it from the
 * catalogue in the reader's language. Stored as JSON in `inspections.reason`.
 */
export type InspectionReason =
  | { code: 'first'; days: number }
  /** `large`: the balance above the threshold made the interval one step shorter. */
  /** `tier`: which of the rules' intervals applied (absent on reasons stored before it was recorded). */
  | { code: 'routine'; months: number; large?: true; tier?: RoutineTier }
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
  /** Outstanding principal (fen), the loan's or the borrower's (the rules' basis); above the threshold, one step more often. */
  balanceFen?: number;
}

/**
 * Monthly for risk customers or any class below normal; half-yearly for good customers in normal class;
 * a balance above the threshold moves the loan one step up (half-yearly → quarterly → monthly).
 */
export function routineIntervalMonths(tier: CustomerTier, level: ClassificationLevel, rules: InspectionRules = DEFAULT_INSPECTION_RULES, balanceFen = 0): number {
  return rules.routineMonths[routineTier(tier, level, rules, balanceFen)];
}

export type RoutineTier = keyof InspectionRules['routineMonths'];

/** Which of the rules' routine intervals applies: by customer tier and class, one step up above the threshold. */
export function routineTier(tier: CustomerTier, level: ClassificationLevel, rules: InspectionRules = DEFAULT_INSPECTION_RULES, balanceFen = 0): RoutineTier {
  let step = tier === 'risk' || levelRank(level) > 0 ? 2 : tier === 'good' ? 0 : 1;
  if (balanceFen > rules.largeBalanceFen) step = Math.min(2, step + 1);
  return (['best', 'normal', 'higherRisk'] as const)[step];
}

/** The pre-maturity visit's date, or null where the rules give this loan none. */
export function preMaturityDue(input: Pick<PlanInput, 'maturityDate' | 'method'>, calendar: WorkingCalendar, rules: InspectionRules = DEFAULT_INSPECTION_RULES): string | null {
  if (rules.preMaturityScope === 'bullet' && !hasBulletMaturity(input.method)) return null;
  return previousWorkingDayOnOrBefore(addDays(input.maturityDate, -rules.preMaturityDays), calendar);
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
  const preMaturity = preMaturityDue(input, calendar, rules);
  out.push(...routineFrom(input.startDate, input, calendar, rules, preMaturity));
  if (preMaturity && preMaturity > first) out.push({ kind: 'pre-maturity', dueDate: preMaturity, reason: { code: 'preMaturity', days: rules.preMaturityDays } });
  return out.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
}

/** Routine inspections after `from`, every interval, stopping before maturity (or the pre-maturity visit). */
export function routineFrom(from: string, input: PlanInput, calendar: WorkingCalendar, rules: InspectionRules, preMaturity: string | null): PlannedInspection[] {
  const months = routineIntervalMonths(input.tier, input.level, rules, input.balanceFen);
  const large = months !== routineIntervalMonths(input.tier, input.level, rules, 0);
  const stop = preMaturity ?? input.maturityDate;
  const firstDue = addDays(input.startDate, rules.firstWithinDays);
  const out: PlannedInspection[] = [];
  for (let k = 1; ; k++) {
    const due = previousWorkingDayOnOrBefore(addMonthsClamped(from, months * k), calendar);
    if (due >= stop) break;
    const tier = routineTier(input.tier, input.level, rules, input.balanceFen);
    if (due > firstDue) out.push({ kind: 'routine', dueDate: due, reason: large ? { code: 'routine', months, large: true, tier } : { code: 'routine', months, tier } });
  }
  return out;
}

/** A special inspection after a serious warning raised on `raisedOn`. */
export function specialInspectionDue(raisedOn: string, calendar: WorkingCalendar, rules: InspectionRules = DEFAULT_INSPECTION_RULES): string {
  return addWorkingDays(raisedOn, rules.specialWithinWorkingDays, calendar);
}

/** The report is due working days after the visit: sooner for the first inspection and a warning's findings. */
export function reportDue(visitDate: string, calendar: WorkingCalendar, rules: InspectionRules = DEFAULT_INSPECTION_RULES, kind: InspectionKind = 'routine'): string {
  const days = kind === 'first' ? rules.firstReportDueWorkingDays : kind === 'special' ? rules.specialReportDueWorkingDays : rules.reportDueWorkingDays;
  return addWorkingDays(visitDate, days, calendar);
}

export function reviewDue(submittedOn: string, calendar: WorkingCalendar, rules: InspectionRules = DEFAULT_INSPECTION_RULES): string {
  return addWorkingDays(submittedOn, rules.reviewDueWorkingDays, calendar);
}
