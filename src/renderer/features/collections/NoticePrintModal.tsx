import { Alert, Button, Group, Modal, Pagination, Progress, ScrollArea, Stack, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoticeDocType, NoticeView, PreparedBatch } from '../../../shared/ipc/collections';
import { PdfViewer } from '../../components/pdf/PdfViewer';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { invalidateFeatures } from '../../lib/data/useIpc';
import { touchedBy } from '../../lib/data/invalidation';
import { invoke } from '../../lib/ipc';
import { printPdf, withdrawReaderOffers } from './printPdf';
import { PrintJobPanel, type JobState } from './PrintJobPanel';

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
  /** open: prepared, serials reserved, not yet confirmed or voided. */
  state: 'open' | 'confirmed' | 'voided';
}

type Phase = { kind: 'preparing' } | { kind: 'cancelled'; voided: number } | { kind: 'failed'; message: string; voided: number } | { kind: 'ready' };

interface Props {
  items: PrintItem[];
  /** Called once the modal closes; `printed` counts the notices confirmed as printed. */
  onClose: (printed: number) => void;
}

/**
 * Prepares the notices in chunks with a progress bar and a cancel button, then prints every prepared PDF
 * together as ONE job through the system print dialog and asks once whether it printed: yes confirms every
 * batch (the notices count as delivered), no voids every batch. A cancelled dialog printed nothing, so it
 * asks nothing. Serials of voided notices are never reused.
 */
export function NoticePrintModal({ items, onClose }: Props) {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: 'preparing' });
  const [done, setDone] = useState(0);
  const [parts, setParts] = useState<Part[]>([]);
  const [skipped, setSkipped] = useState<Skipped[]>([]);
  // Asked to stop: the chunk under way finishes, then what was prepared is voided.
  const [cancelAsked, setCancelAsked] = useState(false);
  const [job, setJob] = useState<JobState>({ step: 'idle', outcome: null });
  const cancel = useRef(false);
  const started = useRef(false);
  const partsRef = useRef<Part[]>([]);
  partsRef.current = parts;

  useEffect(() => {
    // Strict mode mounts twice in development; the batches must be prepared once.
    if (started.current) return;
    started.current = true;
    prepareAll.mutate();
    // Once, on opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
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

  async function run(): Promise<void> {
    const got: Part[] = [];
    const skip: Skipped[] = [];
    try {
      for (let i = 0; i < items.length; i += CHUNK) {
        if (cancel.current) break;
        const batch = await invoke('notices.prepare', { items: items.slice(i, i + CHUNK), asOf: null, payBy: null });
        if (batch.batchId && batch.base64) got.push({ batchId: batch.batchId, base64: batch.base64, notices: batch.notices, state: 'open' });
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

  // Each step is a run of calls (chunks, batches): one mutation each, for its busy state; the features the
  // notices touch are refetched once the run is over (invalidation.ts).
  const prepareAll = useBatchRun(run);

  const update = (batchId: string, patch: Partial<Part>) => setParts((ps) => ps.map((p) => (p.batchId === batchId ? { ...p, ...patch } : p)));

  async function printAll() {
    const open = partsRef.current.filter((p) => p.state === 'open');
    const count = open.reduce((n, p) => n + p.notices.length, 0);
    if (count === 0) return;
    const before = job;
    setJob({ ...before, step: 'printing' });
    try {
      const outcome = await printPdf({ title: t('noticesUi.jobTitle', { count }), fileName: t('noticesUi.jobFileName', { count }), parts: open.map((p) => p.base64) });
      // A cancelled dialog printed nothing: no question (unless an earlier print still awaits its answer);
      // the user may print again, or close, which voids.
      setJob({ step: outcome === 'cancelled' && before.step !== 'asked' ? 'idle' : 'asked', outcome });
    } catch (e) {
      notifyError(e);
      setJob(before);
    }
  }

  /** The one answer for the whole job: every open batch is confirmed, or every open batch is voided. */
  async function decideAll(printed: boolean) {
    withdrawReaderOffers();
    for (const p of partsRef.current.filter((x) => x.state === 'open')) {
      try {
        if (printed) await invoke('notices.confirm', { batchId: p.batchId });
        else await invoke('notices.discard', { batchId: p.batchId, reason: t('noticesUi.reasonNotPrinted') });
        update(p.batchId, { state: printed ? 'confirmed' : 'voided' });
      } catch (e) {
        // The batch stays open: the question stays, and answering again covers what is left.
        notifyError(e);
      }
    }
  }
  const decide = useBatchRun(decideAll);

  const printedCount = parts.filter((p) => p.state === 'confirmed').reduce((n, p) => n + p.notices.length, 0);

  async function closeNow() {
    // While the print dialog is open the answer is not known yet: voiding now could void printed notices.
    if (phase.kind === 'preparing' || job.step === 'printing') return;
    // Serials reserved but never confirmed are voided, so nothing waits on a print that did not happen.
    const open = partsRef.current.filter((p) => p.state === 'open');
    if (open.length > 0) {
      withdrawReaderOffers();
      await discardAll(open, t('noticesUi.reasonClosed'));
    }
    if (printedCount > 0) notifySuccess(t('noticesUi.printedOk', { count: printedCount }));
    onClose(printedCount);
  }
  const closing = useBatchRun(closeNow);
  const close = () => closing.mutate();

  const total = items.length;
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  const notices = parts.flatMap((p) => p.notices);
  const allDecided = parts.every((p) => p.state !== 'open');
  const openCount = parts.filter((p) => p.state === 'open').reduce((n, p) => n + p.notices.length, 0);
  // The heading and the bar say how the run ended: a full bar over nothing made, or over a cancelled run, is not "made".
  const made = phase.kind === 'ready' && parts.length > 0;
  const headingKey = phase.kind === 'preparing' ? 'noticesUi.preparing' : made ? 'noticesUi.prepared' : phase.kind === 'ready' ? 'noticesUi.preparedNone' : 'noticesUi.stopped';
  const barColor = phase.kind === 'failed' ? 'red' : phase.kind === 'cancelled' ? 'gray' : phase.kind === 'ready' && !made ? 'yellow' : undefined;
  return (
    <Modal opened onClose={close} title={t('noticesUi.printTitle')} size="xl" centered closeOnClickOutside={false} withCloseButton={phase.kind !== 'preparing' && job.step !== 'printing'}>
      <Stack gap="md">
        <div data-testid="print-progress">
          <Group justify="space-between" mb={4}>
            <Text size="sm">{t(headingKey)}</Text>
            <Text size="sm" c="dimmed">
              {t('noticesUi.progress', { done, total })}
            </Text>
          </Group>
          <Progress value={percent} size="lg" color={barColor} animated={phase.kind === 'preparing'} aria-label={t('noticesUi.progressLabel')} />
        </div>
        {phase.kind === 'preparing' && (
          <Group justify="flex-end">
            <Button
              variant="default"
              loading={cancelAsked}
              onClick={() => {
                cancel.current = true;
                setCancelAsked(true);
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
              {t(allDecided ? 'noticesUi.readyDecided' : 'noticesUi.ready', { count: notices.length })}
            </Text>
            <PrintJobPanel parts={parts} openCount={openCount} job={job} deciding={decide.isPending} onPrint={() => void printAll()} onDecide={(printed) => decide.mutate(printed)} />
            <PreparedPreview parts={parts} />
            <NoticeTable notices={notices} parts={parts} />
          </>
        )}
        {phase.kind !== 'preparing' && (
          <Group justify="flex-end">
            <Button variant={allDecided ? 'filled' : 'default'} loading={closing.isPending} disabled={job.step === 'printing'} onClick={close}>
              {allDecided ? t('noticesUi.done') : t('noticesUi.close')}
            </Button>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}

/** A run of notice calls as one mutation: `isPending` while it runs; the notices' features refetch after it. */
function useBatchRun<A = void>(fn: (arg: A) => Promise<void>) {
  const client = useQueryClient();
  return useMutation<void, Error, A>({ mutationFn: fn, onError: notifyError, onSettled: () => invalidateFeatures(client, touchedBy('notices.confirm')) });
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

/** The prepared notices as they will print, one prepared part at a time (a part holds up to CHUNK notices). */
function PreparedPreview({ parts }: { parts: { base64: string }[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState(1);
  if (!open) {
    return (
      <Group>
        <Button size="xs" variant="default" onClick={() => setOpen(true)}>
          {t('noticesUi.preview')}
        </Button>
      </Group>
    );
  }
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        {parts.length > 1 ? <Pagination size="sm" total={parts.length} value={page} onChange={setPage} aria-label={t('noticesUi.previewPart')} /> : <span />}
        <Button size="xs" variant="subtle" onClick={() => setOpen(false)}>
          {t('noticesUi.hidePreview')}
        </Button>
      </Group>
      <PdfViewer base64={parts[page - 1].base64} title={t('noticesUi.printTitle')} height={420} testId="notice-preview" />
    </Stack>
  );
}
