import { Badge, Button, Group, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import type { ReceivableView } from '../../../shared/ipc/factoring';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { AmountField, Fact } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { formatDay } from '../../lib/format';
import { fenToInput, yuan } from '../../lib/money';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { AddReceivableModal, AdjustmentsTable, AdjustModal, CollectionAccountModal, ConfirmationBadge, ConfirmModal, FactoringPoolFacts, MisdirectedModal } from './FactoringBackOffice';

interface Props {
  detail: LoanDetail;
  onChange: (detail: LoanDetail) => void;
}

export function FactoringTab({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('repayments.write');
  const canMark = useCan('portfolio.write');
  const mark = useIpcMutation('factoring.setDebtorRelatedParty', { onSuccess: () => notifySuccess(t('factoring.relatedPartySaved')), onError: notifyError });
  const { data: view } = useIpcQuery('factoring.get', { loanId: detail.loan.id });
  const [paying, setPaying] = useState<{ receivable: ReceivableView; kind: 'debtor' | 'buyback' } | null>(null);
  const [acting, setActing] = useState<{ receivable: ReceivableView; form: 'confirm' | 'adjust' | 'misdirected' } | null>(null);
  const [dialog, setDialog] = useState<'account' | 'add' | null>(null);

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
        {canMark && detail.loan.status === 'active' && (
          <Group justify="flex-end" align="flex-start">
            <Button size="xs" variant="light" onClick={() => setDialog('add')}>
              {t('factoring.addTitle')}
            </Button>
          </Group>
        )}
      </SimpleGrid>
      <FactoringPoolFacts view={view} canWrite={canMark} onEditAccount={() => setDialog('account')} />
      <Table.ScrollContainer minWidth={1000}>
        <Table fz="sm" verticalSpacing={5} striped data-testid="receivables">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>
                {t('factoring.debtorName')} / {t('factoring.debtorCode')}
              </Table.Th>
              <Table.Th>{t('factoring.invoiceNo')}</Table.Th>
              <Table.Th ta="right">{t('factoring.invoiceAmount')}</Table.Th>
              <Table.Th>
                {t('factoring.invoiceDate')} / {t('factoring.dueDate')}
              </Table.Th>
              <Table.Th ta="right">{t('factoring.paidByDebtor')}</Table.Th>
              <Table.Th ta="right">{t('factoring.boughtBack')}</Table.Th>
              <Table.Th ta="right">{t('factoring.dilution')}</Table.Th>
              <Table.Th ta="right">{t('factoring.outstanding')}</Table.Th>
              <Table.Th>{t('factoring.confirmationTitle')}</Table.Th>
              {(canWrite || canMark) && <Table.Th />}
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
                  <Group gap={6} mt={2}>
                    {r.debtorRelatedParty && (
                      <Badge size="xs" color="orange" variant="light" data-testid="debtor-related">
                        {t('factoring.relatedParty')}
                      </Badge>
                    )}
                    {canMark && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        loading={mark.isPending && mark.variables?.debtorId === r.debtorId}
                        onClick={() => mark.mutate({ loanId: detail.loan.id, debtorId: r.debtorId, relatedParty: !r.debtorRelatedParty })}
                      >
                        {r.debtorRelatedParty ? t('factoring.unmarkRelated') : t('factoring.markRelated')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.invoiceNo}</Table.Td>
                <Table.Td ta="right">{yuan(r.invoiceAmountFen)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{formatDay(r.invoiceDate, locale)}</Text>
                  <Text size="sm">{formatDay(r.dueDate, locale)}</Text>
                </Table.Td>
                <Table.Td ta="right">{yuan(r.paidByDebtorFen)}</Table.Td>
                <Table.Td ta="right">{yuan(r.boughtBackFen)}</Table.Td>
                <Table.Td ta="right">
                  {yuan(r.dilutionFen)}
                  {r.disputedFen > 0 && (
                    <Badge size="xs" color="orange" variant="light" display="block" ml="auto" data-testid="disputed">
                      {t('factoring.disputedAmount', { amount: yuan(r.disputedFen) })}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right" fw={600}>
                  {yuan(r.outstandingFen)}
                  {r.misdirectedFen > 0 && (
                    <Text size="xs" c="red" fw={400} data-testid="misdirected">
                      {t('factoring.misdirectedAmount', { amount: yuan(r.misdirectedFen) })}
                    </Text>
                  )}
                  {!r.eligible && r.outstandingFen > 0 && (
                    <Text size="xs" c="dimmed" fw={400}>
                      {t('factoring.notEligible')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <ConfirmationBadge r={r} />
                </Table.Td>
                {(canWrite || canMark) && (
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      {canMark && (
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-xs" variant="subtle" onClick={() => setActing({ receivable: r, form: 'confirm' })}>
                            {t('factoring.confirm')}
                          </Button>
                          <Button size="compact-xs" variant="subtle" onClick={() => setActing({ receivable: r, form: 'adjust' })}>
                            {t('factoring.adjust')}
                          </Button>
                        </Group>
                      )}
                    {canWrite && r.outstandingFen > 0 && (
                      <Stack gap={4} align="flex-start">
                        <Button size="compact-xs" variant="light" onClick={() => setPaying({ receivable: r, kind: 'debtor' })}>
                          {t('factoring.recordDebtor')}
                        </Button>
                        {view.recourse && (
                          <Button size="compact-xs" variant="subtle" onClick={() => setPaying({ receivable: r, kind: 'buyback' })}>
                            {t('factoring.recordBuyback')}
                          </Button>
                        )}
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => setActing({ receivable: r, form: 'misdirected' })}>
                          {t('factoring.misdirected')}
                        </Button>
                      </Stack>
                    )}
                    </Stack>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <AdjustmentsTable view={view} />
      {acting?.form === 'confirm' && <ConfirmModal receivable={acting.receivable} onClose={() => setActing(null)} />}
      {acting?.form === 'adjust' && <AdjustModal receivable={acting.receivable} onClose={() => setActing(null)} />}
      {acting?.form === 'misdirected' && <MisdirectedModal receivable={acting.receivable} onClose={() => setActing(null)} />}
      {dialog === 'account' && <CollectionAccountModal loanId={detail.loan.id} view={view} onClose={() => setDialog(null)} />}
      {dialog === 'add' && <AddReceivableModal loanId={detail.loan.id} view={view} onClose={() => setDialog(null)} />}
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

const paySchema = contract['factoring.receivablePayment'];

function ReceivablePaymentModal({ receivable, kind, onClose, onDone }: { receivable: ReceivableView; kind: 'debtor' | 'buyback'; onClose: () => void; onDone: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => paySchema.extend({ amountFen: yuanField(paySchema.shape.amountFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<{ paidOn: string; amountFen: string }, typeof schema>(schema, {
    initialValues: { paidOn: todayIn(), amountFen: fenToInput(receivable.outstandingFen) },
    fixed: { receivableId: receivable.id, kind },
  });
  const pay = useIpcMutation('factoring.receivablePayment');
  const title = t('factoring.paymentTitle', { kind: kind === 'debtor' ? t('factoring.recordDebtor') : t('factoring.recordBuyback'), invoiceNo: receivable.invoiceNo });
  return (
    <ModalForm
      title={title}
      onClose={onClose}
      form={form}
      busy={pay.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onDone(await pay.mutateAsync(form.toInput()!))}
    >
      <BusinessDateInput label={t('factoring.paidOn')} required {...form.getInputProps('paidOn')} value={form.values.paidOn} />
      <AmountField label={t('factoring.amount')} required words data-autofocus {...form.getInputProps('amountFen')} value={form.values.amountFen} />
    </ModalForm>
  );
}
