import { Button, Divider, Group, Loader, NumberInput, Paper, Select, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { contract } from '../../../shared/ipc/contract';
import { SETTING_RANGES, type AllocationPart, type IntegerSetting, type Settings } from '../../../shared/ipc/settings';
import { PageHeader } from '../../components/PageHeader';
import { useAppInfo } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useUnsavedPrompt } from '../../lib/forms/UnsavedPrompt';
import { useContractForm, type ContractForm } from '../../lib/forms/useContractForm';
import { notifyError, notifySuccess } from '../../lib/notify';
import { HolidaysSection } from '../inspections/HolidaysSection';
import { ConcentrationLimitsCard } from '../managementReports/ConcentrationLimits';
import { ProvisionRatesCard } from '../managementReports/Provisioning';
import { InspectionRulesCard } from './InspectionRulesCard';
import { PrepaymentFeesCard } from './PrepaymentFeesCard';

const ORDERS: AllocationPart[][] = [
  ['penalty', 'interest', 'principal'],
  ['interest', 'penalty', 'principal'],
  ['interest', 'principal', 'penalty'],
  ['principal', 'interest', 'penalty'],
];

const RULE_KEYS = ['extensionLeadDays', 'receiptChaseDays', 'reminderLeadDays', 'maturityReminderLeadDays', 'overdueNoticeRepeatDays', 'retentionYears'] as const;
const POLICY_KEYS = ['debtRatioLimitPercent', 'debtRatioJumpPoints', 'worklogMinGood', 'worklogMinNormal', 'worklogMinRisk', 'legalMinDpd'] as const;
const INTEGER_KEYS = Object.keys(SETTING_RANGES) as IntegerSetting[];
const LABELS = {
  idleMinutes: 'settings.idleMinutes',
  ltvLimitPercent: 'settings.ltvLimit',
  attachmentMaxMb: 'settings.attachmentMaxMb',
  extensionLeadDays: 'settings.extensionLeadDays',
  receiptChaseDays: 'settings.receiptChaseDays',
  reminderLeadDays: 'settings.reminderLeadDays',
  maturityReminderLeadDays: 'settings.maturityReminderLeadDays',
  overdueNoticeRepeatDays: 'settings.overdueNoticeRepeatDays',
  retentionYears: 'settings.retentionYears',
  debtRatioLimitPercent: 'settings.debtRatioLimitPercent',
  debtRatioJumpPoints: 'settings.debtRatioJumpPoints',
  worklogMinGood: 'settings.worklogMinGood',
  worklogMinNormal: 'settings.worklogMinNormal',
  worklogMinRisk: 'settings.worklogMinRisk',
  legalMinDpd: 'settings.legalMinDpd',
} as const satisfies Record<IntegerSetting, string>;

type Values = Omit<Settings, IntegerSetting> & Record<IntegerSetting, number | string>;

/**
 * The channel's own schema; an emptied number field ('' in the form) is a missing answer, so it says 此项必填
 * as main would for a missing key.
 */
const update = contract['settings.update'];
const schema = update.extend(
  Object.fromEntries(INTEGER_KEYS.map((k) => [k, z.preprocess((v) => (v === '' ? undefined : v), update.shape[k])])) as Record<IntegerSetting, z.ZodPreprocess<z.ZodNumber, unknown>>,
);
type Form = ContractForm<Values, typeof schema>;

/** An integer setting within its range (the same range main checks). */
function IntField({ name, form }: { name: IntegerSetting; form: Form }) {
  const { t } = useTranslation();
  const [min, max] = SETTING_RANGES[name];
  return (
    <NumberInput
      label={t(LABELS[name])}
      description={t('settings.range', { min, max })}
      required
      min={min}
      max={max}
      allowDecimal={false}
      allowNegative={false}
      clampBehavior="strict"
      w={440}
      {...form.getInputProps(name)}
    />
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useIpcQuery('settings.get', {});
  return (
    <Stack gap="md">
      <PageHeader title={t('settings.title')} />
      {!settings.data ? <Loader size="sm" aria-label={t('app.loading')} /> : <SettingsForm saved={settings.data} />}
      <InspectionRulesCard />
      <PrepaymentFeesCard />
      <ProvisionRatesCard />
      <ConcentrationLimitsCard />
      <HolidaysSection />
    </Stack>
  );
}

/** The settings as saved, edited in place; leaving with changes not saved asks first. */
function SettingsForm({ saved }: { saved: Settings }) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const form: Form = useContractForm<Values, typeof schema>(schema, { initialValues: saved });
  const unsaved = useUnsavedPrompt(form.isDirty());
  const save = useIpcMutation('settings.update');

  async function submit() {
    if (form.validate().hasErrors) return;
    try {
      const next = await save.mutateAsync(form.toInput()!);
      form.setInitialValues(next);
      form.setValues(next);
      form.resetDirty(next);
      notifySuccess(t('settings.saved'));
      await refresh();
    } catch (e) {
      const { errors, rest } = serverIssues(e, Object.keys(form.getValues()));
      form.setErrors(errors);
      if (rest.length > 0 || Object.keys(errors).length === 0) notifyError(e);
    }
  }

  return (
    <Paper withBorder p="lg" maw={560}>
      {unsaved.prompt}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t('settings.institution')} required maxLength={100} {...form.getInputProps('institution')} />
          <TextInput label={t('settings.branch')} maxLength={100} {...form.getInputProps('branch')} />
          {(['idleMinutes', 'ltvLimitPercent', 'attachmentMaxMb'] as const).map((k) => (
            <IntField key={k} name={k} form={form} />
          ))}
          <Select
            label={t('settings.allocationOrder')}
            description={t('settings.allocationOrderHint')}
            allowDeselect={false}
            w={320}
            data={ORDERS.map((o) => ({ value: o.join(','), label: o.map((p) => t(`settings.part.${p}`)).join(' → ') }))}
            value={form.values.allocationOrder.join(',')}
            error={form.errors.allocationOrder}
            onChange={(v) => v && form.setFieldValue('allocationOrder', v.split(',') as AllocationPart[])}
          />
          <Divider mt="sm" />
          <Title order={5}>{t('settings.rulesTitle')}</Title>
          {RULE_KEYS.map((k) => (
            <IntField key={k} name={k} form={form} />
          ))}
          <Divider mt="sm" />
          <Title order={5}>{t('settings.policyTitle')}</Title>
          {POLICY_KEYS.map((k) => (
            <IntField key={k} name={k} form={form} />
          ))}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('settings.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
