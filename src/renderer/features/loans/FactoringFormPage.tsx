import { ActionIcon, Alert, Button, Group, Paper, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isValidCreditCode } from '../../../shared/domain';
import { AmountField, DateField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { invoke, IpcError } from '../../lib/ipc';
import { dateError } from '../../lib/labels';
import { parseYuan, yuan } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { notifyError, notifySuccess } from '../../lib/notify';
import { BorrowerSelect } from './BorrowerSelect';
import { useDefaultOfficer, usePrefilledBorrower } from './LoanFormPage';
import { initialTerms, LoanTermsFields, SchedulePreview, termsField, validateTerms, type TermsValues } from './loanTerms';
import { to } from '../../routes/links';

const RECEIVABLE_FIELDS = ['debtorName', 'debtorCode', 'invoiceNo', 'invoiceAmount', 'invoiceDate', 'dueDate'] as const;
type ReceivableField = (typeof RECEIVABLE_FIELDS)[number];
type ReceivableRow = Record<ReceivableField, string> & { key: number };
type RowErrors = Partial<Record<ReceivableField, string>>;

let nextKey = 1;
const emptyRow = (): ReceivableRow => ({ key: nextKey++, debtorName: '', debtorCode: '', invoiceNo: '', invoiceAmount: '', invoiceDate: '', dueDate: '' });

/** Ratio in per cent with up to 2 decimals → the most that may be financed, for display only. */
function maxFinancing(totalFen: number, ratio: string): number | null {
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(ratio.trim())) return null;
  const [int, frac = ''] = ratio.trim().split('.');
  const hundredths = BigInt(int) * 100n + BigInt(frac.padEnd(2, '0'));
  return Number((BigInt(totalFen) * hundredths) / 10000n);
}

export function FactoringFormPage({ borrowerId }: { borrowerId: number | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const terms = useFormState<TermsValues>(
    initialTerms(useDefaultOfficer(), { product: t('factoring.productDefault'), method: 'bullet', months: '6', guaranteeModes: ['credit'] }),
    termsField,
  );
  const own = useFormState({ financingRatio: '80', fee: '0', recourse: true });
  const [seller, setSeller] = usePrefilledBorrower(borrowerId);
  const [sellerError, setSellerError] = useState<string | undefined>();
  const [rows, setRows] = useState<ReceivableRow[]>(() => [emptyRow()]);
  const [rowErrors, setRowErrors] = useState<RowErrors[]>([]);
  const [rowsError, setRowsError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const setCell = (i: number, field: ReceivableField, value: string) => {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
    setRowErrors((es) => es.map((e, j) => (j === i ? { ...e, [field]: undefined } : e)));
  };

  function checkRows() {
    const errors: RowErrors[] = [];
    const out = rows.map((r, i) => {
      const e: RowErrors = {};
      if (!r.debtorName.trim()) e.debtorName = t('validation.required');
      if (!isValidCreditCode(r.debtorCode.trim().toUpperCase())) e.debtorCode = r.debtorCode.trim() ? t('validation.creditCode') : t('validation.required');
      if (!r.invoiceNo.trim()) e.invoiceNo = t('validation.required');
      const amount = parseYuan(r.invoiceAmount, t, locale);
      if (amount.error) e.invoiceAmount = amount.error;
      const d1 = dateError(r.invoiceDate, t);
      if (d1) e.invoiceDate = d1;
      const d2 = dateError(r.dueDate, t);
      if (d2) e.dueDate = d2;
      errors[i] = e;
      return {
        debtorName: r.debtorName.trim(),
        debtorCode: r.debtorCode.trim().toUpperCase(),
        invoiceNo: r.invoiceNo.trim(),
        invoiceAmountFen: amount.fen ?? 0,
        invoiceDate: r.invoiceDate.trim(),
        dueDate: r.dueDate.trim(),
      };
    });
    setRowErrors(errors);
    return errors.every((e) => Object.keys(e).length === 0) ? out : null;
  }

  function applyError(e: unknown) {
    if (!(e instanceof IpcError) || e.issues.length === 0) return notifyError(e);
    const rest = e.issues.filter((issue) => {
      const m = /^receivables\.(\d+)\.(\w+)/.exec(issue.path);
      if (m) {
        const field = (m[2] === 'invoiceAmountFen' ? 'invoiceAmount' : m[2]) as ReceivableField;
        setRowErrors((es) => {
          const next = [...es];
          next[Number(m[1])] = { ...next[Number(m[1])], [field]: issue.message };
          return next;
        });
        return false;
      }
      if (issue.path === 'receivables') {
        setRowsError(issue.message);
        return false;
      }
      if (issue.path === 'financing.borrowerId') {
        setSellerError(issue.message);
        return false;
      }
      if (issue.path.startsWith('financing.')) {
        terms.applyIssues(new IpcError(e.code, e.message, [issue]));
        return false;
      }
      const field = issue.path === 'feeFen' ? 'fee' : issue.path;
      if (field === 'fee' || field === 'financingRatio') {
        own.setErrors((x) => ({ ...x, [field]: issue.message }));
        return false;
      }
      return true;
    });
    if (rest.length > 0) notifyError(e);
  }

  async function save() {
    const { input, errors } = validateTerms(terms.values, t, locale);
    terms.setErrors(errors);
    const ratio = own.values.financingRatio.trim();
    const ratioOk = /^\d{1,3}(\.\d{1,2})?$/.test(ratio) && Number(ratio) > 0 && Number(ratio) <= 100;
    const fee = parseYuan(own.values.fee, t, locale, { optional: true, allowZero: true });
    own.setErrors({ ...(ratioOk ? {} : { financingRatio: t('validation.ratio') }), ...(fee.error ? { fee: fee.error } : {}) });
    setSellerError(!seller ? t('validation.required') : seller.kind !== 'enterprise' ? t('factoring.sellerNotEnterprise') : undefined);
    setRowsError(rows.length === 0 ? t('factoring.receivablesRequired') : null);
    const receivables = checkRows();
    if (!input || !seller || seller.kind !== 'enterprise' || !ratioOk || fee.error || !receivables || receivables.length === 0) return;
    setBusy(true);
    try {
      const detail = await invoke('factoring.create', {
        financing: { ...input, borrowerId: seller.id },
        recourse: own.values.recourse,
        financingRatio: ratio,
        feeFen: fee.fen ?? 0,
        receivables,
      });
      notifySuccess(t('factoring.saved', { no: detail.loan.contractNo }));
      nav.replace(to.loan(detail.loan.id));
    } catch (e) {
      applyError(e);
      setBusy(false);
    }
  }

  const amounts = rows.map((r) => parseYuan(r.invoiceAmount, t, locale).fen);
  const total = amounts.every((a) => a !== null) ? amounts.reduce<number>((s, a) => s + (a ?? 0), 0) : null;
  const max = total !== null ? maxFinancing(total, own.values.financingRatio) : null;
  const header = (f: ReceivableField) => t(`factoring.${f}`);
  return (
    <Stack gap="md" maw={1200}>
      <Group gap="sm">
        <Button variant="subtle" size="compact-sm" onClick={nav.back}>
          {t('portfolio.back')}
        </Button>
        <Title order={2} size="h3">
          {t('factoring.title')}
        </Title>
      </Group>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="md">
          <Paper withBorder p="md">
            <Stack gap="sm">
              <SimpleGrid cols={3}>
                <BorrowerSelect
                  label={t('factoring.seller')}
                  description={t('factoring.sellerHint')}
                  kind="enterprise"
                  required
                  value={seller}
                  error={sellerError}
                  onChange={(b) => {
                    setSeller(b);
                    setSellerError(undefined);
                  }}
                />
                <TextInput label={t('factoring.financingRatio')} required inputMode="decimal" maxLength={6} {...own.text('financingRatio')} />
                <AmountField label={t('factoring.fee')} {...own.text('fee')} />
              </SimpleGrid>
              <Switch label={t('factoring.recourse')} checked={own.values.recourse} onChange={(e) => own.set('recourse', e.currentTarget.checked)} />
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
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r, i) => (
                    <Table.Tr key={r.key} style={{ verticalAlign: 'top' }}>
                      {RECEIVABLE_FIELDS.map((f) => {
                        const common = { 'aria-label': header(f), size: 'xs' as const, value: r[f], error: rowErrors[i]?.[f], onChange: (e: React.ChangeEvent<HTMLInputElement>) => setCell(i, f, e.currentTarget.value) };
                        if (f === 'invoiceAmount') return <Table.Td key={f}><AmountField {...common} /></Table.Td>;
                        if (f === 'invoiceDate' || f === 'dueDate') return <Table.Td key={f} w={130}><DateField {...common} /></Table.Td>;
                        return (
                          <Table.Td key={f}>
                            <TextInput {...common} maxLength={f === 'debtorName' ? 100 : f === 'debtorCode' ? 18 : 40} classNames={f === 'debtorCode' ? { input: 'lk-mono-input' } : undefined} />
                          </Table.Td>
                        );
                      })}
                      <Table.Td w={40}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('factoring.removeRow')}
                          title={t('factoring.removeRow')}
                          disabled={rows.length === 1}
                          onClick={() => {
                            setRows((rs) => rs.filter((_, j) => j !== i));
                            setRowErrors((es) => es.filter((_, j) => j !== i));
                          }}
                        >
                          ×
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Group justify="space-between">
                <Button variant="light" size="xs" onClick={() => setRows((rs) => [...rs, emptyRow()])}>
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
              <LoanTermsFields form={terms} amountLabel={t('factoring.financingAmount')} />
              <SchedulePreview form={terms} />
              <Group justify="flex-end">
                <Button variant="default" onClick={nav.back}>
                  {t('portfolio.cancel')}
                </Button>
                <Button type="submit" loading={busy}>
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
