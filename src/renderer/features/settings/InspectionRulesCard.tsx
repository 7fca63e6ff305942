import { Alert, Button, Card, Group, Loader, NumberInput, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InspectionRules, LargeBalanceBasis, PreMaturityScope } from '../../../shared/domain/inspectionPlan';
import { INSPECTION_RULE_RANGES } from '../../../shared/ipc/settings';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { IpcError } from '../../lib/ipc';
import { notifyError, notifySuccess } from '../../lib/notify';

type DayKey = 'firstWithinDays' | 'preMaturityDays' | 'specialWithinWorkingDays' | 'firstReportDueWorkingDays' | 'specialReportDueWorkingDays' | 'reportDueWorkingDays' | 'reviewDueWorkingDays';
type MonthKey = 'best' | 'normal' | 'higherRisk';
const MONTH_LABELS = { best: 'settings.inspection.routineBest', normal: 'settings.inspection.routineNormal', higherRisk: 'settings.inspection.routineHigherRisk' } as const;
const DAY_LABELS = {
  firstWithinDays: 'settings.inspection.firstWithinDays',
  preMaturityDays: 'settings.inspection.preMaturityDays',
  specialWithinWorkingDays: 'settings.inspection.specialWithinWorkingDays',
  firstReportDueWorkingDays: 'settings.inspection.firstReportDueWorkingDays',
  specialReportDueWorkingDays: 'settings.inspection.specialReportDueWorkingDays',
  reportDueWorkingDays: 'settings.inspection.reportDueWorkingDays',
  reviewDueWorkingDays: 'settings.inspection.reviewDueWorkingDays',
} as const satisfies Record<DayKey, string>;

/** The inspection rules (贷后检查规则): read and saved as a whole; main checks every range and audits the change. */
export function InspectionRulesCard() {
  const { t } = useTranslation();
  const q = useIpcQuery('settings.inspectionRules', {});
  return (
    <Card withBorder padding="lg" maw={560} data-testid="inspection-rules">
      <Title order={5} mb="xs">
        {t('settings.inspection.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('settings.inspection.hint')}
      </Text>
      {!q.data ? <Loader size="sm" aria-label={t('app.loading')} /> : <RulesForm saved={q.data} />}
    </Card>
  );
}

function RulesForm({ saved }: { saved: InspectionRules }) {
  const { t } = useTranslation();
  const [v, setV] = useState<InspectionRules>(saved);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useIpcMutation('settings.updateInspectionRules');
  const num = (x: number | string) => (typeof x === 'number' ? x : Number.NaN);

  async function submit() {
    setErrors({});
    try {
      setV(await save.mutateAsync(v));
      notifySuccess(t('settings.inspection.saved'));
    } catch (e) {
      if (e instanceof IpcError && e.issues.length > 0) setErrors(Object.fromEntries(e.issues.map((i) => [i.path, i.message])));
      else notifyError(e);
    }
  }

  const dayField = (k: DayKey) => {
    const [min, max] = INSPECTION_RULE_RANGES[k];
    return (
      <NumberInput
        key={k}
        label={t(DAY_LABELS[k])}
        description={t('settings.range', { min, max })}
        min={min}
        max={max}
        allowDecimal={false}
        allowNegative={false}
        w={440}
        value={v[k]}
        error={errors[k]}
        onChange={(x) => setV({ ...v, [k]: num(x) })}
        data-testid={`rule-${k}`}
      />
    );
  };
  const [mMin, mMax] = INSPECTION_RULE_RANGES.routineMonths;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="sm">
        {dayField('firstWithinDays')}
        {(['best', 'normal', 'higherRisk'] as MonthKey[]).map((k) => (
          <NumberInput
            key={k}
            label={t(MONTH_LABELS[k])}
            description={t('settings.range', { min: mMin, max: mMax })}
            min={mMin}
            max={mMax}
            allowDecimal={false}
            allowNegative={false}
            w={440}
            value={v.routineMonths[k]}
            error={errors[`routineMonths.${k}`]}
            onChange={(x) => setV({ ...v, routineMonths: { ...v.routineMonths, [k]: num(x) } })}
            data-testid={`rule-routine-${k}`}
          />
        ))}
        {errors.routineMonths && (
          <Alert color="red" p="xs">
            {errors.routineMonths}
          </Alert>
        )}
        <NumberInput
          label={t('settings.inspection.largeBalanceYuan')}
          min={0}
          max={INSPECTION_RULE_RANGES.largeBalanceFen[1] / 100}
          allowDecimal={false}
          allowNegative={false}
          thousandSeparator=","
          w={440}
          value={v.largeBalanceFen / 100}
          error={errors.largeBalanceFen}
          onChange={(x) => setV({ ...v, largeBalanceFen: Math.round(num(x) * 100) })}
          data-testid="rule-largeBalance"
        />
        <Select
          label={t('settings.inspection.largeBalanceBasis')}
          allowDeselect={false}
          w={440}
          data={(['borrower', 'loan'] as LargeBalanceBasis[]).map((b) => ({ value: b, label: t(`settings.inspection.basis.${b}`) }))}
          value={v.largeBalanceBasis}
          onChange={(x) => x && setV({ ...v, largeBalanceBasis: x as LargeBalanceBasis })}
          data-testid="rule-largeBalanceBasis"
        />
        {dayField('preMaturityDays')}
        <Select
          label={t('settings.inspection.preMaturityScope')}
          allowDeselect={false}
          w={440}
          data={(['all', 'bullet'] as PreMaturityScope[]).map((s) => ({ value: s, label: t(`settings.inspection.scope.${s}`) }))}
          value={v.preMaturityScope}
          onChange={(x) => x && setV({ ...v, preMaturityScope: x as PreMaturityScope })}
          data-testid="rule-preMaturityScope"
        />
        {dayField('specialWithinWorkingDays')}
        {dayField('firstReportDueWorkingDays')}
        {dayField('specialReportDueWorkingDays')}
        {dayField('reportDueWorkingDays')}
        {dayField('reviewDueWorkingDays')}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} data-testid="inspection-rules-save">
            {t('settings.inspection.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
