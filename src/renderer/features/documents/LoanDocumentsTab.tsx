import { Badge, Button, Checkbox, Grid, Group, Modal, Paper, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/ipc/app';
import type { ChecklistView, DocTypeView } from '../../../shared/ipc/archive';
import type { DocumentView } from '../../../shared/ipc/documents';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { FilePreviewModal } from '../../components/FilePreviewModal';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { formatDateTime } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useAlert } from '../../lib/useAlert';
import { FileLocationPanel } from '../archive/FileLocationPanel';
import { fileToBase64, formatBytes } from './files';

export function docTypeName(types: readonly DocTypeView[], code: string, locale: Locale): string {
  const d = types.find((x) => x.code === code);
  return d ? (locale === 'en' ? d.nameEn : d.nameZh) : code;
}

/** The loan's 档案 tab: its scanned papers, what the file still lacks, and where the paper file is. */
export function LoanDocumentsTab({ detail }: { detail: LoanDetail }) {
  const loanId = detail.loan.id;
  const [types, setTypes] = useState<DocTypeView[]>([]);
  const [checklist, setChecklist] = useState<ChecklistView | null>(null);
  const loadChecklist = useCallback(() => {
    invoke('archive.checklist', { loanId }).then(setChecklist).catch(notifyError);
  }, [loanId]);
  useEffect(() => {
    invoke('archive.docTypes').then(setTypes).catch(notifyError);
  }, []);
  useEffect(loadChecklist, [loadChecklist]);
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <DocumentsPanel loanId={loanId} types={types} checklist={checklist} onChanged={loadChecklist} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack gap="lg">
          <ChecklistPanel checklist={checklist} />
          <FileLocationPanel loanId={loanId} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function DocumentsPanel({ loanId, types, checklist, onChanged }: { loanId: number; types: DocTypeView[]; checklist: ChecklistView | null; onChanged: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('portfolio.write');
  const canManage = useCan('archive.manage');
  const canFile = canWrite || canManage;
  const [all, setAll] = useState(false);
  const [docs, setDocs] = useState<DocumentView[] | null>(null);
  const [docType, setDocType] = useState<string | null>(null);
  const [typeError, setTypeError] = useAlert();
  const [uploading, setUploading] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [preview, setPreview] = useState<DocumentView | null>(null);
  const closePreview = useCallback(() => setPreview(null), []);
  const [removing, setRemoving] = useState<DocumentView | null>(null);
  const pickRef = useRef<HTMLInputElement>(null);
  const replaceRef = useRef<HTMLInputElement>(null);
  const [replacing, setReplacing] = useState<DocumentView | null>(null);

  const load = useCallback(() => {
    invoke('documents.list', { loanId, includeRemoved: all }).then(setDocs).catch(notifyError);
  }, [loanId, all]);
  useEffect(load, [load]);

  // The first thing the file lacks is the likeliest paper being scanned in.
  const firstMissing = checklist?.items.find((i) => i.present < i.required)?.docType ?? null;
  const active = types.filter((d) => d.active);
  const chosen = docType ?? (firstMissing && active.some((d) => d.code === firstMissing) ? firstMissing : null);

  const versions = useMemo(() => {
    const byId = new Map((docs ?? []).map((d) => [d.id, d]));
    const memo = new Map<number, number>();
    const of = (d: DocumentView): number => {
      if (memo.has(d.id)) return memo.get(d.id)!;
      const prev = d.replacesId ? byId.get(d.replacesId) : undefined;
      const n = prev ? of(prev) + 1 : d.replacesId ? 2 : 1;
      memo.set(d.id, n);
      return n;
    };
    return new Map((docs ?? []).map((d) => [d.id, of(d)]));
  }, [docs]);

  async function upload(files: File[]) {
    if (files.length === 0) return;
    if (!chosen) {
      setTypeError(t('documentsUi.chooseType'));
      return;
    }
    setUploading(true);
    try {
      for (const f of files) {
        const d = await invoke('documents.add', { loanId, docType: chosen, fileName: f.name, base64: await fileToBase64(f) });
        notifySuccess(t('documentsUi.uploaded', { name: d.fileName }));
      }
    } catch (e) {
      notifyError(e);
    } finally {
      setUploading(false);
      load();
      onChanged();
    }
  }

  async function replace(doc: DocumentView, file: File) {
    setUploading(true);
    try {
      await invoke('documents.replace', { documentId: doc.id, fileName: file.name, base64: await fileToBase64(file) });
      notifySuccess(t('documentsUi.replaced'));
    } catch (e) {
      notifyError(e);
    } finally {
      setUploading(false);
      load();
      onChanged();
    }
  }

  async function restore(doc: DocumentView) {
    try {
      await invoke('documents.restore', { documentId: doc.id, reason: '' });
      notifySuccess(t('documentsUi.restoredOk'));
    } catch (e) {
      notifyError(e);
    }
    load();
    onChanged();
  }

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    if (canFile) void upload([...e.dataTransfer.files]);
  };

  const shown = (docs ?? []).filter((d) => all || !d.superseded);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={4} size="h5">
          {t('documentsUi.files')}
        </Title>
        <Checkbox size="xs" label={t('documentsUi.showAll')} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
      </Group>
      {canFile && (
        <Paper
          withBorder
          p="md"
          data-testid="doc-drop"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          style={{ borderStyle: 'dashed', borderWidth: 2, borderColor: dragging ? 'var(--mantine-color-blue-5)' : undefined }}
          bg={dragging ? 'blue.0' : 'gray.0'}
        >
          <Group align="flex-end" gap="sm" wrap="nowrap">
            <Select
              label={t('documentsUi.docType')}
              w={240}
              searchable
              data={active.map((d) => ({ value: d.code, label: locale === 'en' ? d.nameEn : d.nameZh }))}
              value={chosen}
              error={typeError}
              onChange={(v) => {
                setDocType(v);
                setTypeError(null);
              }}
            />
            <Stack gap={4} style={{ flex: 1 }}>
              <Text size="sm" c="dimmed">
                {t('documentsUi.drop')}
              </Text>
              <Group gap="xs">
                <Button size="xs" loading={uploading} onClick={() => pickRef.current?.click()}>
                  {t('documentsUi.choose')}
                </Button>
                <Text size="xs" c="dimmed">
                  {t('documentsUi.kinds')}
                </Text>
              </Group>
            </Stack>
          </Group>
          <input
            ref={pickRef}
            type="file"
            multiple
            hidden
            aria-label={t('documentsUi.choose')}
            data-testid="doc-file-input"
            accept="application/pdf,image/jpeg,image/png,image/tiff,.doc,.docx,.xls,.xlsx"
            onChange={(e) => {
              const files = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = '';
              void upload(files);
            }}
          />
          <input
            ref={replaceRef}
            type="file"
            hidden
            aria-label={t('documentsUi.replace')}
            data-testid="doc-replace-input"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file && replacing) void replace(replacing, file);
              setReplacing(null);
            }}
          />
        </Paper>
      )}
      {docs && shown.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="sm">
          {t('documentsUi.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table fz="sm" verticalSpacing={5} striped data-testid="documents">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('documentsUi.docType')}</Table.Th>
                <Table.Th>{t('documentsUi.fileName')}</Table.Th>
                <Table.Th ta="right">{t('documentsUi.size')}</Table.Th>
                <Table.Th>{t('documentsUi.addedAt')}</Table.Th>
                <Table.Th>{t('portfolio.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((d) => {
                const dim = d.superseded || !!d.removed;
                return (
                  <Table.Tr key={d.id} c={dim ? 'dimmed' : undefined}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{docTypeName(types, d.docType, locale)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" td={d.removed ? 'line-through' : undefined} style={{ wordBreak: 'break-all' }}>
                        {d.fileName}
                      </Text>
                      <Group gap={4} mt={2}>
                        <Badge size="xs" variant="light" color="gray" style={NO_SHRINK}>
                          {t('documentsUi.version', { n: versions.get(d.id) ?? 1 })}
                        </Badge>
                        {d.superseded && (
                          <Badge size="xs" variant="light" color="yellow" style={NO_SHRINK}>
                            {t('documentsUi.superseded')}
                          </Badge>
                        )}
                        {d.removed && (
                          <Badge size="xs" variant="light" color="red" style={NO_SHRINK}>
                            {t('documentsUi.removed')}
                          </Badge>
                        )}
                      </Group>
                      {d.removed && (
                        <Text size="xs" c="red.7">
                          {t('documentsUi.removedInfo', { by: d.removed.by, at: formatDateTime(d.removed.at, locale), reason: d.removed.reason })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatBytes(d.size)}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(d.createdAt, locale)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {d.createdBy}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" variant="light" onClick={() => setPreview(d)}>
                          {t('documentsUi.preview')}
                        </Button>
                        {canFile && !d.removed && !d.superseded && (
                          <>
                            <Button
                              size="compact-xs"
                              variant="default"
                              onClick={() => {
                                setReplacing(d);
                                replaceRef.current?.click();
                              }}
                            >
                              {t('documentsUi.replace')}
                            </Button>
                            <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRemoving(d)}>
                              {t('documentsUi.remove')}
                            </Button>
                          </>
                        )}
                        {canFile && d.removed && (
                          <Button size="compact-xs" variant="default" onClick={() => void restore(d)}>
                            {t('documentsUi.restore')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {preview && <DocumentPreview doc={preview} onClose={closePreview} />}
      {removing && (
        <RemoveModal
          doc={removing}
          onClose={() => setRemoving(null)}
          onDone={() => {
            setRemoving(null);
            notifySuccess(t('documentsUi.removedOk'));
            load();
            onChanged();
          }}
        />
      )}
    </Stack>
  );
}

function DocumentPreview({ doc, onClose }: { doc: DocumentView; onClose: () => void }) {
  const load = useCallback(() => invoke('documents.get', { documentId: doc.id }), [doc.id]);
  return <FilePreviewModal title={doc.fileName} load={load} onClose={onClose} testId="doc-preview" />;
}

function RemoveModal({ doc, onClose, onDone }: { doc: DocumentView; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useAlert();
  const [busy, setBusy] = useState(false);
  async function submit() {
    if (!reason.trim()) {
      setError(t('validation.required'));
      return;
    }
    setBusy(true);
    try {
      await invoke('documents.remove', { documentId: doc.id, reason: reason.trim() });
      onDone();
    } catch (e) {
      notifyError(e);
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={t('documentsUi.removeTitle', { name: doc.fileName })} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('documentsUi.removeHint')}
          </Text>
          <Textarea label={t('documentsUi.removeReason')} required maxLength={500} autosize minRows={2} data-autofocus value={reason} error={error} onChange={(e) => setReason(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('portfolio.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy}>
              {t('documentsUi.remove')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ChecklistPanel({ checklist }: { checklist: ChecklistView | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!checklist) return null;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4} size="h5">
          {t('documentsUi.checklist')}
        </Title>
        <Badge color={checklist.missing > 0 ? 'red' : 'green'} variant={checklist.missing > 0 ? 'filled' : 'light'} style={NO_SHRINK} data-testid="checklist-missing" data-missing={checklist.missing}>
          {checklist.missing > 0 ? t('documentsUi.missing', { count: checklist.missing }) : t('documentsUi.complete')}
        </Badge>
      </Group>
      <Table fz="sm" verticalSpacing={4} data-testid="checklist">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('documentsUi.stageCol')}</Table.Th>
            <Table.Th>{t('documentsUi.item')}</Table.Th>
            <Table.Th ta="right">{t('documentsUi.count')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {checklist.items.map((i) => {
            const short = i.present < i.required;
            return (
              <Table.Tr key={`${i.stage}:${i.docType}`} bg={short ? 'red.0' : undefined} data-missing={short ? 'true' : 'false'}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`documentsUi.stage.${i.stage}`)}</Table.Td>
                <Table.Td c={short ? 'red.8' : undefined} fw={short ? 600 : undefined}>
                  {locale === 'en' ? i.nameEn : i.nameZh}
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  <Group gap={6} justify="flex-end" wrap="nowrap">
                    <span>
                      {i.present}/{i.required}
                    </span>
                    <Badge size="xs" color={short ? 'red' : 'green'} variant="light" style={NO_SHRINK}>
                      {short ? t('documentsUi.itemMissing') : t('documentsUi.itemOk')}
                    </Badge>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
