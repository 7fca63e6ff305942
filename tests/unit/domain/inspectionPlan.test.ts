import { describe, expect, it } from 'vitest';
import {
  CN_CALENDAR_2026,
  DEFAULT_INSPECTION_RULES,
  mergeCalendars,
  CN_CALENDARS,
  planInspections,
  reportDue,
  reviewDue,
  routineFrom,
  routineIntervalMonths,
  specialInspectionDue,
} from '../../../src/shared/domain';

const cal = mergeCalendars(...CN_CALENDARS);

describe('inspection planning', () => {
  it('first inspection within 15 days, quarterly routine for a normal customer, none past maturity', () => {
    const plan = planInspections({ startDate: '2026-03-10', maturityDate: '2027-03-10', method: 'equal-installment', tier: 'normal', level: 'normal' }, cal);
    expect(plan[0]).toMatchObject({ kind: 'first', dueDate: '2026-03-25' });
    expect(plan.filter((p) => p.kind === 'routine').map((p) => p.dueDate)).toEqual(['2026-06-10', '2026-09-10', '2026-12-10']);
    // Every loan gets its pre-maturity visit (20 days before 2027-03-10), unless the rules keep it to bullet loans.
    expect(plan.filter((p) => p.kind === 'pre-maturity').map((p) => p.dueDate)).toEqual(['2027-02-18']);
    const bulletOnly = planInspections({ startDate: '2026-03-10', maturityDate: '2027-03-10', method: 'equal-installment', tier: 'normal', level: 'normal' }, cal, { ...DEFAULT_INSPECTION_RULES, preMaturityScope: 'bullet' });
    expect(bulletOnly.some((p) => p.kind === 'pre-maturity')).toBe(false);
  });

  it('a balance above the threshold (default 500,000 yuan) is visited one step more often', () => {
    expect(routineIntervalMonths('good', 'normal', DEFAULT_INSPECTION_RULES, 50_000_000)).toBe(6);
    expect(routineIntervalMonths('good', 'normal', DEFAULT_INSPECTION_RULES, 50_000_001)).toBe(3);
    expect(routineIntervalMonths('normal', 'normal', DEFAULT_INSPECTION_RULES, 80_000_000)).toBe(1);
    expect(routineIntervalMonths('risk', 'normal', DEFAULT_INSPECTION_RULES, 80_000_000)).toBe(1);
    expect(routineIntervalMonths('normal', 'normal', { ...DEFAULT_INSPECTION_RULES, largeBalanceFen: 100_000_000 }, 80_000_000)).toBe(3);
  });

  it('monthly for a risk customer or a worse class, half-yearly for the best-rated', () => {
    expect(routineIntervalMonths('risk', 'normal')).toBe(1);
    expect(routineIntervalMonths('normal', 'special-mention')).toBe(1);
    expect(routineIntervalMonths('good', 'substandard')).toBe(1);
    expect(routineIntervalMonths('good', 'normal')).toBe(6);
    expect(routineIntervalMonths('normal', 'normal')).toBe(3);
  });

  it('adds a pre-maturity visit 20 days before a bullet maturity, moved off a holiday', () => {
    // Maturity 2026-10-27: 20 days before is 2026-10-07, inside the National Day holiday → 2026-09-30.
    const plan = planInspections({ startDate: '2026-04-27', maturityDate: '2026-10-27', method: 'bullet', tier: 'good', level: 'normal' }, cal);
    expect(plan.find((p) => p.kind === 'pre-maturity')?.dueDate).toBe('2026-09-30');
    // Half-yearly would fall on 2026-10-27, after the pre-maturity visit: no routine one.
    expect(plan.filter((p) => p.kind === 'routine')).toEqual([]);
  });

  it('moves a due date that falls on a weekend or holiday back to the working day before', () => {
    // 2026-02-01 + 15 days = 2026-02-16, in the Spring Festival (2/15–2/23); 2/14 is a make-up working Saturday.
    const plan = planInspections({ startDate: '2026-02-01', maturityDate: '2026-08-01', method: 'equal-principal', tier: 'normal', level: 'normal' }, cal);
    expect(plan[0].dueDate).toBe('2026-02-14');
  });

  it('re-plans from a date: keeps the cadence of the new tier', () => {
    const input = { startDate: '2026-01-05', maturityDate: '2027-01-05', method: 'equal-installment' as const, tier: 'risk' as const, level: 'normal' as const };
    const next = routineFrom('2026-07-01', input, cal, DEFAULT_INSPECTION_RULES, null);
    // 1 Aug is a Saturday, 1 Oct a holiday: both move back.
    expect(next.slice(0, 3).map((p) => p.dueDate)).toEqual(['2026-07-31', '2026-09-01', '2026-09-30']);
  });

  it('working-day deadlines across the 2026 National Day holiday with make-up days', () => {
    // Visit on Tue 29 Sep: 30 Sep, then 1–7 Oct off, 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, make-up), 12 Oct.
    expect(reportDue('2026-09-29', CN_CALENDAR_2026)).toBe('2026-10-12');
    // The first inspection's report in 2 working days, a warning's findings the next working day.
    expect(reportDue('2026-09-28', CN_CALENDAR_2026, DEFAULT_INSPECTION_RULES, 'first')).toBe('2026-09-30');
    expect(reportDue('2026-09-30', CN_CALENDAR_2026, DEFAULT_INSPECTION_RULES, 'special')).toBe('2026-10-08');
    expect(reviewDue('2026-09-30', CN_CALENDAR_2026)).toBe('2026-10-09');
    // A serious warning on Fri 18 Sep: Sun 20 Sep is a make-up working day.
    expect(specialInspectionDue('2026-09-18', CN_CALENDAR_2026)).toBe('2026-09-21');
  });
});
