import { Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BusinessDateInput } from './BusinessDateInput';

interface Props {
  /** `YYYY-MM-DD`, or undefined when that end is open. */
  from: string | undefined;
  to: string | undefined;
  onChange: (range: { from: string | undefined; to: string | undefined }) => void;
  /** The two labels; 起始日期/截止日期 unless a list names its own (应检查日期从…). */
  fromLabel?: string;
  toLabel?: string;
  testId?: string;
}

/** A filter's date range: either end may be left open; an end before the start is named at once. */
export function DateRangeFilter({ from, to, onChange, fromLabel, toLabel, testId }: Props) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" align="flex-start" wrap="nowrap" data-testid={testId}>
      <BusinessDateInput label={fromLabel ?? t('listFilters.from')} w={150} clearable value={from ?? ''} onChange={(v) => onChange({ from: v || undefined, to })} />
      <BusinessDateInput
        label={toLabel ?? t('listFilters.to')}
        w={150}
        clearable
        value={to ?? ''}
        error={from && to && to < from ? t('validation.dateRange') : undefined}
        onChange={(v) => onChange({ from, to: v || undefined })}
      />
    </Group>
  );
}
