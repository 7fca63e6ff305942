import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  CN_CALENDAR_2026,
  dayOfWeek,
  isWorkingDay,
  mergeCalendars,
  nextWorkingDayOnOrAfter,
  previousWorkingDayOnOrBefore,
  type WorkingCalendar,
} from '../../../src/shared/domain';

const cal = CN_CALENDAR_2026;
const EMPTY: WorkingCalendar = { holidays: [], workdays: [] };

describe('CN_CALENDAR_2026 (国办发明电〔2025〕7号)', () => {
  it('lists 33 days off and 6 make-up working days, all on weekends', () => {
    expect(cal.source).toBe('国办发明电〔2025〕7号');
    expect(cal.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(new Set(cal.holidays).size).toBe(cal.holidays.length);
    expect(cal.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    for (const d of cal.workdays) expect([0, 6]).toContain(dayOfWeek(d));
    expect(cal.holidays.every((d) => d.startsWith('2026-'))).toBe(true);
  });

  it.each([
    ['2026-01-01', false],
    ['2026-01-03', false],
    ['2026-01-04', true],
    ['2026-02-14', true],
    ['2026-02-15', false],
    ['2026-02-23', false],
    ['2026-02-24', true],
    ['2026-02-28', true],
    ['2026-04-06', false],
    ['2026-05-05', false],
    ['2026-05-09', true],
    ['2026-06-19', false],
    ['2026-09-20', true],
    ['2026-09-25', false],
    ['2026-09-27', false],
    ['2026-10-01', false],
    ['2026-10-07', false],
    ['2026-10-08', true],
    ['2026-10-10', true],
    ['2026-10-11', false],
    ['2026-11-23', true],
    ['2026-11-28', false],
  ])('%s working: %s', (date, working) => {
    expect(isWorkingDay(date, cal)).toBe(working);
  });
});

describe('addWorkingDays across the 2026 National Day holiday', () => {
  it.each([
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-09-30', 2, '2026-10-09'],
    ['2026-09-30', 3, '2026-10-10'],
    ['2026-09-30', 4, '2026-10-12'],
    ['2026-10-03', 1, '2026-10-08'],
    ['2026-09-18', 1, '2026-09-20'],
    ['2026-09-24', 1, '2026-09-28'],
    // Inspection report due 5 working days after a visit on Mon 28 Sep.
    ['2026-09-28', 5, '2026-10-10'],
  ])('addWorkingDays(%s, %d) = %s', (date, n, expected) => {
    expect(addWorkingDays(date, n, cal)).toBe(expected);
  });

  it.each([
    ['2026-10-08', -1, '2026-09-30'],
    ['2026-10-12', -1, '2026-10-10'],
    ['2026-10-12', -4, '2026-09-30'],
    ['2026-09-21', -1, '2026-09-20'],
  ])('goes backwards: addWorkingDays(%s, %d) = %s', (date, n, expected) => {
    expect(addWorkingDays(date, n, cal)).toBe(expected);
  });

  it('n = 0 keeps a working day and otherwise moves to the next one', () => {
    expect(addWorkingDays('2026-10-08', 0, cal)).toBe('2026-10-08');
    expect(addWorkingDays('2026-10-03', 0, cal)).toBe('2026-10-08');
    expect(addWorkingDays('2026-10-10', 0, cal)).toBe('2026-10-10');
  });
});

describe('Spring Festival and plain weekends', () => {
  it('uses the make-up Saturdays', () => {
    expect(addWorkingDays('2026-02-13', 1, cal)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-14', 1, cal)).toBe('2026-02-24');
    expect(addWorkingDays('2026-02-27', 1, cal)).toBe('2026-02-28');
    expect(addWorkingDays('2026-02-28', 1, cal)).toBe('2026-03-02');
  });

  it('treats weekends as days off with an empty calendar', () => {
    expect(addWorkingDays('2026-11-27', 1, EMPTY)).toBe('2026-11-30');
    expect(addWorkingDays('2026-11-30', -1, EMPTY)).toBe('2026-11-27');
    expect(addWorkingDays('2026-11-23', 10, EMPTY)).toBe('2026-12-07');
    expect(nextWorkingDayOnOrAfter('2026-11-28', EMPTY)).toBe('2026-11-30');
    expect(previousWorkingDayOnOrBefore('2026-11-29', EMPTY)).toBe('2026-11-27');
    expect(previousWorkingDayOnOrBefore('2026-10-07', cal)).toBe('2026-09-30');
  });

  it('lets a holiday win over a workday listed on the same date', () => {
    expect(isWorkingDay('2026-11-23', { holidays: ['2026-11-23'], workdays: ['2026-11-23'] })).toBe(false);
  });
});

describe('validation and merging', () => {
  it('refuses bad dates, counts and calendars', () => {
    expect(() => addWorkingDays('2026-02-30', 1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-02-03', 1.5, cal)).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-03', { holidays: ['2026-2-3'], workdays: [] })).toThrow(/节假日/);
  });

  it('merges calendars', () => {
    const extra: WorkingCalendar = { holidays: ['2027-01-01'], workdays: ['2026-10-10'] };
    const merged = mergeCalendars(cal, extra);
    expect(merged.holidays).toHaveLength(34);
    expect(merged.workdays).toHaveLength(6);
    expect(isWorkingDay('2027-01-01', merged)).toBe(false);
  });
});
