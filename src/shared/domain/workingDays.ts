/**
 * Working days from an editable calendar: weekends are off unless listed as make-up working days (调休上班),
 * listed holidays are off. A date listed as both is treated as a holiday.
 */
import { addDays, assertDate, dayOfWeek } from './dates';

export interface WorkingCalendar {
  /** Days off that would otherwise be working days, 'YYYY-MM-DD'. */
  holidays: readonly string[];
  /** Weekend days that are working days (调休), 'YYYY-MM-DD'. */
  workdays: readonly string[];
}

type Compiled = (date: string) => boolean;

// Calendars are compiled once and reused: planning a whole portfolio asks the same calendar millions of times.
const compiled = new WeakMap<WorkingCalendar, Compiled>();

function compile(calendar: WorkingCalendar): Compiled {
  const hit = compiled.get(calendar);
  if (hit) return hit;
  const fn = build(calendar);
  compiled.set(calendar, fn);
  return fn;
}

function build(calendar: WorkingCalendar): Compiled {
  const holidays = new Set(calendar.holidays.map((d) => assertDate(d, '节假日')));
  const workdays = new Set(calendar.workdays.map((d) => assertDate(d, '调休上班日')));
  return (date) => {
    if (holidays.has(date)) return false;
    if (workdays.has(date)) return true;
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  };
}

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  return compile(calendar)(assertDate(date));
}

export function nextWorkingDayOnOrAfter(date: string, calendar: WorkingCalendar): string {
  const working = compile(calendar);
  let d = assertDate(date);
  while (!working(d)) d = addDays(d, 1);
  return d;
}

export function previousWorkingDayOnOrBefore(date: string, calendar: WorkingCalendar): string {
  const working = compile(calendar);
  let d = assertDate(date);
  while (!working(d)) d = addDays(d, -1);
  return d;
}

/**
 * Moves n working days from date. Counting starts with the day after (n > 0) or before (n < 0), whether or not
 * date itself is a working day. n = 0 returns date if it is a working day, else the next working day.
 */
export function addWorkingDays(date: string, n: number, calendar: WorkingCalendar): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`工作日天数必须是整数：${String(n)}`);
  if (n === 0) return nextWorkingDayOnOrAfter(date, calendar);
  const working = compile(calendar);
  const step = n > 0 ? 1 : -1;
  let d = assertDate(date);
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (working(d)) left--;
  }
  return d;
}

/** Joins calendars, e.g. several published years. */
export function mergeCalendars(...calendars: readonly WorkingCalendar[]): WorkingCalendar {
  return {
    holidays: [...new Set(calendars.flatMap((c) => c.holidays))].sort(),
    workdays: [...new Set(calendars.flatMap((c) => c.workdays))].sort(),
  };
}
