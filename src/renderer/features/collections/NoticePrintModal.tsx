import { Alert, Badge, Button, Group, Modal, Paper, Progress, ScrollArea, Stack, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoticeDocType, NoticeView, PreparedBatch } from '../../../shared/ipc/collections';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { invoke } from '../../lib/ipc';
import { printPdf } from './printPdf';

/** Items per `notices.prepare` call: small enough that progress moves and a cancel stops soon. */
export const CHUNK = 50;

export interface PrintItem {
  loanId: number;
  docType: NoticeDocType;
}

type Skipped = PreparedBatch['skipped'][number];

interface Part {
  batchId: string;
  base64: string;
  notices: NoticeView[];
  /** printing: the dialog was opened, the answer is awaited. */
  state: 'new' | 'printing' | 'asked' | 'confirmed' | 'voided';
  downloaded: boolean;
}

type Phase = { kind: 'preparing' } | { kind: 'cancelled'; voided: number } | { kind: 'failed'; message: string; voided: number } | { kind: 'ready' };

interface Props {
  items: PrintItem[];
  /** Called once the modal closes; `printed` counts the notices confirmed as printed. */
  onClose: (printed: number) => void;
}

/**
 * Prepares the notices in chunks with a progress bar and a cancel button, then prints each prepared PDF
 * through the system print dialog and asks whether it printed: yes confirms the batch (the notices count as
 * delivered), no voids it. Serials of voided notices are never reused.
 */
export function NoticePrintModal({ items, onClose }: Props) {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: 'preparing' });
  const [done, setDone] = useState(0);
  const [parts, setParts] = useState<Part[]>([]);
  const [skipped, setSkipped] = useState<Skipped[]>([]);
  const [cancelling, setCancelling] = useState(false);
  const [closing, setClosing] = useState(false);
  const cancel = useRef(false);
  const started = useRef(false);
  const partsRef = useRef<Part[]>([]);
  partsRef.current = parts;

  useEffect(() => {
    // Strict mode mounts twice in development; the batches must be prepared once.
    if (started.current) return;
    started.current = true;
    void run();
  }, []);

  async function discardAll(list: Part[], reason: string): Promise<number> {
    let voided = 0;
    for (const p of list) {
      try {
        voided += (await invoke('notices.discard', { batchId: p.batchId, reason })).voided;
      } catch (e) {
        notifyError(e);
      }
    }
    return voided;
  }

  async function run() {
    const got: Part[] = [];
    const skip: Skipped[] = [];
    try {
      for (let i = 0; i < items.length; i += CHUNK) {
        if (cancel.current) break;
        const batch = await invoke('notices.prepare', { items: items.slice(i, i + CHUNK), asOf: null, payBy: null });
        if (batch.batchId && batch.base64) got.push({ batchId: batch.batchId, base64: batch.base64, notices: batch.notices, state: 'new', downloaded: false });
        skip.push(...batch.skipped);
        setDone(Math.min(items.length, i + CHUNK));
        setParts([...got]);
        setSkipped([...skip]);
      }
    } catch (e) {
      const voided = await discardAll(got, t('noticesUi.reasonFailed'));
      setParts([]);
      setPhase({ kind: 'failed', message: errorMessage(e), voided });
      return;
    }
    if (cancel.current) {
      const voided = await discardAll(got, t('noticesUi.reasonCancelled'));
      setParts([]);
      setPhase({ kind: 'cancelled', voided });
      return;
    }
    setPhase({ kind: 'ready' });
  }

  const update = (batchId: string, patch: Partial<Part>) => setParts((ps) => ps.map((p) => (p.batchId === batchId ? { ...p, ...patch } : p)));

  async function print(p: Part, index: number) {
    update(p.batchId, { state: 'printing' });
    const outcome = await printPdf(p.base64, t('noticesUi.fileName', { n: index + 1 }));
    update(p.batchId, { state: 'asked', downloaded: outcome === 'downloaded' });
  }

  async function decide(p: Part, printed: boolean) {
    try {
      if (printed) {
        await invoke('notices.confirm', { batchId: p.batchId });
        update(p.batchId, { state: 'confirmed' });
      } else {
        await invoke('notices.discard', { batchId: p.batchId, reason: t('noticesUi.reasonNotPrinted') });
        update(p.batchId, { state: 'voided' });
      }
    } catch (e) {
      notifyError(e);
    }
  }

  const printedCount = parts.filter((p) => p.state === 'confirmed').reduce((n, p) => n + p.notices.length, 0);

  async function close() {
    if (phase.kind === 'preparing') return;
    // Serials reserved but never confirmed are voided, so nothing waits on a print that did not happen.
    const open = partsRef.current.filter((p) => p.state !== 'confirmed' && p.state !== 'voided');
    if (open.length > 0) {
      setClosing(true);
      await discardAll(open, t('noticesUi.reasonClosed'));
    }
    if (printedCount > 0) notifySuccess(t('noticesUi.printedOk', { count: printedCount }));
    onClose(printedCount);
  }

  const total = items.length;
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  const notices = parts.flatMap((p) => p.notices);
  const allDecided = parts.every((p) => p.state === 'confirmed' || p.state === 'voided');
  return (
    <Modal opened onClose={() => void close()} title={t('noticesUi.printTitle')} size="xl" centered closeOnClickOutside={false} withCloseButton={phase.kind !== 'preparing'}>
      <Stack gap="md">
        <div data-testid="print-progress">
          <Group justify="space-between" mb={4}>
            <Text size="sm">{phase.kind === 'preparing' ? t('noticesUi.preparing') : t('noticesUi.prepared')}</Text>
            <Text size="sm" c="dimmed">
              {t('noticesUi.progress', { done, total })}
            </Text>
          </Group>
          <Progress value={percent} size="lg" animated={phase.kind === 'preparing'} aria-label={t('noticesUi.progressLabel')} />
        </div>
        {phase.kind === 'preparing' && (
          <Group justify="flex-end">
            <Button
              variant="default"
              loading={cancelling}
              onClick={() => {
                cancel.current = true;
                setCancelling(true);
              }}
            >
              {t('noticesUi.cancel')}
            </Button>
          </Group>
        )}
        {phase.kind === 'cancelled' && <Alert color="gray">{t('noticesUi.cancelled', { count: phase.voided })}</Alert>}
        {phase.kind === 'failed' && (
          <Alert color="red" title={t('noticesUi.failed')}>
            {phase.message}
          </Alert>
        )}
        {skipped.length > 0 && <SkippedList skipped={skipped} />}
        {phase.kind === 'ready' && parts.length === 0 && <Alert color="yellow">{t('noticesUi.nothing')}</Alert>}
        {phase.kind === 'ready' && parts.length > 0 && (
          <>
            <Text size="sm" fw={600}>
              {t('noticesUi.ready', { count: notices.length })}
            </Text>
            <Stack gap="xs">
              {parts.map((p, i) => (
                <Paper key={p.batchId} withBorder p="sm" data-testid="print-part">
                  <Group justify="space-between" wrap="nowrap">
                    <Text size="sm">{t('noticesUi.part', { n: i + 1, count: p.notices.length })}</Text>
                    <Group gap="xs" wrap="nowrap">
                      {p.state === 'confirmed' && (
                        <Badge color="green" variant="light" style={NO_SHRINK}>
                          {t('noticesUi.confirmed')}
                        </Badge>
                      )}
                      {p.state === 'voided' && (
                        <Badge color="gray" variant="light" style={NO_SHRINK}>
                          {t('noticesUi.voided')}
                        </Badge>
                      )}
                      {(p.state === 'new' || p.state === 'asked' || p.state === 'printing') && (
                        <Button size="xs" variant={p.state === 'new' ? 'filled' : 'default'} loading={p.state === 'printing'} onClick={() => void print(p, i)}>
                          {p.state === 'new' ? t('noticesUi.print') : t('noticesUi.printAgain')}
                        </Button>
                      )}
                    </Group>
                  </Group>
                  {p.state === 'asked' && (
                    <Stack gap={6} mt="xs">
                      {p.downloaded && (
                        <Text size="xs" c="orange.8">
                          {t('noticesUi.downloaded')}
                        </Text>
                      )}
                      <Group gap="sm">
                        <Text size="sm" fw={600}>
                          {t('noticesUi.askDone')}
                        </Text>
                        <Button size="xs" color="green" onClick={() => void decide(p, true)}>
                          {t('noticesUi.printed')}
                        </Button>
                        <Button size="xs" variant="default" onClick={() => void decide(p, false)}>
                          {t('noticesUi.notPrinted')}
                        </Button>
                      </Group>
                    </Stack>
                  )}
                </Paper>
              ))}
            </Stack>
            <NoticeTable notices={notices} parts={parts} />
          </>
        )}
        {phase.kind !== 'preparing' && (
          <Group justify="flex-end">
            <Button variant={allDecided ? 'filled' : 'default'} loading={closing} onClick={() => void close()}>
              {allDecided ? t('noticesUi.done') : t('noticesUi.close')}
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}

export function docTypeLabel(t: TFunction, docType: NoticeDocType): string {
  return t(`noticesUi.docType.${docType}`);
}

function SkippedList({ skipped }: { skipped: Skipped[] }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" variant="light" title={t('noticesUi.skippedTitle', { count: skipped.length })} p="sm">
      <ScrollArea.Autosize mah={180}>
        <Table fz="xs" verticalSpacing={3} data-testid="skipped-notices">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('collectionsUi.contractNo')}</Table.Th>
              <Table.Th>{t('collectionsUi.docType')}</Table.Th>
              <Table.Th>{t('noticesUi.skippedReason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {skipped.map((s, i) => (
              <Table.Tr key={`${s.loanId}:${s.docType}:${i}`}>
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {s.contractNo}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{docTypeLabel(t, s.docType)}</Table.Td>
                <Table.Td>{s.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Alert>
  );
}

function NoticeTable({ notices, parts }: { notices: NoticeView[]; parts: Part[] }) {
  const { t } = useTranslation();
  const stateOf = new Map(parts.flatMap((p) => p.notices.map((n) => [n.serial, p.state] as const)));
  return (
    <ScrollArea.Autosize mah={260}>
      <Table fz="sm" verticalSpacing={4} striped data-testid="prepared-notices">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('collectionsUi.serial')}</Table.Th>
            <Table.Th>{t('collectionsUi.contractNo')}</Table.Th>
            <Table.Th>{t('collectionsUi.addressee')}</Table.Th>
            <Table.Th>{t('collectionsUi.docType')}</Table.Th>
            <Table.Th>{t('collectionsUi.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {notices.map((n) => {
            const state = stateOf.get(n.serial);
            return (
              <Table.Tr key={n.serial}>
                <Table.Td ff="monospace" data-testid="notice-serial" style={{ whiteSpace: 'nowrap' }}>
                  {n.serial}
                </Table.Td>
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {n.contractNo}
                </Table.Td>
                <Table.Td>{n.addressee}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{docTypeLabel(t, n.docType)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {state === 'confirmed' ? t('collectionsUi.noticeStatus.printed') : state === 'voided' ? t('collectionsUi.noticeStatus.void') : t('collectionsUi.noticeStatus.prepared')}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
