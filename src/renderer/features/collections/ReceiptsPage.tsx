import { Alert, Anchor, Button, FileInput, Group, Paper, Radio, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { LimitationView, NoticeView } from '../../../shared/ipc/collections';
import { DateField } from '../../components/Fields';
import { PageHeader } from '../../components/PageHeader';
import { useLocale } from '../../lib/appInfo';
import { contract } from '../../../shared/ipc/contract';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDay } from '../../lib/format';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { IpcError } from '../../lib/ipc';
import { useNav } from '../../lib/nav';
import { notifyError, notifySuccess } from '../../lib/notify';
import { docTypeLabel } from './NoticePrintModal';
import { fileToBase64 } from '../documents/files';
import { to } from '../../routes/links';

const SIGNED_BY = ['borrower', 'guarantor', 'family', 'seal', 'other'] as const;
const DELIVERY = ['in-person', 'ems', 'post', 'courier'] as const;
type SignedBy = (typeof SIGNED_BY)[number];
type Delivery = (typeof DELIVERY)[number];

type Values = { serial: string; signedOn: string; signedBy: SignedBy; delivery: Delivery; trackingNo: string; scan: File | null };
const tracked = (d: Delivery) => d === 'ems' || d === 'courier';
const blank = (): Values => ({ serial: '', signedOn: todayIn(), signedBy: 'borrower', delivery: 'in-person', trackingNo: '', scan: null });

/**
 * The receipt's own rules; the page adds that an EMS or courier delivery names its tracking number. The scanned
 * file is read and added after the check (the form holds the File, the call its contents).
 */
const receiptSchema = contract['notices.registerReceipt'].superRefine((v, ctx) => {
  if (tracked(v.delivery) && !v.trackingNo) ctx.addIssue({ code: 'custom', path: ['trackingNo'], message: 'validation.required' });
});
const pick = ({ scan: _scan, ...v }: Values) => ({ ...v, trackingNo: tracked(v.delivery) ? v.trackingNo : '', scan: null });

interface Done {
  notice: NoticeView;
  limitation: LimitationView;
}

/**
 * 回执登记: a USB barcode/QR scanner types the serial into the focused field and presses Enter; the form
 * below records who signed, when and how it came back, and the limitation period restarts from that day.
 */
export function ReceiptsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const scanRef = useRef<HTMLInputElement>(null);
  const dateRef = useRef<HTMLInputElement>(null);
  const [scanned, setScanned] = useState<string | null>(null);
  const [done, setDone] = useState<Done[]>([]);
  const register = useIpcMutation('notices.registerReceipt');
  // The notice, when it is among those awaiting their receipt: so the clerk can check the paper matches.
  const awaiting = useIpcQuery('notices.chase', { olderThanDays: 0 }, { enabled: scanned !== null });
  const known = (scanned !== null && awaiting.data?.find((n) => n.serial === scanned)) || null;
  const form = useContractForm<Values, typeof receiptSchema>(receiptSchema, { initialValues: blank(), pick });
  const v = form.values;

  useEffect(() => scanRef.current?.focus(), []);

  /** The scanner's Enter: the serial is checked by the contract's rule, then the form below opens for it. */
  function onScan() {
    if (form.validateField('serial').hasError) return;
    const serial = v.serial.trim().toUpperCase();
    form.setFieldValue('serial', serial);
    setScanned(serial);
    setTimeout(() => dateRef.current?.focus(), 0);
  }

  function reset() {
    form.setValues(blank());
    form.clearErrors();
    setScanned(null);
    setTimeout(() => scanRef.current?.focus(), 0);
  }

  async function submit() {
    const input = form.toInput()!;
    try {
      const scan = v.scan ? { fileName: v.scan.name, base64: await fileToBase64(v.scan) } : null;
      const r = await register.mutateAsync({ ...input, scan });
      setDone((list) => [r, ...list]);
      notifySuccess(t('receiptsUi.registered', { serial: r.notice.serial }));
      reset();
    } catch (e) {
      // The serial's problems (unknown, already registered, not printed) belong under the scanned serial.
      if (e instanceof IpcError && e.issues.length === 0 && e.code === 'NOT_FOUND') form.setFieldError('serial', e.message);
      else if (applyRefusal(form, e)) notifyError(e);
    }
  }

  const last = done[0];
  const showForm = scanned !== null;
  const needsTracking = tracked(v.delivery);
  return (
    <Stack gap="md" maw={980}>
      <PageHeader title={t('receiptsUi.title')} />
      <Paper withBorder p="md">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onScan();
          }}
        >
          <Group align="flex-start" gap="sm">
            <TextInput
              ref={scanRef}
              label={t('receiptsUi.scan')}
              description={t('receiptsUi.scanHint')}
              w={420}
              size="md"
              autoComplete="off"
              spellCheck={false}
              classNames={{ input: 'lk-mono-input' }}
              maxLength={40}
              data-testid="receipt-scan"
              {...form.getInputProps('serial')}
              onChange={(e) => {
                form.setFieldValue('serial', e.currentTarget.value);
                if (scanned !== null) setScanned(null);
              }}
            />
            {showForm && (
              <Button variant="subtle" mt={52} onClick={reset}>
                {t('receiptsUi.clear')}
              </Button>
            )}
          </Group>
        </form>
        {known && (
          <Text size="sm" mt="xs" data-testid="receipt-known">
            {t('receiptsUi.found', { contractNo: known.contractNo, addressee: known.addressee, docType: docTypeLabel(t, known.docType) })}
          </Text>
        )}
      </Paper>

      {showForm && (
        <Paper withBorder p="md">
          <form noValidate onSubmit={form.onSubmit(() => void submit())}>
            <Stack gap="md">
              <Text fw={600}>{t('receiptsUi.formTitle', { serial: scanned })}</Text>
              <SimpleGrid cols={2}>
                <DateField ref={dateRef} label={t('receiptsUi.signedOn')} required {...form.getInputProps('signedOn')} />
                <FileInput
                  label={t('receiptsUi.scanFile')}
                  placeholder={t('receiptsUi.scanFilePlaceholder')}
                  accept="image/jpeg,image/png,image/tiff,application/pdf"
                  clearable
                  {...form.getInputProps('scan')}
                />
              </SimpleGrid>
              <Radio.Group label={t('receiptsUi.signedBy')} required withAsterisk={false} classNames={{ label: 'lk-required' }} {...form.getInputProps('signedBy')}>
                <Group mt={6}>
                  {SIGNED_BY.map((s) => (
                    <Radio key={s} value={s} label={t(`receiptsUi.signedByLabel.${s}`)} />
                  ))}
                </Group>
              </Radio.Group>
              <Group align="flex-end" gap="lg">
                <Radio.Group label={t('receiptsUi.delivery')} required withAsterisk={false} classNames={{ label: 'lk-required' }} {...form.getInputProps('delivery')}>
                  <Group mt={6}>
                    {DELIVERY.map((s) => (
                      <Radio key={s} value={s} label={t(`receiptsUi.deliveryLabel.${s}`)} />
                    ))}
                  </Group>
                </Radio.Group>
                {needsTracking && <TextInput label={t('receiptsUi.trackingNo')} required maxLength={40} w={240} classNames={{ input: 'lk-mono-input' }} {...form.getInputProps('trackingNo')} />}
              </Group>
              <Group justify="flex-end">
                <Button variant="default" onClick={reset}>
                  {t('portfolio.cancel')}
                </Button>
                <Button type="submit" loading={register.isPending}>
                  {t('receiptsUi.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}

      {last && (
        <Alert color="green" title={t('receiptsUi.registered', { serial: last.notice.serial })} data-testid="receipt-result">
          <Stack gap={4}>
            <Text size="sm" data-testid="receipt-new-expiry" data-date={last.limitation.expiry}>
              {t('receiptsUi.newExpiry', { no: last.limitation.contractNo, date: formatDay(last.limitation.expiry, locale), days: last.limitation.daysLeft })}
            </Text>
            <Anchor component="button" type="button" size="sm" style={{ alignSelf: 'flex-start' }} onClick={() => nav.navigate(to.loan(last.notice.loanId, 'limitation'))}>
              {t('receiptsUi.openLoan', { no: last.notice.contractNo })}
            </Anchor>
          </Stack>
        </Alert>
      )}

      {done.length > 0 && (
        <Paper withBorder p="md">
          <Text fw={600} mb="xs">
            {t('receiptsUi.history')}
          </Text>
          <Table fz="sm" verticalSpacing={4} striped data-testid="receipts-done">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('collectionsUi.serial')}</Table.Th>
                <Table.Th>{t('collectionsUi.contractNo')}</Table.Th>
                <Table.Th>{t('collectionsUi.addressee')}</Table.Th>
                <Table.Th>{t('receiptsUi.signedOn')}</Table.Th>
                <Table.Th>{t('limitationUi.expiry')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {done.map((d) => (
                <Table.Tr key={d.notice.serial}>
                  <Table.Td ff="monospace">{d.notice.serial}</Table.Td>
                  <Table.Td ff="monospace">{d.notice.contractNo}</Table.Td>
                  <Table.Td>{d.notice.addressee}</Table.Td>
                  <Table.Td>{d.notice.signedOn ? formatDay(d.notice.signedOn, locale) : '—'}</Table.Td>
                  <Table.Td>{formatDay(d.limitation.expiry, locale)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
