import type { Locale } from '../ipc/app';

const INTL_LOCALE: Record<Locale, string> = { 'zh-CN': 'zh-CN', en: 'en-GB' };
const DAY: Record<Locale, Intl.DateTimeFormatOptions> = {
  'zh-CN': { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' },
  en: { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' },
};

/**
 * A business date 'YYYY-MM-DD' (no time zone) as the screens show it: 2026年11月23日 / 23 Nov 2026, the same day
 * everywhere. Anything else is returned as it is. Main uses it for dates inside its messages, the renderer for cells.
 */
export function formatDay(date: string, locale: Locale): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], DAY[locale]).format(new Date(`${date}T00:00:00Z`));
}
