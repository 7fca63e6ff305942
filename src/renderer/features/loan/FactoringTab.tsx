import { Badge, Button, Group, Loader, Modal, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { FactoringView, ReceivableView } from '../../../shared/ipc/factoring';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { AmountField, DateField, Fact } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { dateError } from '../../lib/labels';
import { fenToInput, parseYuan, yuan } from '../../lib/money';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';

interface Props {
  detail: LoanDetail;
  onChange: (detail: LoanDetail) => void;
}

export function FactoringTab({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('repayments.write');
  const [view, setView] = useState<FactoringView | null>(null);
  const [paying, setPaying] = useState<{ receivable: ReceivableView; kind: 'debtor' | 'buyback' } | null>(null);
  const loanId = detail.loan.id;

  useEffect(() => {
    invoke('factoring.get', { loanId }).then(setView).catch(notifyError);
  }, [loanId, detail]);

  if (!view) return <Loader size="sm" aria-label={t('app.loading')} />;
  return (
    <Stack gap="md">
      <SimpleGrid cols={4}>
        <Fact label={t('factoring.terms')}>
          <Badge variant="light" color={view.recourse ? 'blue' : 'gray'}>
            {view.recourse ? t('factoring.recourseYes') : t('factoring.recourseNo')}
          </Badge>
        </Fact>
        <Fact label={t('factoring.financingRatio')}>{t('portfolio.percent', { value: view.financingRatio })}</Fact>
        <Fact label={t('factoring.fee')}>{yuan(view.feeFen)}</Fact>
      </SimpleGrid>
      <Table.ScrollContainer minWidth={1000}>
        <Table fz="sm" verticalSpacing={5} striped data-testid="receivables">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>
                {t('factoring.debtorName')} / {t('factoring.debtorCode')}
              </Table.Th>
              <Table.Th>{t('factoring.invoiceNo')}</Table.Th>
              <Table.Th ta="right">{t('factoring.invoiceAmount')}</Table.Th>
              <Table.Th>{t('factoring.invoiceDate')}</Table.Th>
              <Table.Th>{t('factoring.dueDate')}</Table.Th>
              <Table.Th ta="right">{t('factoring.paidByDebtor')}</Table.Th>
              <Table.Th ta="right">{t('factoring.boughtBack')}</Table.Th>
              <Table.Th ta="right">{t('factoring.outstanding')}</Table.Th>
              {canWrite && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.receivables.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td miw={200}>
                  <Text size="sm">{r.debtorName}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {r.debtorCode}
                  </Text>
                </Table.Td>
                <Table.Td>{r.invoiceNo}</Table.Td>
                <Table.Td ta="right">{yuan(r.invoiceAmountFen)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(r.invoiceDate, locale)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(r.dueDate, locale)}</Table.Td>
                <Table.Td ta="right">{yuan(r.paidByDebtorFen)}</Table.Td>
                <Table.Td ta="right">{yuan(r.boughtBackFen)}</Table.Td>
                <Table.Td ta="right" fw={600}>
                  {yuan(r.outstandingFen)}
                </Table.Td>
                {canWrite && (
                  <Table.Td>
                    {r.outstandingFen > 0 && (
                      <Stack gap={4} align="flex-start">
                        <Button size="compact-xs" variant="light" onClick={() => setPaying({ receivable: r, kind: 'debtor' })}>
                          {t('factoring.recordDebtor')}
                        </Button>
                        {view.recourse && (
                          <Button size="compact-xs" variant="subtle" onClick={() => setPaying({ receivable: r, kind: 'buyback' })}>
                            {t('factoring.recordBuyback')}
                          </Button>
                        )}
                      </Stack>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {paying && (
        <ReceivablePaymentModal
          receivable={paying.receivable}
          kind={paying.kind}
          onClose={() => setPaying(null)}
          onDone={(d) => {
            setPaying(null);
            onChange(d);
            notifySuccess(t('factoring.paymentSaved'));
          }}
        />
      )}
    </Stack>
  );
}

function ReceivablePaymentModal({ receivable, kind, onClose, onDone }: { receivable: ReceivableView; kind: 'debtor' | 'buyback'; onClose: () => void; onDone: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const form = useFormState({ paidOn: todayIn(), amount: fenToInput(receivable.outstandingFen) }, (path) => (path === 'amountFen' ? 'amount' : path));
  const [busy, setBusy] = useState(false);
  async function submit() {
    const amount = parseYuan(form.values.amount, t, locale);
    const paidOn = dateError(form.values.paidOn, t);
    const errors = { ...(amount.error ? { amount: amount.error } : {}), ...(paidOn ? { paidOn } : {}) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      onDone(await invoke('factoring.receivablePayment', { receivableId: receivable.id, kind, paidOn: form.values.paidOn.trim(), amountFen: amount.fen! }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  const title = t('factoring.paymentTitle', { kind: kind === 'debtor' ? t('factoring.recordDebtor') : t('factoring.recordBuyback'), invoiceNo: receivable.invoiceNo });
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <DateField label={t('factoring.paidOn')} required {...form.text('paidOn')} />
          <AmountField label={t('factoring.amount')} required words data-autofocus {...form.text('amount')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('portfolio.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('portfolio.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
