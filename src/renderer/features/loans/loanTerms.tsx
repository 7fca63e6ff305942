import { Alert, Button, Checkbox, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/ipc/app';
import { z } from 'zod';
import { REPAYMENT_METHODS, todayIn, type RepaymentMethod } from '../../../shared/domain';
import type { MessageKey } from '../../../shared/i18n';
import { contract, type Input } from '../../../shared/ipc/contract';
import { GUARANTEE_MODES, loanCreateInput, scheduleInput, type GuaranteeMode } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { AmountField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useIpcQuery } from '../../lib/data/useIpc';
import { yuanField } from '../../lib/forms/yuanField';
import { zodResolver } from '../../lib/forms/zodResolver';
import { formatDay } from '../../lib/format';
import { methodLabel } from '../../lib/labels';
import { yuan } from '../../lib/money';
import type { PickedBorrower } from './BorrowerSelect';

/** A form holding a loan's terms (the loan form, the factoring form). */
export type TermsForm = UseFormReturnType<TermsValues>;

const ZERO: Input<'loans.previewSchedule'> = { principalFen: 0, annualRate: '0', months: 0, method: 'bullet', startDate: '' };

/** A loan's terms as typed; shared by the loan form and the factoring form's financing part. */
export interface TermsValues extends Record<string, unknown> {
  /** Chosen in the form; the call takes its id. */
  borrower: PickedBorrower | null;
  contractNo: string;
  product: string;
  /** Yuan as typed. */
  principalFen: string;
  annualRate: string;
  penaltyUplift: string;
  /** Months as typed. */
  months: string;
  method: RepaymentMethod;
  startDate: string;
  purpose: string;
  guaranteeModes: GuaranteeMode[];
  officer: string;
}

export function initialTerms(officer: string, overrides: Partial<TermsValues> = {}): TermsValues {
  return {
    borrower: null,
    contractNo: '',
    product: '',
    principalFen: '',
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

/** Main's input names → the form's fields (the borrower is picked, the call takes its id). */
export function termsField(path: string): string {
  const key = path.replace(/^financing\./, '');
  return key === 'borrowerId' ? 'borrower' : key;
}

/** Months typed as text, held to the contract's rule for the term ('' is a missing answer). */
const monthsText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : /^\d+$/.test(s) ? Number(s) : s))
  .pipe(scheduleInput.months as unknown as z.ZodType<number, string | number | undefined>);

/** loans.previewSchedule's own schema, the principal typed in yuan and the term as text. */
export function scheduleSchema(t: TFunction, locale: Locale) {
  return contract['loans.previewSchedule'].extend({ principalFen: yuanField(scheduleInput.principalFen, { t, locale }), months: monthsText });
}

/** loans.create's own schema with the same adaptations; the borrower is the picked one's id. */
export function termsSchema(t: TFunction, locale: Locale) {
  return loanCreateInput.extend({ principalFen: yuanField(scheduleInput.principalFen, { t, locale }), months: monthsText });
}

/** The fields loans.create takes from the terms (the borrower as its id). */
export const pickTerms = ({ borrower, contractNo, product, principalFen, annualRate, penaltyUplift, months, method, startDate, purpose, guaranteeModes, officer }: TermsValues) => ({
  borrowerId: borrower?.id,
  contractNo,
  product,
  principalFen,
  annualRate,
  penaltyUplift,
  months,
  method,
  startDate,
  purpose,
  guaranteeModes,
  officer,
});

const pickSchedule = ({ principalFen, annualRate, months, method, startDate }: TermsValues) => ({ principalFen, annualRate, months, method, startDate });

/** Officers and supervisors who may hold a loan. */
export function useOfficers(): { username: string; displayName: string }[] {
  return useIpcQuery('loans.officers', {}).data ?? NONE;
}
const NONE: { username: string; displayName: string }[] = [];

export function LoanTermsFields({ form, amountLabel }: { form: TermsForm; amountLabel?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const officers = useOfficers();
  const v = form.values;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={3}>
        <TextInput label={t('loans.contractNo')} required maxLength={40} autoComplete="off" classNames={{ input: 'lk-mono-input' }} {...form.getInputProps('contractNo')} />
        <TextInput label={t('loans.product')} required maxLength={50} {...form.getInputProps('product')} />
        <Select
          label={t('loans.officer')}
          required
          data={officers.map((o) => ({ value: o.username, label: o.displayName }))}
          {...form.getInputProps('officer')}
          value={v.officer || null}
          onChange={(x) => form.setFieldValue('officer', x ?? '')}
        />
        <AmountField label={amountLabel ?? t('loans.amount')} required words {...form.getInputProps('principalFen')} value={v.principalFen} />
        <TextInput label={t('loans.annualRate')} required inputMode="decimal" maxLength={8} autoComplete="off" {...form.getInputProps('annualRate')} />
        <TextInput label={t('loans.penaltyUplift')} description={t('loans.upliftHint')} required inputMode="decimal" maxLength={6} {...form.getInputProps('penaltyUplift')} inputWrapperOrder={['label', 'input', 'description', 'error']} />
        <TextInput label={t('loans.termMonths')} required inputMode="numeric" maxLength={3} {...form.getInputProps('months')} />
        <Select
          label={t('loans.method')}
          required
          data={REPAYMENT_METHODS.map((m) => ({ value: m, label: methodLabel(m, locale) }))}
          allowDeselect={false}
          {...form.getInputProps('method')}
        />
        <BusinessDateInput label={t('loans.startDate')} required {...form.getInputProps('startDate')} value={v.startDate} />
      </SimpleGrid>
      <TextInput label={t('loans.purpose')} maxLength={200} {...form.getInputProps('purpose')} />
      <Checkbox.Group label={t('loans.guaranteeModes')} required {...form.getInputProps('guaranteeModes')}>
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
export function SchedulePreview({ form }: { form: TermsForm }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => scheduleSchema(t, locale), [t, locale]);
  // The terms the preview was asked for; the answer is cached under them.
  const [asked, setAsked] = useState<Input<'loans.previewSchedule'> | null>(null);
  const preview = useIpcQuery('loans.previewSchedule', asked ?? ZERO, { enabled: asked !== null });
  const current = schema.safeParse(pickSchedule(form.values));
  const stale = asked !== null && JSON.stringify(current.success ? current.data : null) !== JSON.stringify(asked);

  function ask() {
    const typed = pickSchedule(form.getValues());
    const errors = zodResolver(schema, (key, params) => t(key as MessageKey, params ?? {}))(typed);
    form.setErrors({ ...form.errors, ...errors });
    const r = schema.safeParse(typed);
    if (r.success) setAsked(r.data);
  }

  const rows = asked && preview.data ? { rows: preview.data } : null;
  const interest = rows ? rows.rows.reduce((s, r) => s + r.interestFen, 0) : 0;
  const principal = rows ? rows.rows.reduce((s, r) => s + r.principalFen, 0) : 0;
  return (
    <Stack gap="sm">
      <Group>
        <Button variant="light" onClick={ask} loading={preview.isFetching}>
          {t('loans.preview')}
        </Button>
      </Group>
      {rows && (
        <Paper withBorder p="md">
          <Stack gap="xs">
            <Title order={4} size="h5">
              {t('loans.previewTitle')}
            </Title>
            {stale && (
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
