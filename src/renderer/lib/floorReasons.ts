import type { TFunction } from 'i18next';
import { catalogues } from '../../shared/i18n';
import type { Locale } from '../../shared/ipc/app';

type ReasonKey = Exclude<keyof (typeof catalogues)['zh-CN']['loan']['floorReason'], 'rules'>;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Main words the classification floor's reasons in Chinese only (shared/domain/classification.ts), and stores
 * them so in history and ledger text too. The catalogue's zh-CN sentences are exactly those; each becomes a
 * pattern, so the English catalogue can word the same reason.
 */
const PATTERNS: [RegExp, ReasonKey][] = (() => {
  const zh = catalogues['zh-CN'].loan.floorReason;
  return (Object.keys(zh) as (keyof typeof zh)[])
    .filter((k): k is ReasonKey => k !== 'rules')
    .map((k) => {
      const source = escape(zh[k]).replace(escape('{{dpd}}'), '(\\d+)').replace(escape('{{rules}}'), escape(zh.rules));
      return [new RegExp(source, 'g'), k];
    });
})();

/** Every known floor reason inside `text` re-worded in the user's language; anything else is left as it came. */
export function localizeReasons(text: string, locale: Locale, t: TFunction): string {
  if (locale === 'zh-CN') return text;
  let out = text;
  for (const [re, key] of PATTERNS) out = out.replace(re, (_m, dpd?: string) => t(`loan.floorReason.${key}`, { dpd: dpd ?? '', rules: t('loan.floorReason.rules') }));
  return out.replaceAll('；', '; ');
}
