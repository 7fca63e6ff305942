import { Button, Divider, Group, Loader, NumberInput, Paper, Select, Stack, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useAppInfo } from '../../lib/appInfo';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { SETTING_RANGES, type AllocationPart, type IntegerSetting, type Settings } from '../../../shared/ipc/settings';
import { HolidaysSection } from '../calendar/HolidaysSection';
import { ProvisionRatesCard } from '../managementReports/Provisioning';

const ORDERS: AllocationPart[][] = [
  ['penalty', 'interest', 'principal'],
  ['interest', 'penalty', 'principal'],
  ['interest', 'principal', 'penalty'],
  ['principal', 'interest', 'penalty'],
];

const RULE_KEYS = ['extensionLeadDays', 'receiptChaseDays', 'reminderLeadDays', 'maturityReminderLeadDays', 'overdueNoticeRepeatDays', 'retentionYears'] as const;
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
} as const satisfies Record<IntegerSetting, string>;

type Form = ReturnType<typeof useFormState<Omit<Settings, IntegerSetting> & Record<IntegerSetting, number | string>>>;

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
      value={form.values[name]}
      error={form.errors[name]}
      onChange={(v) => form.set(name, v)}
    />
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const form = useFormState<Omit<Settings, IntegerSetting> & Record<IntegerSetting, number | string>>({
    institution: '',
    branch: '',
    idleMinutes: 15,
    ltvLimitPercent: 70,
    allocationOrder: ORDERS[0],
    attachmentMaxMb: 50,
    extensionLeadDays: 15,
    receiptChaseDays: 15,
    reminderLeadDays: 3,
    maturityReminderLeadDays: 30,
    overdueNoticeRepeatDays: 30,
    retentionYears: 30,
  });
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const { setValues } = form;

  useEffect(() => {
    invoke('settings.get')
      .then((s) => {
        setValues(s);
        setLoaded(true);
      })
      .catch(notifyError);
  }, [setValues]);

  async function save() {
    const v = form.values;
    const errors: Partial<Record<string, string>> = v.institution.trim() ? {} : { institution: t('validation.required') };
    for (const k of INTEGER_KEYS) if (typeof v[k] !== 'number') errors[k] = t('validation.required');
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const ints = Object.fromEntries(INTEGER_KEYS.map((k) => [k, Number(v[k])])) as Record<IntegerSetting, number>;
      setValues(await invoke('settings.update', { ...ints, institution: v.institution.trim(), branch: v.branch.trim(), allocationOrder: v.allocationOrder }));
      notifySuccess(t('settings.saved'));
      await refresh();
    } catch (e) {
      form.handleError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="md">
      <PageHeader title={t('settings.title')} />
      {!loaded ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : (
        <Paper withBorder p="lg" maw={560}>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <Stack gap="sm">
              <TextInput label={t('settings.institution')} required maxLength={100} {...form.text('institution')} />
              <TextInput label={t('settings.branch')} maxLength={100} {...form.text('branch')} />
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
                onChange={(v) => v && form.set('allocationOrder', v.split(',') as AllocationPart[])}
              />
              <Divider mt="sm" />
              <Title order={5}>{t('settings.rulesTitle')}</Title>
              {RULE_KEYS.map((k) => (
                <IntField key={k} name={k} form={form} />
              ))}
              <Group justify="flex-end">
                <Button type="submit" loading={busy}>
                  {t('settings.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
      <ProvisionRatesCard />
      <HolidaysSection />
    </Stack>
  );
}
