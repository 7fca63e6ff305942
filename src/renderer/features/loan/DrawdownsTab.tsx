import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { DrawdownsView } from '../../../shared/ipc/drawdowns';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { AmountField, DateField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { dateError } from '../../lib/labels';
import { parseYuan, yuan } from '../../lib/money';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useUserNames } from '../../lib/userNames';

interface Props {
  detail: LoanDetail;
  onChange: (detail: LoanDetail) => void;
}

/** 分次放款: every disbursement under the contract, and a further one within the contract amount. */
export function DrawdownsTab({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const who = useUserNames();
  const canWrite = useCan('portfolio.write');
  const [view, setView] = useState<DrawdownsView | null>(null);
  const load = useCallback(() => {
    invoke('drawdowns.list', { loanId: detail.loan.id }).then(setView).catch(notifyError);
  }, [detail.loan.id]);
  useEffect(load, [load]);
  if (!view) return null;
  const writable = canWrite && detail.loan.status === 'active' && detail.loan.kind === 'loan' && view.availableFen > 0;
  return (
    <Stack gap="md">
      <Group gap="xl">
        <Text size="sm">
          {t('loan.drawdowns.contractAmount')}{t('app.colon')}<b>{yuan(view.contractAmountFen)}</b>
        </Text>
        <Text size="sm">
          {t('loan.drawdowns.drawn')}{t('app.colon')}<b>{yuan(view.drawnFen)}</b>
        </Text>
        <Text size="sm" data-testid="drawdown-available">
          {t('loan.drawdowns.available')}{t('app.colon')}<b>{yuan(view.availableFen)}</b>
        </Text>
      </Group>
      {writable && (
        <DrawdownForm
          detail={detail}
          onDone={async (v) => {
            setView(v);
            onChange(await invoke('loans.get', { id: detail.loan.id, asOf: null }));
            notifySuccess(t('loan.drawdowns.saved'));
          }}
        />
      )}
      {!writable && view.availableFen === 0 && (
        <Text size="sm" c="dimmed">
          {t('loan.drawdowns.fullyDrawn')}
        </Text>
      )}
      <Table withTableBorder striped data-testid="drawdowns-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('loan.drawdowns.seq')}</Table.Th>
            <Table.Th>{t('loan.drawdowns.drawnOn')}</Table.Th>
            <Table.Th ta="right">{t('loan.drawdowns.amount')}</Table.Th>
            <Table.Th>{t('loan.drawdowns.voucherNo')}</Table.Th>
            <Table.Th>{t('loan.drawdowns.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {view.drawdowns.map((d) => (
            <Table.Tr key={d.seq}>
              <Table.Td>{d.seq}</Table.Td>
              <Table.Td>{d.drawnOn}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {yuan(d.amountFen)}
              </Table.Td>
              <Table.Td>{d.voucherNo || '—'}</Table.Td>
              <Table.Td>{who(d.by)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function DrawdownForm({ detail, onDone }: { detail: LoanDetail; onDone: (v: DrawdownsView) => Promise<void> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const form = useFormState({ drawnOn: todayIn(), amount: '', voucherNo: '' }, (path) => (path === 'amountFen' ? 'amount' : path));
  const [busy, setBusy] = useState(false);

  async function submit() {
    const amount = parseYuan(form.values.amount, t, locale);
    const drawnOn = dateError(form.values.drawnOn, t);
    const errors = { ...(amount.error ? { amount: amount.error } : {}), ...(drawnOn ? { drawnOn } : {}) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const v = await invoke('drawdowns.add', { loanId: detail.loan.id, drawnOn: form.values.drawnOn.trim(), amountFen: amount.fen!, voucherNo: form.values.voucherNo.trim() });
      form.setValues({ drawnOn: form.values.drawnOn, amount: '', voucherNo: '' });
      await onDone(v);
    } catch (e) {
      form.handleError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="sm" bg="gray.0">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="xs">
          <Title order={4} size="h5">
            {t('loan.drawdowns.add')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('loan.drawdowns.hint')}
          </Text>
          <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
            <DateField label={t('loan.drawdowns.drawnOn')} required {...form.text('drawnOn')} />
            <AmountField label={t('loan.drawdowns.amount')} required words {...form.text('amount')} />
            <TextInput label={t('loan.drawdowns.voucherNo')} maxLength={60} {...form.text('voucherNo')} />
            <Group align="flex-start" pt={24}>
              <Button type="submit" loading={busy}>
                {t('loan.drawdowns.submit')}
              </Button>
            </Group>
          </SimpleGrid>
        </Stack>
      </form>
    </Paper>
  );
}
