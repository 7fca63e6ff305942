/**
 * Whether the administrator should be asked for a year's holiday file: the current year when it is missing
 * (working-day deadlines this year are then only approximate), or, from 1 December, next year's. The State
 * Council publishes the next year's arrangement in late autumn; until it is imported, deadlines that fall in
 * that year count only weekends as days off.
 */
export function missingCalendarYear(years: readonly number[], today: string): { year: number; urgent: boolean } | null {
  const year = Number(today.slice(0, 4));
  if (!years.includes(year)) return { year, urgent: true };
  if (today.slice(5, 7) === '12' && !years.includes(year + 1)) return { year: year + 1, urgent: false };
  return null;
}
