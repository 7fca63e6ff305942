import type { Locale } from '../../shared/ipc/app';

const DATE: Record<Locale, Intl.DateTimeFormatOptions> = {
  'zh-CN': { year: 'numeric', month: 'long', day: 'numeric' },
  en: { year: 'numeric', month: 'short', day: 'numeric' },
};
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
const INTL_LOCALE: Record<Locale, string> = { 'zh-CN': 'zh-CN', en: 'en-GB' };

/** 2026年11月23日 / 23 Nov 2026, in local time. */
export function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], DATE[locale]).format(new Date(iso));
}

export function formatDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { ...DATE[locale], ...TIME }).format(new Date(iso));
}

export { formatDay } from '../../shared/i18n/dates';
