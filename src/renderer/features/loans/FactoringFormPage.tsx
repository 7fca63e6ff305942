import { ActionIcon, Alert, Button, Checkbox, Group, Loader, Paper, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { contract } from '../../../shared/ipc/contract';
import { receivableInput } from '../../../shared/ipc/factoring';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { AmountField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation } from '../../lib/data/useIpc';
import { DraftNotice } from '../../lib/forms/DraftNotice';
import { useDraft } from '../../lib/forms/drafts';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useUnsavedPrompt } from '../../lib/forms/UnsavedPrompt';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { parseYuan, yuan } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { notifySuccess } from '../../lib/notify';
import { BorrowerSelect, type PickedBorrower } from './BorrowerSelect';
import { useDefaultOfficer, usePrefilledBorrower } from './LoanFormPage';
import { initialTerms, LoanTermsFields, pickTerms, SchedulePreview, termsField, termsSchema, type TermsForm, type TermsValues } from './loanTerms';
import { to } from '../../routes/links';

const RECEIVABLE_FIELDS = ['debtorName', 'debtorCode', 'invoiceNo', 'invoiceAmountFen', 'invoiceDate', 'dueDate'] as const;
type ReceivableField = (typeof RECEIVABLE_FIELDS)[number];
/** A receivable as typed (the amount in yuan); `key` only tells the rows apart. */
type ReceivableRow = Record<ReceivableField, string> & { key: number; debtorRelatedParty?: boolean };

// Rows restored from a draft keep their keys; new ones never meet them.
let nextKey = Date.now();
const emptyRow = (): ReceivableRow => ({ key: nextKey++, debtorName: '', debtorCode: '', invoiceNo: '', invoiceAmountFen: '', invoiceDate: '', dueDate: '' });

type Values = TermsValues & { financingRatio: string; feeFen: string; recourse: boolean; receivables: ReceivableRow[] };

const create = contract['factoring.create'];
/** The call's shape: the terms under `financing` (the seller as the borrower), the rows without their keys. */
const pick = ({ financingRatio, feeFen, recourse, receivables, ...terms }: Values) => ({
  financing: pickTerms(terms as TermsValues),
  recourse,
  financingRatio,
  feeFen,
  // Ticked marks the debtor a related party; unticked leaves a known debtor's flag as it is (changed on the financing's page).
  receivables: receivables.map(({ key: _key, debtorRelatedParty, ...r }) => (debtorRelatedParty ? { ...r, debtorRelatedParty: true } : r)),
});

/** Ratio in per cent with up to 2 decimals → the most that may be financed, for display only. */
function maxFinancing(totalFen: number, ratio: string): number | null {
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(ratio.trim())) return null;
  const [int, frac = ''] = ratio.trim().split('.');
  const hundredths = BigInt(int) * 100n + BigInt(frac.padEnd(2, '0'));
  return Number((BigInt(totalFen) * hundredths) / 10000n);
}

/** A factoring financing. The form opens once the seller it was opened for is read, so that its draft starts from it. */
export function FactoringFormPage({ borrowerId }: { borrowerId: number | null }) {
  const { t } = useTranslation();
  const seller = usePrefilledBorrower(borrowerId);
  if (seller === undefined) return <Loader aria-label={t('app.loading')} />;
  return <FactoringForm borrowerId={borrowerId} seller={seller} />;
}

function FactoringForm({ borrowerId, seller }: { borrowerId: number | null; seller: PickedBorrower | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const officer = useDefaultOfficer();
  // The contract's own schema; amounts typed in yuan, the term as text. The seller must be an enterprise
  // (the picker offers only those; a draft could still hold another).
  const schema = useMemo(
    () =>
      create
        .extend({
          financing: termsSchema(t, locale).superRefine((f, ctx) => {
            if (f.borrowerId !== undefined && seller && seller.id === f.borrowerId && seller.kind !== 'enterprise')
              ctx.addIssue({ code: 'custom', path: ['borrowerId'], message: t('factoring.sellerNotEnterprise'), params: { worded: true } });
          }),
          feeFen: yuanField(create.shape.feeFen, { t, locale, allowZero: true }),
          receivables: z.array(receivableInput.extend({ invoiceAmountFen: yuanField(receivableInput.shape.invoiceAmountFen, { t, locale }) })).min(1).max(200),
        }),
    [t, locale, seller],
  );
  const form = useContractForm<Values, typeof schema>(schema, {
    initialValues: {
      ...initialTerms(officer, { borrower: seller, product: t('factoring.productDefault'), method: 'bullet', months: '6', guaranteeModes: ['credit'] }),
      financingRatio: '80',
      feeFen: '0',
      recourse: true,
      receivables: [emptyRow()],
    },
    pick,
    mapPath: termsField,
  });
  // A long form: what is typed is kept as a draft (per seller it was opened for), and leaving asks first.
  const draft = useDraft(`factoring:new:${borrowerId ?? 'any'}`, form);
  const unsaved = useUnsavedPrompt(form.isDirty());
  const save = useIpcMutation('factoring.create');
  const [failure, setFailure] = useState<string | null>(null);
  const v = form.values;

  const submit = form.onSubmit(() => {
    setFailure(null);
    save.mutate(form.toInput()!, {
      onSuccess: async (detail) => {
        await draft.clear();
        notifySuccess(t('factoring.saved', { no: detail.loan.contractNo }));
        unsaved.release();
        nav.replace(to.loan(detail.loan.id));
      },
      onError: (e) => {
        const { errors, rest } = serverIssues(e, Object.keys(form.getValues()), termsField);
        form.setErrors(errors);
        if (rest.length > 0 || Object.keys(errors).length === 0) setFailure([e.message, ...rest].join(' '));
      },
    });
  });

  const amounts = v.receivables.map((r) => parseYuan(r.invoiceAmountFen, t, locale).fen);
  const total = amounts.every((a) => a !== null) ? amounts.reduce<number>((s, a) => s + (a ?? 0), 0) : null;
  const max = total !== null ? maxFinancing(total, v.financingRatio) : null;
  const header = (f: ReceivableField) => t(f === 'invoiceAmountFen' ? 'factoring.invoiceAmount' : `factoring.${f}`);
  const rowsError = typeof form.errors.receivables === 'string' ? form.errors.receivables : null;
  if (!draft.ready) return null;
  return (
    <Stack gap="md" maw={1200}>
      {unsaved.prompt}
      <Group gap="sm">
        <Button variant="subtle" size="compact-sm" onClick={nav.back}>
          {t('portfolio.back')}
        </Button>
        <Title order={2} size="h3">
          {t('factoring.title')}
        </Title>
      </Group>
      <form noValidate onSubmit={submit}>
        <Stack gap="md">
          <DraftNotice draft={draft} />
          {failure && (
            <Alert color="red" variant="light" data-testid="form-error">
              {failure}
            </Alert>
          )}
          <Paper withBorder p="md">
            <Stack gap="sm">
              <SimpleGrid cols={3}>
                <BorrowerSelect
                  label={t('factoring.seller')}
                  description={t('factoring.sellerHint')}
                  kind="enterprise"
                  required
                  {...form.getInputProps('borrower')}
                  value={v.borrower}
                  onChange={(b) => form.setFieldValue('borrower', b)}
                />
                <TextInput label={t('factoring.financingRatio')} required inputMode="decimal" maxLength={6} {...form.getInputProps('financingRatio')} />
                <AmountField label={t('factoring.fee')} {...form.getInputProps('feeFen')} value={v.feeFen} />
              </SimpleGrid>
              <Switch label={t('factoring.recourse')} {...form.getInputProps('recourse', { type: 'checkbox' })} />
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <Title order={3} size="h5">
                {t('factoring.receivables')}
              </Title>
              {rowsError && (
                <Alert color="red" variant="light" py={6}>
                  {rowsError}
                </Alert>
              )}
              <Table fz="sm" verticalSpacing={4} data-testid="receivables">
                <Table.Thead>
                  <Table.Tr>
                    {RECEIVABLE_FIELDS.map((f) => (
                      <Table.Th key={f}>{header(f)}</Table.Th>
                    ))}
                    <Table.Th title={t('factoring.relatedPartyHint')} style={{ whiteSpace: 'nowrap' }}>
                      {t('factoring.relatedParty')}
                    </Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {v.receivables.map((r, i) => (
                    <Table.Tr key={r.key} style={{ verticalAlign: 'top' }}>
                      {RECEIVABLE_FIELDS.map((f) => {
                        const common = { 'aria-label': header(f), size: 'xs' as const, ...form.getInputProps(`receivables.${i}.${f}`), value: r[f] };
                        if (f === 'invoiceAmountFen') return <Table.Td key={f}><AmountField {...common} /></Table.Td>;
                        if (f === 'invoiceDate' || f === 'dueDate') return <Table.Td key={f} w={130}><BusinessDateInput {...common} /></Table.Td>;
                        return (
                          <Table.Td key={f}>
                            <TextInput {...common} maxLength={f === 'debtorName' ? 100 : f === 'debtorCode' ? 18 : 40} classNames={f === 'debtorCode' ? { input: 'lk-mono-input' } : undefined} />
                          </Table.Td>
                        );
                      })}
                      <Table.Td w={60} ta="center">
                        <Checkbox
                          mt={6}
                          aria-label={t('factoring.relatedParty')}
                          title={t('factoring.relatedPartyHint')}
                          checked={!!r.debtorRelatedParty}
                          onChange={(e) => form.setFieldValue(`receivables.${i}.debtorRelatedParty`, e.currentTarget.checked)}
                        />
                      </Table.Td>
                      <Table.Td w={40}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('factoring.removeRow')}
                          title={t('factoring.removeRow')}
                          disabled={v.receivables.length === 1}
                          onClick={() => form.removeListItem('receivables', i)}
                        >
                          ×
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Group justify="space-between">
                <Button variant="light" size="xs" onClick={() => form.insertListItem('receivables', emptyRow())}>
                  {t('factoring.addRow')}
                </Button>
                {total !== null && max !== null && (
                  <Text size="sm" c="dimmed">
                    {t('factoring.receivablesTotal', { total: yuan(total), max: yuan(max) })}
                  </Text>
                )}
              </Group>
            </Stack>
          </Paper>
          <Paper withBorder p="md">
            <Stack gap="md">
              <LoanTermsFields form={form as unknown as TermsForm} amountLabel={t('factoring.financingAmount')} />
              <SchedulePreview form={form as unknown as TermsForm} />
              <Group justify="flex-end">
                <Button variant="default" onClick={nav.back}>
                  {t('portfolio.cancel')}
                </Button>
                <Button type="submit" loading={save.isPending}>
                  {t('factoring.save')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Stack>
      </form>
    </Stack>
  );
}
