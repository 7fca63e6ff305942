import { DateInput, type DateInputProps } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../lib/appInfo';
import { parseBusinessDate } from '../lib/dates';

type Props = Omit<DateInputProps, 'value' | 'onChange' | 'valueFormat' | 'dateParser'> & {
  /** `YYYY-MM-DD`, or '' when empty. */
  value: string;
  onChange: (value: string) => void;
};

/**
 * A business date: typed (also `2026/12/05`, `20261205`) or picked from the calendar in the UI's language
 * (DatesProvider); the value stays a `YYYY-MM-DD` string. Binds to `form.getInputProps(key)` of @mantine/form.
 * Read-only (a submitted report), it reads as dates do elsewhere: 2026年12月8日 / 8 Dec 2026.
 */
export function BusinessDateInput({ value, onChange, ...props }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const shown = props.readOnly ? (locale === 'en' ? 'D MMM YYYY' : 'YYYY年M月D日') : 'YYYY-MM-DD';
  return (
    <DateInput
      // Mantine keeps the typed text while the value stays the same: a form that becomes read-only starts afresh.
      key={shown}
      placeholder={t('portfolio.datePlaceholder')}
      autoComplete="off"
      classNames={{ input: props.readOnly ? undefined : 'lk-mono-input' }}
      valueFormat={shown}
      dateParser={parseBusinessDate}
      firstDayOfWeek={1}
      {...props}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
    />
  );
}
