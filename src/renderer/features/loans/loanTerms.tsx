import { Alert, Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/ipc/app';
import { REPAYMENT_METHODS, todayIn, type RepaymentMethod, type ScheduleRow } from '../../../shared/domain';
import { GUARANTEE_MODES, type GuaranteeMode } from '../../../shared/ipc/loans';
import { AmountField, DateField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import type { FieldErrors, FormState } from '../../lib/form';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { dateError, intError, methodLabel } from '../../lib/labels';
import { parseYuan, yuan } from '../../lib/money';
import { notifyError } from '../../lib/notify';

/** A loan's terms as typed; shared by the loan form and the factoring form's financing part. */
export interface TermsValues extends Record<string, unknown> {
  contractNo: string;
  product: string;
  amount: string;
  annualRate: string;
  penaltyUplift: string;
  months: string;
  method: RepaymentMethod;
  startDate: string;
  purpose: string;
  guaranteeModes: GuaranteeMode[];
  officer: string;
}

export function initialTerms(officer: string, overrides: Partial<TermsValues> = {}): TermsValues {
  return {
    contractNo: '',
    product: '',
    amount: '',
    annualRate: '',
    penaltyUplift: '0.5',
    months: '12',
    method: 'equal-installment',
    startDate: todayIn(),
    purpose: '',
    guaranteeModes: ['credit'],
    officer,
    ...overrides,
  };
}

/** Main's input names → the form's fields (the amount is typed in yuan, sent as principalFen). */
export function termsField(path: string): string {
  const key = path.replace(/^financing\./, '').split('.')[0];
  return key === 'principalFen' ? 'amount' : key;
}

export interface ScheduleArgs {
  principalFen: number;
  annualRate: string;
  months: number;
  method: RepaymentMethod;
  startDate: string;
}

/** Checks what a schedule needs; returns its arguments or the errors. */
export function scheduleArgs(v: TermsValues, t: TFunction, locale: Locale): { args: ScheduleArgs | null; errors: FieldErrors<TermsValues> } {
  const errors: FieldErrors<TermsValues> = {};
  const amount = parseYuan(v.amount, t, locale);
  if (amount.error) errors.amount = amount.error;
  const rate = v.annualRate.trim();
  if (!rate) errors.annualRate = t('validation.required');
  else if (!/^\d{1,2}(\.\d{1,4})?$/.test(rate) || Number(rate) <= 0 || Number(rate) > 36) errors.annualRate = t('validation.rate');
  const months = intError(v.months, 1, 360, t);
  if (months) errors.months = t('portfolio.months');
  const start = dateError(v.startDate, t);
  if (start) errors.startDate = start;
  if (Object.keys(errors).length > 0) return { args: null, errors };
  return { args: { principalFen: amount.fen!, annualRate: rate, months: Number(v.months), method: v.method, startDate: v.startDate.trim() }, errors };
}

/** Everything loans.create needs except the borrower. */
export function validateTerms(v: TermsValues, t: TFunction, locale: Locale) {
  const { args, errors } = scheduleArgs(v, t, locale);
  if (!v.contractNo.trim()) errors.contractNo = t('validation.required');
  if (!v.product.trim()) errors.product = t('validation.required');
  const uplift = v.penaltyUplift.trim();
  if (!/^0\.\d{1,4}$/.test(uplift) || Number(uplift) < 0.3 || Number(uplift) > 0.5) errors.penaltyUplift = t('validation.uplift');
  if (v.guaranteeModes.length === 0) errors.guaranteeModes = t('validation.required');
  if (!v.officer) errors.officer = t('validation.required');
  if (!args || Object.keys(errors).length > 0) return { input: null, errors };
  return {
    input: {
      contractNo: v.contractNo.trim(),
      product: v.product.trim(),
      ...args,
      penaltyUplift: uplift,
      purpose: v.purpose.trim(),
      guaranteeModes: v.guaranteeModes,
      officer: v.officer,
    },
    errors,
  };
}

/** Officers and supervisors who may hold a loan. */
export function useOfficers() {
  const [officers, setOfficers] = useState<{ username: string; displayName: string }[]>([]);
  useEffect(() => {
    invoke('loans.officers').then(setOfficers).catch(notifyError);
  }, []);
  return officers;
}

export function LoanTermsFields({ form, amountLabel }: { form: FormState<TermsValues>; amountLabel?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const officers = useOfficers();
  const v = form.values;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={3}>
        <TextInput label={t('loans.contractNo')} required maxLength={40} autoComplete="off" classNames={{ input: 'lk-mono-input' }} {...form.text('contractNo')} />
        <TextInput label={t('loans.product')} required maxLength={50} {...form.text('product')} />
        <Select
          label={t('loans.officer')}
          required
          data={officers.map((o) => ({ value: o.username, label: o.displayName }))}
          value={v.officer || null}
          error={form.errors.officer}
          onChange={(x) => form.set('officer', x ?? '')}
        />
        <AmountField label={amountLabel ?? t('loans.amount')} required words {...form.text('amount')} />
        <TextInput label={t('loans.annualRate')} required inputMode="decimal" maxLength={8} autoComplete="off" {...form.text('annualRate')} />
        <TextInput label={t('loans.penaltyUplift')} description={t('loans.upliftHint')} required inputMode="decimal" maxLength={6} {...form.text('penaltyUplift')} inputWrapperOrder={['label', 'input', 'description', 'error']} />
        <TextInput label={t('loans.termMonths')} required inputMode="numeric" maxLength={3} {...form.text('months')} />
        <Select
          label={t('loans.method')}
          required
          data={REPAYMENT_METHODS.map((m) => ({ value: m, label: methodLabel(m, locale) }))}
          value={v.method}
          allowDeselect={false}
          onChange={(x) => x && form.set('method', x as RepaymentMethod)}
        />
        <DateField label={t('loans.startDate')} required {...form.text('startDate')} />
      </SimpleGrid>
      <TextInput label={t('loans.purpose')} maxLength={200} {...form.text('purpose')} />
      <Checkbox.Group label={t('loans.guaranteeModes')} required value={v.guaranteeModes} error={form.errors.guaranteeModes} onChange={(x) => form.set('guaranteeModes', x as GuaranteeMode[])}>
        <Group mt={6}>
          {GUARANTEE_MODES.map((m) => (
            <Checkbox key={m} value={m} label={t(`portfolio.guaranteeMode.${m}`)} />
          ))}
        </Group>
      </Checkbox.Group>
    </Stack>
  );
}

/** The 预览还款计划 button and, once pressed, loans.previewSchedule's rows; marked stale when the terms change. */
export function SchedulePreview({ form }: { form: FormState<TermsValues> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [rows, setRows] = useState<{ key: string; rows: ScheduleRow[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const { args } = scheduleArgs(form.values, t, locale);
  const key = JSON.stringify(args);

  async function preview() {
    const checked = scheduleArgs(form.values, t, locale);
    form.setErrors((e) => ({ ...e, ...checked.errors }));
    if (!checked.args) return;
    setBusy(true);
    try {
      setRows({ key: JSON.stringify(checked.args), rows: await invoke('loans.previewSchedule', checked.args) });
    } catch (e) {
      form.handleError(e);
    } finally {
      setBusy(false);
    }
  }

  const interest = rows ? rows.rows.reduce((s, r) => s + r.interestFen, 0) : 0;
  const principal = rows ? rows.rows.reduce((s, r) => s + r.principalFen, 0) : 0;
  return (
    <Stack gap="sm">
      <Group>
        <Button variant="light" onClick={() => void preview()} loading={busy}>
          {t('loans.preview')}
        </Button>
      </Group>
      {rows && (
        <Paper withBorder p="md">
          <Stack gap="xs">
            <Title order={4} size="h5">
              {t('loans.previewTitle')}
            </Title>
            {rows.key !== key && (
              <Alert color="orange" variant="light" py={6}>
                {t('loans.previewStale')}
              </Alert>
            )}
            <Text size="sm" c="dimmed">
              {t('loans.previewSummary', {
                count: rows.rows.length,
                principal: yuan(principal),
                interest: yuan(interest),
                maturity: formatDay(rows.rows.at(-1)?.dueDate ?? '', locale),
              })}
            </Text>
            <Table striped fz="sm" verticalSpacing={4} data-testid="schedule-preview" stickyHeader>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th ta="right">{t('loans.period')}</Table.Th>
                  <Table.Th>{t('loans.dueDate')}</Table.Th>
                  <Table.Th ta="right">{t('loans.principalCol')}</Table.Th>
                  <Table.Th ta="right">{t('loans.interestCol')}</Table.Th>
                  <Table.Th ta="right">{t('loans.totalCol')}</Table.Th>
                  <Table.Th ta="right">{t('loans.balanceAfter')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.rows.map((r) => (
                  <Table.Tr key={r.period}>
                    <Table.Td ta="right">{r.period}</Table.Td>
                    <Table.Td>{formatDay(r.dueDate, locale)}</Table.Td>
                    <Table.Td ta="right">{yuan(r.principalFen)}</Table.Td>
                    <Table.Td ta="right">{yuan(r.interestFen)}</Table.Td>
                    <Table.Td ta="right">{yuan(r.totalFen)}</Table.Td>
                    <Table.Td ta="right">{yuan(r.balanceFen)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
