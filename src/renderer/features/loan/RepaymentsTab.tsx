import { Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { PaymentPreview } from '../../../shared/domain/settlement';
import { contract } from '../../../shared/ipc/contract';
import type { LoanDetail, RepaymentView } from '../../../shared/ipc/loans';
import { DecisionComment } from '../../components/DecisionComment';
import { ModalForm } from '../../components/ModalForm';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { AmountField, DateField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDateTime, formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { dateError } from '../../lib/labels';
import { fenToInput, parseYuan, yuan } from '../../lib/money';
import { notifySuccess } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { ConfirmPostModal, ExcessChoice, PreviewPanel, usePreview, type Excess } from './RepaymentPreview';
import { useUserNames } from '../../lib/userNames';

interface Props {
  detail: LoanDetail;
  onChange: (detail: LoanDetail) => void;
}

export function RepaymentsTab({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const canWrite = useCan('repayments.write');
  const [reversing, setReversing] = useState<RepaymentView | null>(null);
  const writable = canWrite && detail.loan.status !== 'written-off';
  return (
    <Stack gap="md">
      {writable && <RepaymentForm detail={detail} onChange={onChange} />}
      <RepaymentTable repayments={detail.repayments} onReverse={writable ? setReversing : null} onChange={onChange} />
      {reversing && (
        <ReverseModal
          repayment={reversing}
          onClose={() => setReversing(null)}
          onDone={(d) => {
            setReversing(null);
            onChange(d);
            notifySuccess(t('servicing.reversal.proposed'));
          }}
        />
      )}
    </Stack>
  );
}

function RepaymentForm({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const form = useFormState({ paidOn: todayIn(), amount: '', note: '' }, (path) => (path === 'amountFen' ? 'amount' : path));
  const [busy, setBusy] = useState(false);
  const [excess, setExcess] = useState<Excess>('credit');
  const [confirming, setConfirming] = useState<PaymentPreview | null>(null);
  const s = detail.state;
  const overdue = s.overduePrincipalFen + s.overdueInterestFen + s.penaltyOutstandingFen;
  const typed = parseYuan(form.values.amount, t, locale, { optional: true });
  const preview = usePreview(detail.loan.id, form.values.paidOn.trim(), typed.error ? null : typed.fen, excess);

  async function post(amountFen: number, confirm: boolean) {
    setBusy(true);
    try {
      const next = await invoke('repayments.create', { loanId: detail.loan.id, paidOn: form.values.paidOn.trim(), amountFen, note: form.values.note.trim(), excess, confirm });
      form.setValues({ paidOn: form.values.paidOn, amount: '', note: '' });
      setConfirming(null);
      onChange(next);
      notifySuccess(t('loan.repayments.saved'));
    } catch (e) {
      setConfirming(null);
      form.handleError(e);
    } finally {
      setBusy(false);
    }
  }

  async function submit() {
    const amount = parseYuan(form.values.amount, t, locale);
    const paidOn = dateError(form.values.paidOn, t);
    const errors = { ...(amount.error ? { amount: amount.error } : {}), ...(paidOn ? { paidOn } : {}) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    // The split is asked for again at the moment of posting, so the confirmation is about what will happen.
    let p: PaymentPreview;
    try {
      p = await invoke('repayments.preview', { loanId: detail.loan.id, paidOn: form.values.paidOn.trim(), amountFen: amount.fen!, excess });
    } catch (e) {
      form.handleError(e);
      return;
    }
    if (p.needsConfirmation) setConfirming(p);
    else await post(amount.fen!, false);
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
          <Group justify="space-between">
            <Title order={4} size="h5">
              {t('loan.repayments.record')}
            </Title>
            {overdue > 0 && (
              <Button size="compact-xs" variant="subtle" onClick={() => form.set('amount', fenToInput(overdue))}>
                {t('loan.repayments.fillOverdue')}
              </Button>
            )}
          </Group>
          <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
            <DateField label={t('loan.repayments.paidOn')} required {...form.text('paidOn')} />
            <AmountField label={t('loan.repayments.amount')} required words {...form.text('amount')} />
            <TextInput label={t('loan.repayments.note')} maxLength={300} {...form.text('note')} />
            <Group align="flex-start" pt={24}>
              <Button type="submit" loading={busy}>
                {t('loan.repayments.submit')}
              </Button>
            </Group>
          </SimpleGrid>
          <ExcessChoice value={excess} onChange={setExcess} />
          {preview && <PreviewPanel preview={preview} />}
        </Stack>
      </form>
      {confirming && <ConfirmPostModal preview={confirming} busy={busy} onCancel={() => setConfirming(null)} onConfirm={() => void post(confirming.amountFen, true)} />}
    </Paper>
  );
}

function RepaymentTable({ repayments, onReverse, onChange }: { repayments: RepaymentView[]; onReverse: ((r: RepaymentView) => void) | null; onChange: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  const me = useSession().username;
  const canApprove = useCan('repayments.approve');
  const [deciding, setDeciding] = useState<{ repayment: RepaymentView; approve: boolean } | null>(null);
  if (repayments.length === 0) {
    return (
      <Text c="dimmed" size="sm" ta="center" py="md">
        {t('loan.repayments.empty')}
      </Text>
    );
  }
  const sorted = [...repayments].sort((a, b) => (a.paidOn < b.paidOn ? 1 : a.paidOn > b.paidOn ? -1 : b.id - a.id));
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table fz="sm" verticalSpacing={5} striped data-testid="repayments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('loan.repayments.id')}</Table.Th>
            <Table.Th>{t('loan.repayments.paidOn')}</Table.Th>
            <Table.Th ta="right">{t('loan.repayments.amount')}</Table.Th>
            <Table.Th ta="right">{t('loan.repayments.penalty')}</Table.Th>
            <Table.Th ta="right">{t('loan.repayments.interest')}</Table.Th>
            <Table.Th ta="right">{t('loan.repayments.principal')}</Table.Th>
            <Table.Th ta="right">{t('loan.repayments.unallocated')}</Table.Th>
            <Table.Th>{t('loan.repayments.note')}</Table.Th>
            <Table.Th>{t('loan.repayments.by')}</Table.Th>
            {onReverse && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((r) => {
            const a = r.allocation;
            const struck = r.reversed ? { textDecoration: 'line-through', color: 'var(--mantine-color-dimmed)' } : undefined;
            return (
              <Table.Tr key={r.id} data-reversed={r.reversed ? 'true' : undefined}>
                <Table.Td style={struck}>#{r.id}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap', ...struck }}>{formatDay(r.paidOn, locale)}</Table.Td>
                <Table.Td ta="right" fw={600} style={struck}>
                  {yuan(r.amountFen)}
                </Table.Td>
                <Table.Td ta="right">{a ? yuan(a.penaltyFen) : '—'}</Table.Td>
                <Table.Td ta="right">{a ? yuan(a.interestFen) : '—'}</Table.Td>
                <Table.Td ta="right">{a ? yuan(a.principalFen) : '—'}</Table.Td>
                <Table.Td ta="right">{a ? yuan(a.unallocatedFen) : '—'}</Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    <Group gap={4}>
                      {r.source !== 'borrower' && (
                        <Badge size="xs" variant="light" color="gray">
                          {t(`loan.repayments.source.${r.source}`)}
                        </Badge>
                      )}
                      <Text size="sm" style={struck}>
                        {r.note}
                      </Text>
                    </Group>
                    {r.reversalPending && (
                      <Group gap={4} wrap="nowrap">
                        <Badge size="xs" color="orange" variant="light">
                          {t('servicing.reversal.pending')}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {t('servicing.reversal.pendingInfo', { by: who(r.reversalPending.by), at: formatDateTime(r.reversalPending.at, locale), reason: r.reversalPending.reason })}
                        </Text>
                        {canApprove && r.reversalPending.by !== me && (
                          <>
                            <Button size="compact-xs" variant="light" color="red" onClick={() => setDeciding({ repayment: r, approve: true })}>
                              {t('servicing.reversal.approve')}
                            </Button>
                            <Button size="compact-xs" variant="subtle" onClick={() => setDeciding({ repayment: r, approve: false })}>
                              {t('servicing.reversal.reject')}
                            </Button>
                          </>
                        )}
                      </Group>
                    )}
                    {r.reversed && (
                      <Group gap={4} wrap="nowrap">
                        <Badge size="xs" color="red" variant="light">
                          {t('loan.repayments.reversed')}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {t('loan.repayments.reversedInfo', { by: who(r.reversed.by), at: formatDateTime(r.reversed.at, locale), reason: r.reversed.reason })}
                        </Text>
                      </Group>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>{who(r.createdBy)}</Table.Td>
                {onReverse && (
                  <Table.Td>
                    {!r.reversed && !r.reversalPending && (
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => onReverse(r)}>
                        {t('loan.repayments.reverse')}
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {deciding && (
        <DecideReversalModal
          repayment={deciding.repayment}
          approve={deciding.approve}
          onClose={() => setDeciding(null)}
          onDone={(d) => {
            setDeciding(null);
            onChange(d);
          }}
        />
      )}
    </Table.ScrollContainer>
  );
}

function ReverseModal({ repayment, onClose, onDone }: { repayment: RepaymentView; onClose: () => void; onDone: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const form = useFormState({ reason: '' });
  const [busy, setBusy] = useState(false);
  async function submit() {
    if (!form.values.reason.trim()) return form.setErrors({ reason: t('validation.required') });
    setBusy(true);
    try {
      onDone(await invoke('repayments.reverse', { repaymentId: repayment.id, reason: form.values.reason.trim() }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={t('loan.repayments.reverseTitle', { id: repayment.id })} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('loan.repayments.reverseHint')}
          </Text>
          <Textarea label={t('loan.repayments.reason')} required autosize minRows={2} maxLength={300} data-autofocus {...form.text('reason')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('portfolio.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy}>
              {t('loan.repayments.reverse')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const reversalSchema = contract['repayments.decideReversal'];

/** Approving or rejecting another's reversal: a rejection says why. */
function DecideReversalModal({ repayment, approve, onClose, onDone }: { repayment: RepaymentView; approve: boolean; onClose: () => void; onDone: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  const form = useContractForm<{ comment: string }, typeof reversalSchema>(reversalSchema, { initialValues: { comment: '' }, fixed: { reversalId: repayment.reversalPending!.id, approve } });
  const decide = useIpcMutation('repayments.decideReversal');
  return (
    <ModalForm
      title={t('servicing.reversal.decideTitle', { amount: yuan(repayment.amountFen), paidOn: formatDay(repayment.paidOn, locale) })}
      onClose={onClose}
      form={form}
      busy={decide.isPending}
      submitLabel={approve ? t('servicing.reversal.approve') : t('servicing.reversal.reject')}
      submitColor={approve ? 'red' : undefined}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        onDone(await decide.mutateAsync(form.toInput()!));
        notifySuccess(approve ? t('loan.repayments.reversedOk') : t('servicing.reversal.rejected'));
      }}
    >
      <Text size="sm">{t('servicing.reversal.pendingInfo', { by: who(repayment.reversalPending!.by), at: formatDateTime(repayment.reversalPending!.at, locale), reason: repayment.reversalPending!.reason })}</Text>
      <DecisionComment approve={approve} label={t('loan.classification.comment')} maxLength={500} {...form.getInputProps('comment')} />
    </ModalForm>
  );
}
