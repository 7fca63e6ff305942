import { DateInput, type DateInputProps } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { parseBusinessDate } from '../lib/dates';

type Props = Omit<DateInputProps, 'value' | 'onChange' | 'valueFormat' | 'dateParser'> & {
  /** `YYYY-MM-DD`, or '' when empty. */
  value: string;
  onChange: (value: string) => void;
};

/**
 * A business date: typed (also `2026/12/05`, `20261205`) or picked from the calendar in the UI's language
 * (DatesProvider); the value stays a `YYYY-MM-DD` string. Binds to `form.getInputProps(key)` of @mantine/form.
 */
export function BusinessDateInput({ value, onChange, ...props }: Props) {
  const { t } = useTranslation();
  return (
    <DateInput
      placeholder={t('portfolio.datePlaceholder')}
      autoComplete="off"
      classNames={{ input: 'lk-mono-input' }}
      valueFormat="YYYY-MM-DD"
      dateParser={parseBusinessDate}
      firstDayOfWeek={1}
      {...props}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
    />
  );
}
