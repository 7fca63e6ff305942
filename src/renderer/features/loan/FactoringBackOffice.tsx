import { Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { amountInWords, todayIn } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import { ADJUSTMENT_KINDS, receivableInput, type FactoringView, type ReceivableView } from '../../../shared/ipc/factoring';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { AmountField, Fact } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { formatDay } from '../../lib/format';
import { yuan } from '../../lib/money';
import { notifySuccess } from '../../lib/notify';

/** An amount with its 大写 beneath, as the loan header shows the principal. */
function Money({ fen, testId }: { fen: number; testId?: string }) {
  return (
    <>
      <Text size="sm" fw={600} data-testid={testId}>
        {yuan(fen)}
      </Text>
      <Text size="xs" c="dimmed">
        {amountInWords(fen)}
      </Text>
    </>
  );
}

/** The pool's coverage and the collection account (回款账户), with the form that records it. */
export function FactoringPoolFacts({ view, canWrite, onEditAccount }: { view: FactoringView; canWrite: boolean; onEditAccount: () => void }) {
  const { t } = useTranslation();
  const a = view.collectionAccount;
  const short = view.balanceFen > view.financeableFen;
  return (
    <Paper withBorder p="sm">
      <SimpleGrid cols={4}>
        <Fact label={t('factoring.eligibleBase')}>
          <Money fen={view.eligibleBaseFen} testId="eligible-base" />
        </Fact>
        <Fact label={t('factoring.financeable', { ratio: view.financingRatio })}>
          <Money fen={view.financeableFen} />
        </Fact>
        <Fact label={t('factoring.balance')}>
          <Money fen={view.balanceFen} />
          {short && (
            <Badge size="xs" color="red" variant="light" data-testid="pool-short">
              {t('factoring.poolShort')}
            </Badge>
          )}
        </Fact>
        <Fact label={t('factoring.collectionAccount')}>
          {a.accountNo ? (
            <Stack gap={0} data-testid="collection-account">
              <Text size="sm">{a.bank}</Text>
              <Text size="sm">{a.accountName}</Text>
              <Text size="sm" ff="monospace">
                {a.accountNo}
              </Text>
            </Stack>
          ) : (
            <Text size="sm" c="orange">
              {t('factoring.noCollectionAccount')}
            </Text>
          )}
          {canWrite && (
            <Button size="compact-xs" variant="subtle" mt={4} onClick={onEditAccount}>
              {a.accountNo ? t('factoring.editCollectionAccount') : t('factoring.setCollectionAccount')}
            </Button>
          )}
        </Fact>
      </SimpleGrid>
    </Paper>
  );
}

/** 确权 of one receivable, as a badge with its date. */
export function ConfirmationBadge({ r }: { r: ReceivableView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const color = r.confirmation === 'signed' ? 'green' : r.confirmation === 'receipt' ? 'teal' : 'gray';
  return (
    <Stack gap={0} align="flex-start">
      <Badge size="xs" variant="light" color={color} style={NO_SHRINK} data-testid="confirmation">
        {t(`factoring.confirmation.${r.confirmation}`)}
      </Badge>
      {r.confirmedOn && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} title={r.confirmationNote}>
          {formatDay(r.confirmedOn, locale)}
        </Text>
      )}
    </Stack>
  );
}

/** Every dilution entry and misdirected payment on the financing's receivables, oldest first. */
export function AdjustmentsTable({ view }: { view: FactoringView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const rows = view.receivables.flatMap((r) => r.adjustments.map((a) => ({ ...a, invoiceNo: r.invoiceNo })));
  if (rows.length === 0) return null;
  return (
    <Stack gap={4}>
      <Title order={4} size="h6">
        {t('factoring.adjustmentsTitle')}
      </Title>
      <Table fz="sm" verticalSpacing={4} striped data-testid="adjustments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('factoring.invoiceNo')}</Table.Th>
            <Table.Th>{t('factoring.adjustKind')}</Table.Th>
            <Table.Th ta="right">{t('factoring.amount')}</Table.Th>
            <Table.Th>{t('factoring.paidOn')}</Table.Th>
            <Table.Th>{t('factoring.reason')}</Table.Th>
            <Table.Th>{t('factoring.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{a.invoiceNo}</Table.Td>
              <Table.Td>
                <Badge size="xs" variant="light" color={a.kind === 'misdirected' ? 'red' : a.kind === 'dispute' ? 'orange' : 'gray'}>
                  {t(`factoring.kind.${a.kind}`)}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">{yuan(a.amountFen)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(a.date, locale)}</Table.Td>
              <Table.Td>{a.reason}</Table.Td>
              <Table.Td>{a.by}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

const accountSchema = contract['factoring.setCollectionAccount'];

export function CollectionAccountModal({ loanId, view, onClose }: { loanId: number; view: FactoringView; onClose: () => void }) {
  const { t } = useTranslation();
  const a = view.collectionAccount;
  const form = useContractForm<{ bank: string; accountName: string; accountNo: string }, typeof accountSchema>(accountSchema, { initialValues: { bank: a.bank, accountName: a.accountName, accountNo: a.accountNo }, fixed: { loanId } });
  const save = useIpcMutation('factoring.setCollectionAccount');
  return (
    <ModalForm
      title={t('factoring.collectionAccount')}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await save.mutateAsync(form.toInput()!);
        notifySuccess(t('factoring.collectionAccountSaved'));
        onClose();
      }}
    >
      <Text size="xs" c="dimmed">
        {t('factoring.collectionAccountHint')}
      </Text>
      <TextInput label={t('factoring.bank')} required maxLength={100} data-autofocus {...form.getInputProps('bank')} />
      <TextInput label={t('factoring.accountName')} required maxLength={100} {...form.getInputProps('accountName')} />
      <TextInput label={t('factoring.accountNo')} required maxLength={40} classNames={{ input: 'lk-mono-input' }} {...form.getInputProps('accountNo')} />
    </ModalForm>
  );
}

const confirmSchema = contract['factoring.confirmReceivable'];

export function ConfirmModal({ receivable, onClose }: { receivable: ReceivableView; onClose: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ confirmation: 'receipt' | 'signed'; date: string; note: string }, typeof confirmSchema>(confirmSchema, {
    initialValues: { confirmation: 'signed', date: todayIn(), note: '' },
    fixed: { receivableId: receivable.id },
  });
  const save = useIpcMutation('factoring.confirmReceivable');
  return (
    <ModalForm
      title={t('factoring.confirmTitle', { invoiceNo: receivable.invoiceNo })}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await save.mutateAsync(form.toInput()!);
        notifySuccess(t('factoring.confirmSaved'));
        onClose();
      }}
    >
      <Select
        label={t('factoring.confirmHow')}
        required
        allowDeselect={false}
        data={(['signed', 'receipt'] as const).map((v) => ({ value: v, label: t(`factoring.confirmation.${v}`) }))}
        {...form.getInputProps('confirmation')}
      />
      <BusinessDateInput label={t('factoring.confirmedOn')} required {...form.getInputProps('date')} value={form.values.date} />
      <TextInput label={t('factoring.evidence')} description={t('factoring.evidenceHint')} required maxLength={200} data-autofocus {...form.getInputProps('note')} />
    </ModalForm>
  );
}

const adjustSchema = contract['factoring.adjustReceivable'];

export function AdjustModal({ receivable, onClose }: { receivable: ReceivableView; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => adjustSchema.extend({ amountFen: yuanField(adjustSchema.shape.amountFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<{ kind: (typeof ADJUSTMENT_KINDS)[number]; amountFen: string; date: string; reason: string }, typeof schema>(schema, {
    initialValues: { kind: receivable.disputedFen > 0 ? 'dispute-resolved' : 'credit-note', amountFen: '', date: todayIn(), reason: '' },
    fixed: { receivableId: receivable.id },
  });
  const save = useIpcMutation('factoring.adjustReceivable');
  return (
    <ModalForm
      title={t('factoring.adjustTitle', { invoiceNo: receivable.invoiceNo })}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await save.mutateAsync(form.toInput()!);
        notifySuccess(t('factoring.adjustSaved'));
        onClose();
      }}
    >
      <Text size="xs" c="dimmed">
        {t('factoring.adjustHint', { open: yuan(receivable.outstandingFen), disputed: yuan(receivable.disputedFen) })}
      </Text>
      <Select label={t('factoring.adjustKind')} required allowDeselect={false} data={ADJUSTMENT_KINDS.map((k) => ({ value: k, label: t(`factoring.kind.${k}`) }))} {...form.getInputProps('kind')} />
      <AmountField label={t('factoring.amount')} required words data-autofocus {...form.getInputProps('amountFen')} value={form.values.amountFen} />
      <BusinessDateInput label={t('factoring.paidOn')} required {...form.getInputProps('date')} value={form.values.date} />
      <TextInput label={t('factoring.reason')} required maxLength={200} {...form.getInputProps('reason')} />
    </ModalForm>
  );
}

const misdirectedSchema = contract['factoring.recordMisdirected'];

export function MisdirectedModal({ receivable, onClose }: { receivable: ReceivableView; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => misdirectedSchema.extend({ amountFen: yuanField(misdirectedSchema.shape.amountFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<{ amountFen: string; date: string; note: string }, typeof schema>(schema, { initialValues: { amountFen: '', date: todayIn(), note: '' }, fixed: { receivableId: receivable.id } });
  const save = useIpcMutation('factoring.recordMisdirected');
  return (
    <ModalForm
      title={t('factoring.misdirectedTitle', { invoiceNo: receivable.invoiceNo })}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        const r = await save.mutateAsync(form.toInput()!);
        notifySuccess(r.warningId !== null ? t('factoring.misdirectedWarned', { id: r.warningId }) : t('factoring.paymentSaved'));
        onClose();
      }}
    >
      <Text size="xs" c="dimmed">
        {t('factoring.misdirectedHint')}
      </Text>
      <AmountField label={t('factoring.amount')} required words data-autofocus {...form.getInputProps('amountFen')} value={form.values.amountFen} />
      <BusinessDateInput label={t('factoring.paidOn')} required {...form.getInputProps('date')} value={form.values.date} />
      <TextInput label={t('factoring.note')} required maxLength={200} {...form.getInputProps('note')} />
    </ModalForm>
  );
}

const FIELDS = ['debtorName', 'debtorCode', 'debtorAddress', 'invoiceNo', 'invoiceAmountFen', 'invoiceDate', 'dueDate'] as const;
type AddValues = Record<(typeof FIELDS)[number], string>;

/** One more receivable into the financing (the channel takes several; the form adds one at a time). */
export function AddReceivableModal({ loanId, view, onClose }: { loanId: number; view: FactoringView; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => receivableInput.extend({ invoiceAmountFen: yuanField(receivableInput.shape.invoiceAmountFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<AddValues, typeof schema>(schema, {
    initialValues: { debtorName: '', debtorCode: '', debtorAddress: '', invoiceNo: '', invoiceAmountFen: '', invoiceDate: '', dueDate: '' },
  });
  const add = useIpcMutation('factoring.addReceivables');
  return (
    <ModalForm
      title={t('factoring.addTitle')}
      onClose={onClose}
      form={form}
      busy={add.isPending}
      size="lg"
      submitLabel={t('factoring.addSubmit')}
      cancelLabel={t('portfolio.cancel')}
      mapPath={(p) => p.replace(/^receivables\.\d+\./, '')}
      onSubmit={async () => {
        await add.mutateAsync({ loanId, receivables: [form.toInput()!] });
        notifySuccess(t('factoring.addSaved'));
        onClose();
      }}
    >
      <Text size="xs" c="dimmed">
        {t('factoring.addHint', { ratio: view.financingRatio, balance: yuan(view.balanceFen), max: yuan(view.financeableFen) })}
      </Text>
      <Group grow align="flex-start">
        <TextInput label={t('factoring.debtorName')} required maxLength={100} data-autofocus {...form.getInputProps('debtorName')} />
        <TextInput label={t('factoring.debtorCode')} required maxLength={18} classNames={{ input: 'lk-mono-input' }} {...form.getInputProps('debtorCode')} />
      </Group>
      <TextInput label={t('factoring.debtorAddress')} maxLength={200} {...form.getInputProps('debtorAddress')} />
      <Group grow align="flex-start">
        <TextInput label={t('factoring.invoiceNo')} required maxLength={40} {...form.getInputProps('invoiceNo')} />
        <AmountField label={t('factoring.invoiceAmount')} required words {...form.getInputProps('invoiceAmountFen')} value={form.values.invoiceAmountFen} />
      </Group>
      <Group grow align="flex-start">
        <BusinessDateInput label={t('factoring.invoiceDate')} required {...form.getInputProps('invoiceDate')} value={form.values.invoiceDate} />
        <BusinessDateInput label={t('factoring.dueDate')} required {...form.getInputProps('dueDate')} value={form.values.dueDate} />
      </Group>
    </ModalForm>
  );
}
