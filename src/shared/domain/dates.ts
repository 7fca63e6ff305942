/**
 * Business dates are 'YYYY-MM-DD' strings with no time zone. Arithmetic works on day numbers (days since
 * 1970-01-01 in the proleptic Gregorian calendar, i.e. UTC days), so no local clock or DST can shift a date.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parts(date: string): { y: number; m: number; d: number } | null {
  const match = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return { y, m, d };
}

/** True for a real calendar date written exactly as 'YYYY-MM-DD' (years 0001–9999). */
export function isValidDate(date: string): boolean {
  return parts(date) !== null;
}

/** Returns the date unchanged, or throws RangeError naming the field. */
export function assertDate(date: string, label = '日期'): string {
  if (!isValidDate(date)) throw new RangeError(`${label}不是有效的日期（应为 YYYY-MM-DD）：${String(date)}`);
  return date;
}

function checked(date: string): { y: number; m: number; d: number } {
  const p = parts(date);
  if (!p) throw new RangeError(`不是有效的日期（应为 YYYY-MM-DD）：${String(date)}`);
  return p;
}

function format(y: number, m: number, d: number): string {
  if (y < 1 || y > 9999) throw new RangeError(`日期超出支持范围（0001–9999 年）：${y}`);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function assertInteger(n: number, label: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${label}必须是整数：${String(n)}`);
}

// Days from civil and back: Howard Hinnant's algorithms, exact for the proleptic Gregorian calendar.
export function toDayNumber(date: string): number {
  const { y: y0, m, d } = checked(date);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(day: number): string {
  assertInteger(day, '天数');
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return format(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

export function addDays(date: string, n: number): string {
  assertInteger(n, '天数');
  return fromDayNumber(toDayNumber(date) + n);
}

/** Adds n calendar months; a day that does not exist in the target month becomes its last day (Jan 31 → Feb 28/29). */
export function addMonthsClamped(date: string, n: number): string {
  assertInteger(n, '月数');
  const { y, m, d } = checked(date);
  const index = y * 12 + (m - 1) + n;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return format(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

export function addYearsClamped(date: string, n: number): string {
  assertInteger(n, '年数');
  return addMonthsClamped(date, n * 12);
}

/** Adds n years as SQLite's date(x, '±n years') does: a Feb 29 that the target year lacks rolls over to Mar 1. */
export function addYearsRolling(date: string, n: number): string {
  const clamped = addYearsClamped(date, n);
  return date.endsWith('-02-29') && !clamped.endsWith('-29') ? addDays(clamped, 1) : clamped;
}

/** b − a in days: daysBetween('2026-01-01', '2026-01-31') = 30. */
export function daysBetween(a: string, b: string): number {
  return toDayNumber(b) - toDayNumber(a);
}

export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const diff = daysBetween(b, a);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  // 1970-01-01 was a Thursday.
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function endOfMonth(date: string): string {
  const { y, m } = checked(date);
  return format(y, m, daysInMonth(y, m));
}

/** China Standard Time: UTC+8 all year (no daylight saving since 1991). */
export const CHINA_UTC_OFFSET_MINUTES = 480;

/**
 * The business date at an instant. Our lenders work in China, so the default is Beijing time whatever the
 * machine's time zone: 2026-03-05T17:00:00Z is already '2026-03-06'.
 */
export function todayIn(now: Date = new Date(), utcOffsetMinutes: number = CHINA_UTC_OFFSET_MINUTES): string {
  const t = now instanceof Date ? now.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError('无效的时间');
  assertInteger(utcOffsetMinutes, '时区偏移分钟数');
  const shifted = new Date(t + utcOffsetMinutes * 60_000);
  return format(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/**
 * The business date of a stored timestamp (ISO-8601 UTC, as `nowIso()` writes them), in China time: an approval
 * at '2026-03-05T23:30:00.000Z' was given on '2026-03-06'. Never take a timestamp's first ten characters for its date.
 */
export function businessDateOf(timestamp: string): string {
  return todayIn(new Date(timestamp));
}
