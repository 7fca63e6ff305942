import { useState } from 'react';
import type { Locale } from '../../shared/ipc/app';
import { useLocale } from './appInfo';

/** An error message for an inline Alert; hidden once the user switches language, as it would be in the old one. */
export function useAlert(): [string | null, (message: string | null) => void] {
  const locale = useLocale();
  const [stored, setStored] = useState<{ locale: Locale; message: string } | null>(null);
  const message = stored && stored.locale === locale ? stored.message : null;
  return [message, (m) => setStored(m === null ? null : { locale, message: m })];
}
