import BetterSqlite from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonthsClamped,
  addYearsClamped,
  addYearsRolling,
  assertDate,
  compareDates,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  endOfMonth,
  fromDayNumber,
  isLeapYear,
  isValidDate,
  toDayNumber,
  todayIn,
  businessDateOf,
} from '../../../src/shared/domain';
import { zhDate } from '../../../src/main/pdf/common';

const DAY_MS = 86_400_000;
const viaJsDate = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

describe('isValidDate', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31', '1900-01-01', '0001-01-01', '9999-12-31'])('accepts %s', (d) => {
    expect(isValidDate(d)).toBe(true);
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '2026-1-1',
    '26-01-01',
    ' 2026-01-01',
    '2026-01-01T00:00:00Z',
    '2026/01/01',
    '0000-01-01',
    '',
  ])('refuses %j', (d) => {
    expect(isValidDate(d)).toBe(false);
  });

  it('refuses non-strings', () => {
    expect(isValidDate(20260101 as unknown as string)).toBe(false);
    expect(() => assertDate('2026-02-30', '到期日')).toThrow(/到期日/);
  });
});

describe('calendar facts', () => {
  it('knows leap years and month lengths', () => {
    expect([1900, 2000, 2023, 2024, 2100].map(isLeapYear)).toEqual([false, true, false, true, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
    expect(endOfMonth('2024-02-10')).toBe('2024-02-29');
    expect(endOfMonth('2026-11-30')).toBe('2026-11-30');
  });

  it('knows weekdays (0 = Sunday)', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('1969-12-31')).toBe(3);
    expect(dayOfWeek('2000-01-01')).toBe(6);
    expect(dayOfWeek('2026-01-01')).toBe(4);
    expect(dayOfWeek('2026-10-10')).toBe(6);
    expect(dayOfWeek('2026-09-20')).toBe(0);
  });
});

describe('day numbers and addDays', () => {
  it('counts days from 1970-01-01 like UTC Date', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    for (const d of ['1900-03-01', '1969-12-31', '2000-02-29', '2026-11-23', '2100-03-01', '0001-01-01']) {
      const viaDate = new Date(0);
      viaDate.setUTCFullYear(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
      expect(toDayNumber(d)).toBe(Math.round(viaDate.getTime() / DAY_MS));
      expect(fromDayNumber(toDayNumber(d))).toBe(d);
    }
  });

  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2026-05-05', 0, '2026-05-05'],
  ])('addDays(%s, %d) = %s', (d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
  });

  it('agrees with UTC Date arithmetic over thirty years', () => {
    for (let n = -5000; n <= 6000; n += 37) expect(addDays('2010-06-15', n)).toBe(viaJsDate('2010-06-15', n));
  });

  it('refuses fractional days and dates out of range', () => {
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});

describe('addMonthsClamped', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-01-31', 2, '2026-03-31'],
    ['2026-01-31', 3, '2026-04-30'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2026-08-30', 6, '2027-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2026-05-20', 0, '2026-05-20'],
    ['2026-05-20', 600, '2076-05-20'],
    ['2026-05-20', -17, '2024-12-20'],
  ])('addMonthsClamped(%s, %d) = %s', (d, n, expected) => {
    expect(addMonthsClamped(d, n)).toBe(expected);
  });

  it('does not chain: Jan 31 + 2 months is Mar 31, not Feb 28 + 1 month', () => {
    expect(addMonthsClamped(addMonthsClamped('2026-01-31', 1), 1)).toBe('2026-03-28');
    expect(addMonthsClamped('2026-01-31', 2)).toBe('2026-03-31');
  });

  it('addYearsClamped moves Feb 29 to Feb 28', () => {
    expect(addYearsClamped('2024-02-29', 3)).toBe('2027-02-28');
    expect(addYearsClamped('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYearsClamped('2026-06-30', -3)).toBe('2023-06-30');
  });

  it("addYearsRolling matches SQLite's date(x, '±n years'): Feb 29 rolls over to Mar 1", () => {
    const db = new BetterSqlite(':memory:');
    const cases: [string, number][] = [['2024-02-29', -10], ['2024-02-29', -4], ['2024-02-29', 3], ['2026-06-30', -3], ['2025-12-31', 1], ['2026-03-01', -10]];
    for (const [d, n] of cases) {
      const sqlite = (db.prepare(`SELECT date(?, ?) AS d`).get(d, `${n >= 0 ? '+' : ''}${n} years`) as { d: string }).d;
      expect(addYearsRolling(d, n)).toBe(sqlite);
    }
    db.close();
    expect(addYearsRolling('2024-02-29', -10)).toBe('2014-03-01');
  });

  it('refuses fractional months', () => {
    expect(() => addMonthsClamped('2026-01-31', 1.5)).toThrow(RangeError);
  });
});

describe('daysBetween and compareDates', () => {
  it('returns b − a in days', () => {
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-02-15', '2026-03-20')).toBe(33);
    expect(daysBetween('2026-03-20', '2026-02-15')).toBe(-33);
    expect(daysBetween('2026-03-20', '2026-03-20')).toBe(0);
  });

  it('compares', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-02', '2026-01-01')).toBe(1);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(['2026-03-01', '2025-12-31', '2026-02-28'].sort(compareDates)).toEqual(['2025-12-31', '2026-02-28', '2026-03-01']);
    expect(() => compareDates('2026-01-01', 'x')).toThrow(RangeError);
  });
});

describe('todayIn', () => {
  it('gives the Beijing business date by default, whatever the machine zone', () => {
    expect(todayIn(new Date('2026-03-05T15:59:59Z'))).toBe('2026-03-05');
    expect(todayIn(new Date('2026-03-05T16:00:00Z'))).toBe('2026-03-06');
    expect(todayIn(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
  });

  it('accepts another offset', () => {
    expect(todayIn(new Date('2026-03-05T16:00:00Z'), 0)).toBe('2026-03-05');
    expect(todayIn(new Date('2026-03-05T01:00:00Z'), -120)).toBe('2026-03-04');
  });

  it('defaults to now and refuses an invalid Date', () => {
    expect(isValidDate(todayIn())).toBe(true);
    expect(() => todayIn(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('businessDateOf', () => {
  it('dates a stored UTC timestamp by its day in Beijing, not by its first ten characters', () => {
    expect(businessDateOf('2026-03-05T15:59:59.999Z')).toBe('2026-03-05');
    expect(businessDateOf('2026-03-05T23:30:00.000Z')).toBe('2026-03-06');
    expect(businessDateOf('2026-12-31T16:00:00.000Z')).toBe('2027-01-01');
    expect(() => businessDateOf('')).toThrow(RangeError);
  });

  it('is what printed documents show for a timestamp; a business date prints as it is', () => {
    expect(zhDate('2026-03-05T23:30:00.000Z')).toBe('2026年3月6日');
    expect(zhDate('2026-03-05')).toBe('2026年3月5日');
    expect(zhDate(null)).toBe('—');
  });
});
