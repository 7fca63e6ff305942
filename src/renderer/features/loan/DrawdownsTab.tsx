import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { AmountField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { formatDay } from '../../lib/format';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { yuan } from '../../lib/money';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useUserNames } from '../../lib/userNames';

interface Props {
  detail: LoanDetail;
}

/** 分次放款: every disbursement under the contract, and a further one within the contract amount. */
export function DrawdownsTab({ detail }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const who = useUserNames();
  const canWrite = useCan('portfolio.write');
  // Refetched after a drawdown, with the loan (invalidation.ts).
  const { data: view } = useIpcQuery('drawdowns.list', { loanId: detail.loan.id });
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
          onDone={() => notifySuccess(t('loan.drawdowns.saved'))}
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
              <Table.Td>{formatDay(d.drawnOn, locale)}</Table.Td>
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

type Values = { drawnOn: string; amountFen: string; voucherNo: string };
const addSchema = contract['drawdowns.add'];

function DrawdownForm({ detail, onDone }: { detail: LoanDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => addSchema.extend({ amountFen: yuanField(addSchema.shape.amountFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<Values, typeof schema>(schema, { initialValues: { drawnOn: todayIn(), amountFen: '', voucherNo: '' }, fixed: { loanId: detail.loan.id } });
  const add = useIpcMutation('drawdowns.add');

  const submit = form.onSubmit(() => {
    add.mutate(form.toInput()!, {
      onSuccess: () => {
        // The next drawdown starts from the same day.
        form.setValues({ amountFen: '', voucherNo: '' });
        onDone();
      },
      onError: (e) => {
        const { errors, rest } = serverIssues(e, Object.keys(form.getValues()));
        form.setErrors(errors);
        if (rest.length > 0 || Object.keys(errors).length === 0) notifyError(e);
      },
    });
  });

  return (
    <Paper withBorder p="sm" bg="gray.0">
      <form noValidate onSubmit={submit}>
        <Stack gap="xs">
          <Title order={4} size="h5">
            {t('loan.drawdowns.add')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('loan.drawdowns.hint')}
          </Text>
          <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
            <BusinessDateInput label={t('loan.drawdowns.drawnOn')} required {...form.getInputProps('drawnOn')} value={form.values.drawnOn} />
            <AmountField label={t('loan.drawdowns.amount')} required words {...form.getInputProps('amountFen')} value={form.values.amountFen} />
            <TextInput label={t('loan.drawdowns.voucherNo')} maxLength={60} {...form.getInputProps('voucherNo')} />
            <Group align="flex-start" pt={24}>
              <Button type="submit" loading={add.isPending}>
                {t('loan.drawdowns.submit')}
              </Button>
            </Group>
          </SimpleGrid>
        </Stack>
      </form>
    </Paper>
  );
}
