import { Autocomplete, Badge, Button, Group, Menu, Paper, Progress, Select, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUserNames } from '../../lib/userNames';
import { DELINQUENCY_REASONS, todayIn } from '../../../shared/domain';
import { NOTICE_DOC_TYPES, type ContactView, type LostContactProgress, type NoticeView, type PromiseView } from '../../../shared/ipc/collections';
import { contract } from '../../../shared/ipc/contract';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { AmountField } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { formatDateTime, formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { yuan } from '../../lib/money';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { docTypeLabel, NoticePrintModal, type PrintItem } from './NoticePrintModal';
import { AssetLeadsSection } from './AssetLeadsSection';
import type { BorrowerContacts, Relation } from '../../../shared/ipc/borrowers';

const NOTICE_COLORS: Record<NoticeView['status'], string> = { prepared: 'yellow', printed: 'blue', void: 'gray' };
const RECEIPT_COLORS: Record<NoticeView['receiptStatus'], string> = { none: 'gray', pending: 'orange', returned: 'green' };
const PROMISE_COLORS: Record<PromiseView['status'], string> = { open: 'blue', kept: 'green', broken: 'red' };

/**
 * The loan's 催收 tab: its notices (and printing one), promises to pay, the contact log with 3-3-3, the borrower's
 * other contacts (related parties: spouse, heirs…), and the asset leads while the loan has no 诉讼 tab.
 */
export function LoanCollectionsTab({ detail, assetLeads }: { detail: LoanDetail; assetLeads: boolean }) {
  const loanId = detail.loan.id;
  return (
    <Stack gap="lg">
      <NoticesSection detail={detail} />
      <PromisesSection loanId={loanId} />
      <ContactsSection loanId={loanId} />
      <OtherContactsSection loanId={loanId} />
      {assetLeads && <AssetLeadsSection loanId={loanId} />}
    </Stack>
  );
}

function NoticesSection({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canPrint = useCan('collections.print');
  const loanId = detail.loan.id;
  // Refetched once a print run is over (invalidation.ts).
  const { data: rows } = useIpcQuery('notices.forLoan', { loanId });
  const [printing, setPrinting] = useState<PrintItem[] | null>(null);
  const factoring = detail.loan.kind === 'factoring';
  const types = NOTICE_DOC_TYPES.filter((d) => factoring || (d !== 'assignment-notice' && d !== 'debtor-collection'));
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4} size="h5">
          {t('collectionsUi.notices')}
        </Title>
        {canPrint && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="xs">{t('collectionsUi.printMenu')}</Button>
            </Menu.Target>
            <Menu.Dropdown>
              {types.map((d) => (
                <Menu.Item key={d} onClick={() => setPrinting([{ loanId, docType: d }])}>
                  {docTypeLabel(t, d)}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      {rows && rows.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="sm">
          {t('collectionsUi.noticesEmpty')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={5} striped data-testid="loan-notices">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('collectionsUi.serial')}</Table.Th>
              <Table.Th>{t('collectionsUi.docType')}</Table.Th>
              <Table.Th>{t('collectionsUi.addressee')}</Table.Th>
              <Table.Th>{t('collectionsUi.status')}</Table.Th>
              <Table.Th>{t('collectionsUi.printedAt')}</Table.Th>
              <Table.Th>{t('collectionsUi.receipt')}</Table.Th>
              <Table.Th>{t('collectionsUi.signedOn')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(rows ?? []).map((n) => (
              <Table.Tr key={n.serial}>
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {n.serial}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{docTypeLabel(t, n.docType)}</Table.Td>
                <Table.Td>{n.addressee}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={NOTICE_COLORS[n.status]} style={NO_SHRINK}>
                    {t(`collectionsUi.noticeStatus.${n.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{n.printedAt ? formatDateTime(n.printedAt, locale) : '—'}</Table.Td>
                <Table.Td>
                  {n.status === 'printed' ? (
                    <Badge size="sm" variant="light" color={RECEIPT_COLORS[n.receiptStatus]} style={NO_SHRINK}>
                      {t(`collectionsUi.receiptStatus.${n.receiptStatus}`)}
                    </Badge>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{n.signedOn ? formatDay(n.signedOn, locale) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {printing && (
        <NoticePrintModal
          items={printing}
          onClose={() => setPrinting(null)}
        />
      )}
    </Stack>
  );
}

function PromisesSection({ loanId }: { loanId: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('collections.write');
  const { data: rows } = useIpcQuery('promises.forLoan', { loanId });
  const [adding, setAdding] = useState(false);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4} size="h5">
          {t('collectionsUi.promises')}
        </Title>
        <Group gap="xs">
          {rows && rows.length > 0 && <ExportXlsxButton size="xs" testId="promises-export" run={() => invoke('promises.exportXlsx', { loanId })} />}
          {canWrite && (
            <Button size="xs" variant="light" onClick={() => setAdding(true)}>
              {t('collectionsUi.addPromise')}
            </Button>
          )}
        </Group>
      </Group>
      {rows && rows.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="sm">
          {t('collectionsUi.promisesEmpty')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={5} striped data-testid="promises">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('collectionsUi.madeOn')}</Table.Th>
              <Table.Th>{t('collectionsUi.promiseDate')}</Table.Th>
              <Table.Th ta="right">{t('collectionsUi.promiseAmountCol')}</Table.Th>
              <Table.Th ta="right">{t('collectionsUi.paid')}</Table.Th>
              <Table.Th>{t('collectionsUi.status')}</Table.Th>
              <Table.Th>{t('collectionsUi.note')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(rows ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(p.madeOn, locale)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(p.promiseDate, locale)}</Table.Td>
                <Table.Td ta="right">{yuan(p.amountFen)}</Table.Td>
                <Table.Td ta="right">{yuan(p.paidFen)}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant={p.status === 'open' ? 'light' : 'filled'} color={PROMISE_COLORS[p.status]} style={NO_SHRINK}>
                    {t(`collectionsUi.promiseStatus.${p.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{p.note || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {adding && (
        <PromiseModal
          loanId={loanId}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            notifySuccess(t('collectionsUi.promiseSaved'));
          }}
        />
      )}
    </Stack>
  );
}

const promiseSchema = contract['promises.add'];

function PromiseModal({ loanId, onClose, onSaved }: { loanId: number; onClose: () => void; onSaved: (rows: PromiseView[]) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => promiseSchema.extend({ amountFen: yuanField(promiseSchema.shape.amountFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<{ amountFen: string; promiseDate: string; madeOn: string; note: string }, typeof schema>(schema, {
    initialValues: { amountFen: '', promiseDate: '', madeOn: todayIn(), note: '' },
    fixed: { loanId },
  });
  const add = useIpcMutation('promises.add');
  const v = form.values;
  return (
    <ModalForm
      title={t('collectionsUi.addPromise')}
      onClose={onClose}
      form={form}
      busy={add.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onSaved(await add.mutateAsync(form.toInput()!))}
    >
      <AmountField label={t('collectionsUi.promiseAmount')} required words data-autofocus {...form.getInputProps('amountFen')} value={v.amountFen} />
      <SimpleGrid cols={2}>
        <BusinessDateInput label={t('collectionsUi.promiseDate')} required {...form.getInputProps('promiseDate')} value={v.promiseDate} />
        <BusinessDateInput label={t('collectionsUi.madeOn')} required {...form.getInputProps('madeOn')} value={v.madeOn} />
      </SimpleGrid>
      <Textarea label={t('collectionsUi.note')} maxLength={300} autosize minRows={2} {...form.getInputProps('note')} />
    </ModalForm>
  );
}

function ContactsSection({ loanId }: { loanId: number }) {
  const name = useUserNames();
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('collections.write');
  const { data } = useIpcQuery('contacts.forLoan', { loanId });
  const [adding, setAdding] = useState(false);
  const p = data?.progress ?? { numbers: 0, slots: 0, attempts: 0, lost: false };
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4} size="h5">
          {t('collectionsUi.contacts')}
        </Title>
        {canWrite && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('collectionsUi.addContact')}
          </Button>
        )}
      </Group>
      <Paper withBorder p="sm" bg="gray.0" data-testid="lost-contact">
        <Group justify="space-between" mb={6}>
          <Text size="sm" fw={600}>
            {t('collectionsUi.lostTitle')}
          </Text>
          <Badge color={p.lost ? 'red' : 'gray'} variant={p.lost ? 'filled' : 'light'} style={NO_SHRINK}>
            {p.lost ? t('collectionsUi.lost') : t('collectionsUi.notLost')}
          </Badge>
        </Group>
        <SimpleGrid cols={3} spacing="md">
          <Meter label={t('collectionsUi.lostNumbers', { n: p.numbers })} n={p.numbers} />
          <Meter label={t('collectionsUi.lostSlots', { n: p.slots })} n={p.slots} />
          <Meter label={t('collectionsUi.lostAttempts', { n: p.attempts })} n={p.attempts} />
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt={6}>
          {t('collectionsUi.lostHint')}
        </Text>
      </Paper>
      {data && data.contacts.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="sm">
          {t('collectionsUi.contactsEmpty')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={5} striped data-testid="contacts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('collectionsUi.contactedOn')}</Table.Th>
              <Table.Th>{t('collectionsUi.channel')}</Table.Th>
              <Table.Th>{t('collectionsUi.target')}</Table.Th>
              <Table.Th>{t('collectionsUi.slot')}</Table.Th>
              <Table.Th>{t('collectionsUi.outcome')}</Table.Th>
              <Table.Th>{t('delinquency.label')}</Table.Th>
              <Table.Th>{t('collectionsUi.note')}</Table.Th>
              <Table.Th>{t('collectionsUi.by')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.contacts ?? []).map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(c.contactedOn, locale)}</Table.Td>
                <Table.Td>{t(`collectionsUi.channelLabel.${c.channel}`)}</Table.Td>
                <Table.Td>{c.target}</Table.Td>
                <Table.Td>{t(`collectionsUi.slotLabel.${c.slot}`)}</Table.Td>
                <Table.Td>{t(`collectionsUi.outcomeLabel.${c.outcome}`)}</Table.Td>
                <Table.Td>{c.reason ? t(`delinquency.reason.${c.reason}`) : '—'}</Table.Td>
                <Table.Td>{c.note || '—'}</Table.Td>
                <Table.Td>{name(c.by)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {adding && (
        <ContactModal
          loanId={loanId}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            notifySuccess(t('collectionsUi.contactSaved'));
          }}
        />
      )}
    </Stack>
  );
}

/** 其他联系人: the borrower's related parties and further phones and addresses, as the loan's collection work sees them. */
function OtherContactsSection({ loanId }: { loanId: number }) {
  const { t } = useTranslation();
  const { data } = useIpcQuery('contacts.others', { loanId });
  const empty = data && data.relatedParties.length === 0 && data.contacts.length === 0;
  return (
    <Stack gap="xs">
      <Title order={4} size="h5">
        {t('relatedUi.others')}
      </Title>
      {empty ? (
        <Text c="dimmed" size="sm" ta="center" py="sm">
          {t('relatedUi.othersEmpty')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={5} striped data-testid="other-contacts">
          <Table.Tbody>
            {(data?.relatedParties ?? []).map((p) => (
              <Table.Tr key={`p${p.id}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`relatedUi.relationLabel.${p.relation}`)}</Table.Td>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{p.phone || '—'}</Table.Td>
                <Table.Td>{p.address || '—'}</Table.Td>
                <Table.Td c="dimmed">{p.note}</Table.Td>
              </Table.Tr>
            ))}
            {(data?.contacts ?? []).map((c) => (
              <Table.Tr key={`c${c.id}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`relatedUi.contactKind.${c.kind}`)}</Table.Td>
                <Table.Td>{c.label}</Table.Td>
                <Table.Td colSpan={2}>{c.value}</Table.Td>
                <Table.Td c="dimmed">{c.note}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** Quick choices for a contact's target: the borrower's phones, then each related party with their phone. */
function targetChoices(relation: (r: Relation) => string, d: BorrowerContacts | undefined): string[] {
  if (!d) return [];
  const phones = d.contacts.filter((c) => c.kind === 'phone').map((c) => `${c.label} ${c.value}`);
  const parties = d.relatedParties.map((p) => `${relation(p.relation)} ${p.name}${p.phone ? ` ${p.phone}` : ''}`);
  // At most 60 characters (the target's limit), no duplicates.
  return [...new Set([...phones, ...parties].map((x) => x.slice(0, 60)))];
}

function Meter({ label, n }: { label: string; n: number }) {
  return (
    <div>
      <Text size="xs" mb={2}>
        {label}
      </Text>
      <Progress value={(Math.min(n, 3) / 3) * 100} color={n >= 3 ? 'red' : 'orange'} size="sm" aria-label={label} />
    </div>
  );
}

const CHANNELS = ['call', 'visit', 'letter', 'message'] as const;
const SLOTS = ['morning', 'afternoon', 'evening'] as const;
const OUTCOMES = ['reached', 'promised', 'refused', 'wrong-number', 'no-answer', 'other'] as const;

type ContactValues = Pick<ContactView, 'channel' | 'slot' | 'outcome' | 'reason'> & { target: string; contactedOn: string; note: string };
const contactSchema = contract['contacts.add'];

function ContactModal({ loanId, onClose, onSaved }: { loanId: number; onClose: () => void; onSaved: (d: { contacts: ContactView[]; progress: LostContactProgress }) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<ContactValues, typeof contactSchema>(contactSchema, {
    initialValues: { channel: 'call', target: '', slot: 'morning', outcome: 'no-answer', contactedOn: todayIn(), note: '', reason: null },
    fixed: { loanId },
  });
  const add = useIpcMutation('contacts.add');
  const others = useIpcQuery('contacts.others', { loanId }).data;
  return (
    <ModalForm
      title={t('collectionsUi.addContact')}
      onClose={onClose}
      form={form}
      busy={add.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onSaved(await add.mutateAsync(form.toInput()!))}
    >
      <SimpleGrid cols={2}>
        <BusinessDateInput label={t('collectionsUi.contactedOn')} required {...form.getInputProps('contactedOn')} value={form.values.contactedOn} />
        <Select
          label={t('collectionsUi.channel')}
          required
          data={CHANNELS.map((c) => ({ value: c, label: t(`collectionsUi.channelLabel.${c}`) }))}
          allowDeselect={false}
          {...form.getInputProps('channel')}
        />
        <Autocomplete
          label={t('collectionsUi.target')}
          description={t('relatedUi.targetHint')}
          required
          maxLength={60}
          data-autofocus
          data={targetChoices((r) => t(`relatedUi.relationLabel.${r}`), others)}
          {...form.getInputProps('target')}
        />
        <Select label={t('collectionsUi.slot')} required data={SLOTS.map((x) => ({ value: x, label: t(`collectionsUi.slotLabel.${x}`) }))} allowDeselect={false} {...form.getInputProps('slot')} />
        <Select
          label={t('collectionsUi.outcome')}
          required
          data={OUTCOMES.map((o) => ({ value: o, label: t(`collectionsUi.outcomeLabel.${o}`) }))}
          allowDeselect={false}
          {...form.getInputProps('outcome')}
        />
        <Select
          label={t('delinquency.label')}
          description={t('delinquency.hint')}
          clearable
          data={DELINQUENCY_REASONS.map((r) => ({ value: r, label: t(`delinquency.reason.${r}`) }))}
          {...form.getInputProps('reason')}
        />
      </SimpleGrid>
      <Textarea label={t('collectionsUi.note')} maxLength={500} autosize minRows={2} {...form.getInputProps('note')} />
    </ModalForm>
  );
}
