import { Button, Group, Loader, NumberInput, Paper, Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useAppInfo } from '../../lib/appInfo';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import type { AllocationPart } from '../../../shared/ipc/settings';
import { HolidaysSection } from '../calendar/HolidaysSection';

const ORDERS: AllocationPart[][] = [
  ['penalty', 'interest', 'principal'],
  ['interest', 'penalty', 'principal'],
  ['interest', 'principal', 'penalty'],
  ['principal', 'interest', 'penalty'],
];

export function SettingsPage() {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const form = useFormState({
    institution: '',
    branch: '',
    idleMinutes: 15 as number | string,
    ltvLimitPercent: 70 as number | string,
    allocationOrder: ORDERS[0] as AllocationPart[],
    attachmentMaxMb: 20 as number | string,
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
    const errors = {
      ...(v.institution.trim() ? {} : { institution: t('validation.required') }),
      ...(typeof v.idleMinutes === 'number' ? {} : { idleMinutes: t('validation.required') }),
      ...(typeof v.ltvLimitPercent === 'number' ? {} : { ltvLimitPercent: t('validation.required') }),
      ...(typeof v.attachmentMaxMb === 'number' ? {} : { attachmentMaxMb: t('validation.required') }),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      setValues(
        await invoke('settings.update', {
          institution: v.institution.trim(),
          branch: v.branch.trim(),
          idleMinutes: Number(v.idleMinutes),
          ltvLimitPercent: Number(v.ltvLimitPercent),
          allocationOrder: v.allocationOrder,
          attachmentMaxMb: Number(v.attachmentMaxMb),
        }),
      );
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
              <NumberInput
                label={t('settings.idleMinutes')}
                required
                min={1}
                max={240}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="strict"
                w={220}
                value={form.values.idleMinutes}
                error={form.errors.idleMinutes}
                onChange={(v) => form.set('idleMinutes', v)}
              />
              <NumberInput
                label={t('settings.ltvLimit')}
                required
                min={1}
                max={100}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="strict"
                w={220}
                value={form.values.ltvLimitPercent}
                error={form.errors.ltvLimitPercent}
                onChange={(v) => form.set('ltvLimitPercent', v)}
              />
              <NumberInput
                label={t('settings.attachmentMaxMb')}
                required
                min={1}
                max={200}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="strict"
                w={220}
                value={form.values.attachmentMaxMb}
                error={form.errors.attachmentMaxMb}
                onChange={(v) => form.set('attachmentMaxMb', v)}
              />
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
              <Group justify="flex-end">
                <Button type="submit" loading={busy}>
                  {t('settings.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
      <HolidaysSection />
    </Stack>
  );
}
