import { Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { PaymentPreview } from '../../../shared/domain/settlement';
import { contract } from '../../../shared/ipc/contract';
import type { LoanDetail, RepaymentView } from '../../../shared/ipc/loans';
import { DecisionComment } from '../../components/DecisionComment';
import { ModalForm } from '../../components/ModalForm';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { AmountField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useIpcCall, useIpcMutation } from '../../lib/data/useIpc';
import { DraftNotice } from '../../lib/forms/DraftNotice';
import { useDraft } from '../../lib/forms/drafts';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useUnsavedPrompt } from '../../lib/forms/UnsavedPrompt';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { formatDateTime, formatDay } from '../../lib/format';
import type { IpcError } from '../../lib/ipc';
import { fenToInput, parseYuan, yuan } from '../../lib/money';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { ConfirmPostModal, ExcessChoice, PreviewPanel, usePreview, type Excess } from './RepaymentPreview';
import { useUserNames } from '../../lib/userNames';
import { SettlementQuotePanel } from './SettlementQuotePanel';
import { PrepaymentPanel } from './PrepaymentPanel';
import { CertificateReturnNotice } from './CertificateReturnNotice';

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
      <CertificateReturnNotice detail={detail} />
      {writable && <RepaymentForm detail={detail} onChange={onChange} />}
      {detail.loan.status === 'active' && <SettlementQuotePanel loanId={detail.loan.id} />}
      {writable && detail.loan.status === 'active' && <PrepaymentPanel detail={detail} onChange={onChange} />}
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

type Values = { paidOn: string; amountFen: string; note: string; excess: Excess };
const createSchema = contract['repayments.create'];

function RepaymentForm({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const loanId = detail.loan.id;
  const schema = useMemo(() => createSchema.extend({ amountFen: yuanField(createSchema.shape.amountFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<Values, typeof schema>(schema, { initialValues: { paidOn: todayIn(), amountFen: '', note: '', excess: 'credit' }, fixed: { loanId } });
  // Money typed and not yet posted is kept as a draft, and leaving asks first.
  const draft = useDraft(`repayment:loan:${loanId}`, form);
  const unsaved = useUnsavedPrompt(form.isDirty());
  const [confirming, setConfirming] = useState<PaymentPreview | null>(null);
  const ask = useIpcCall('repayments.preview', { onError: () => {} });
  const create = useIpcMutation('repayments.create');
  const s = detail.state;
  const overdue = s.overduePrincipalFen + s.overdueInterestFen + s.penaltyOutstandingFen;
  const v = form.values;
  const typed = parseYuan(v.amountFen, t, locale, { optional: true });
  const preview = usePreview(loanId, v.paidOn, typed.error ? null : typed.fen, v.excess);

  const refused = (e: IpcError) => {
    const { errors, rest } = serverIssues(e, Object.keys(form.getValues()));
    form.setErrors(errors);
    if (rest.length > 0 || Object.keys(errors).length === 0) notifyError(e);
  };

  function post(confirm: boolean) {
    create.mutate(
      { ...form.toInput()!, confirm },
      {
        onSuccess: (next) => {
          // The next payment starts from the same day and choice.
          const after = { ...form.getValues(), amountFen: '', note: '' };
          form.setInitialValues(after);
          form.setValues(after);
          void draft.clear();
          setConfirming(null);
          onChange(next);
          notifySuccess(t('loan.repayments.saved'));
        },
        onError: (e) => {
          setConfirming(null);
          refused(e);
        },
      },
    );
  }

  const submit = form.onSubmit(() => {
    const input = form.toInput()!;
    // The split is asked for again at the moment of posting, so the confirmation is about what will happen.
    ask.mutate(
      { loanId, paidOn: input.paidOn, amountFen: input.amountFen, excess: input.excess ?? 'credit' },
      { onSuccess: (p) => (p.needsConfirmation ? setConfirming(p) : post(false)), onError: refused },
    );
  });

  if (!draft.ready) return null;
  return (
    <Paper withBorder p="sm" bg="gray.0">
      {unsaved.prompt}
      <form noValidate onSubmit={submit}>
        <Stack gap="xs">
          <DraftNotice draft={draft} />
          <Group justify="space-between">
            <Title order={4} size="h5">
              {t('loan.repayments.record')}
            </Title>
            {overdue > 0 && (
              <Button size="compact-xs" variant="subtle" onClick={() => form.setFieldValue('amountFen', fenToInput(overdue))}>
                {t('loan.repayments.fillOverdue')}
              </Button>
            )}
          </Group>
          <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
            <BusinessDateInput label={t('loan.repayments.paidOn')} required {...form.getInputProps('paidOn')} value={v.paidOn} />
            <AmountField label={t('loan.repayments.amount')} required words {...form.getInputProps('amountFen')} value={v.amountFen} />
            <TextInput label={t('loan.repayments.note')} maxLength={300} {...form.getInputProps('note')} />
            <Group align="flex-start" pt={24}>
              <Button type="submit" loading={ask.isPending || create.isPending}>
                {t('loan.repayments.submit')}
              </Button>
            </Group>
          </SimpleGrid>
          <ExcessChoice value={v.excess} onChange={(x) => form.setFieldValue('excess', x)} />
          {preview && <PreviewPanel preview={preview} />}
        </Stack>
      </form>
      {confirming && <ConfirmPostModal preview={confirming} busy={create.isPending} onCancel={() => setConfirming(null)} onConfirm={() => post(true)} />}
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

const reverseSchema = contract['repayments.reverse'];

function ReverseModal({ repayment, onClose, onDone }: { repayment: RepaymentView; onClose: () => void; onDone: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ reason: string }, typeof reverseSchema>(reverseSchema, { initialValues: { reason: '' }, fixed: { repaymentId: repayment.id } });
  const reverse = useIpcMutation('repayments.reverse');
  return (
    <ModalForm
      title={t('loan.repayments.reverseTitle', { id: repayment.id })}
      onClose={onClose}
      form={form}
      busy={reverse.isPending}
      submitLabel={t('loan.repayments.reverse')}
      submitColor="red"
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onDone(await reverse.mutateAsync(form.toInput()!))}
    >
      <Text size="sm" c="dimmed">
        {t('loan.repayments.reverseHint')}
      </Text>
      <Textarea label={t('loan.repayments.reason')} required autosize minRows={2} maxLength={300} data-autofocus {...form.getInputProps('reason')} />
    </ModalForm>
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
