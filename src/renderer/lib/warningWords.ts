import { useTranslation } from 'react-i18next';
import { localName, wordWarningDetail } from '../../shared/i18n/warningDetails';
import type { WarningDetail } from '../../shared/ipc/warnings';
import { useLocale } from './appInfo';
import { formatDay } from './format';

/** Words a warning's signal name and detail (codes and both names from main) in the UI language. */
export function useWarningWords(): { signal: (names: { zh: string; en: string }) => string; detail: (d: WarningDetail) => string } {
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  return {
    signal: (names) => localName(names, i18n.language),
    detail: (d) => wordWarningDetail((key, params) => t(key, params ?? {}), d, (date) => formatDay(date, locale)),
  };
}
