import { Alert, Badge, Button, Checkbox, Grid, Group, Paper, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/ipc/app';
import type { ChecklistView, DocTypeView } from '../../../shared/ipc/archive';
import { contract } from '../../../shared/ipc/contract';
import { suggestDocType, type DocumentView } from '../../../shared/ipc/documents';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { FilePreviewModal } from '../../components/FilePreviewModal';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { formatDateTime } from '../../lib/format';
import { ModalForm } from '../../components/ModalForm';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { IpcError, invoke } from '../../lib/ipc';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useAlert } from '../../lib/useAlert';
import { FileLocationPanel } from '../archive/FileLocationPanel';
import { fileToBase64, formatBytes, formatMb, uploadProblem } from './files';
import { useUserNames } from '../../lib/userNames';

export function docTypeName(types: readonly DocTypeView[], code: string, locale: Locale): string {
  const d = types.find((x) => x.code === code);
  return d ? (locale === 'en' ? d.nameEn : d.nameZh) : code;
}

/** The loan's 档案 tab: its scanned papers, what the file still lacks, and where the paper file is. */
export function LoanDocumentsTab({ detail }: { detail: LoanDetail }) {
  const loanId = detail.loan.id;
  const types = useIpcQuery('archive.docTypes', {}).data ?? [];
  const checklist = useIpcQuery('archive.checklist', { loanId }).data ?? null;
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <DocumentsPanel loanId={loanId} types={types} />
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

/** A picked file waiting for its type: suggested from its name, or left for the user to choose. */
interface Staged {
  key: number;
  file: File;
  docType: string | null;
  suggested: boolean;
}

let stagedKey = 0;

/**
 * Picked or dropped files are not filed at once: each is listed with its type (none unless the name suggests
 * one, marked as such), and uploaded when the user has confirmed every type. Empty files, HEIC photos and files
 * over the limit in the settings are refused here, by name.
 */
function UploadPanel({ loanId, types }: { loanId: number; types: DocTypeView[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const maxMb = useIpcQuery('settings.limits', {}).data?.attachmentMaxMb ?? null;
  const [staged, setStaged] = useState<Staged[]>([]);
  const [missingType, setMissingType] = useState(false);
  const [problems, setProblems] = useAlert();
  const [dragging, setDragging] = useState(false);
  const pickRef = useRef<HTMLInputElement>(null);
  const add = useIpcMutation('documents.add');
  const active = types.filter((d) => d.active);
  const options = active.map((d) => ({ value: d.code, label: locale === 'en' ? d.nameEn : d.nameZh }));

  async function stage(files: File[]) {
    if (files.length === 0 || maxMb === null) return;
    const refused: string[] = [];
    const next: Staged[] = [];
    for (const file of files) {
      const problem = await uploadProblem(file, maxMb, t);
      if (problem) refused.push(problem);
      else {
        const suggestion = suggestDocType(file.name, active);
        next.push({ key: ++stagedKey, file, docType: suggestion, suggested: suggestion !== null });
      }
    }
    setProblems(refused.length > 0 ? refused.join('\n') : null);
    setStaged((s) => [...s, ...next]);
  }

  async function uploadAll() {
    if (staged.some((s) => !s.docType)) {
      setMissingType(true);
      return;
    }
    const refused: string[] = [];
    for (const s of staged) {
      try {
        const d = await add.mutateAsync({ loanId, docType: s.docType!, fileName: s.file.name.slice(0, 200), base64: await fileToBase64(s.file) });
        notifySuccess(t('documentsUi.uploaded', { name: d.fileName }));
        setStaged((all) => all.filter((x) => x.key !== s.key));
      } catch (e) {
        refused.push(e instanceof IpcError && e.issues.length > 0 ? e.issues.map((i) => i.message).join(' ') : errorMessage(e));
      }
    }
    setProblems(refused.length > 0 ? refused.join('\n') : null);
    setMissingType(false);
  }

  return (
    <Paper
      withBorder
      p="md"
      data-testid="doc-drop"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e: DragEvent<HTMLDivElement>) => {
        e.preventDefault();
        setDragging(false);
        void stage([...e.dataTransfer.files]);
      }}
      style={{ borderStyle: 'dashed', borderWidth: 2, borderColor: dragging ? 'var(--mantine-color-blue-5)' : undefined }}
      bg={dragging ? 'blue.0' : 'gray.0'}
    >
      <Stack gap="sm">
        <Group gap="sm" wrap="nowrap" align="center">
          <Button size="xs" style={NO_SHRINK} onClick={() => pickRef.current?.click()} disabled={maxMb === null || add.isPending}>
            {t('documentsUi.choose')}
          </Button>
          <Stack gap={0}>
            <Text size="sm" c="dimmed">
              {t('documentsUi.drop')}
            </Text>
            <Text size="xs" c="dimmed" data-testid="doc-upload-hint">
              {maxMb !== null && t('documentsUi.kinds', { mb: maxMb })}
            </Text>
          </Stack>
        </Group>
        {problems && (
          <Alert color="red" variant="light" data-testid="doc-upload-problems" style={{ whiteSpace: 'pre-line' }}>
            {problems}
          </Alert>
        )}
        {staged.length > 0 && (
          <Stack gap="xs" data-testid="doc-staged">
            <Text size="sm" fw={600}>
              {t('documentsUi.staged')}
            </Text>
            {staged.map((s) => (
              <Group key={s.key} gap="sm" wrap="nowrap" align="flex-start" data-testid="doc-staged-row" data-file={s.file.name}>
                <Select
                  aria-label={t('documentsUi.typeFor', { name: s.file.name })}
                  placeholder={t('documentsUi.chooseType')}
                  w={230}
                  size="xs"
                  searchable
                  data={options}
                  value={s.docType}
                  error={missingType && !s.docType ? t('documentsUi.chooseType') : undefined}
                  onChange={(v) => setStaged((all) => all.map((x) => (x.key === s.key ? { ...x, docType: v, suggested: false } : x)))}
                />
                <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                  <Text size="sm" style={{ wordBreak: 'break-all' }}>
                    {s.file.name}
                  </Text>
                  <Group gap={6}>
                    <Text size="xs" c="dimmed">
                      {formatMb(s.file.size)}
                    </Text>
                    {s.suggested && (
                      <Badge size="xs" variant="light" color="blue" style={NO_SHRINK} data-testid="doc-suggested">
                        {t('documentsUi.suggested')}
                      </Badge>
                    )}
                  </Group>
                </Stack>
                <Button size="compact-xs" variant="subtle" color="gray" disabled={add.isPending} onClick={() => setStaged((all) => all.filter((x) => x.key !== s.key))}>
                  {t('documentsUi.unstage')}
                </Button>
              </Group>
            ))}
            <Group justify="flex-end" gap="xs">
              <Button size="xs" variant="default" disabled={add.isPending} onClick={() => setStaged([])}>
                {t('documentsUi.cancelStaged')}
              </Button>
              <Button size="xs" loading={add.isPending} onClick={() => void uploadAll()} data-testid="doc-upload">
                {t('documentsUi.uploadStaged', { count: staged.length })}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
      <input
        ref={pickRef}
        type="file"
        multiple
        hidden
        aria-label={t('documentsUi.choose')}
        data-testid="doc-file-input"
        accept="application/pdf,image/jpeg,image/png,image/tiff,.doc,.docx,.xls,.xlsx,.heic,.heif"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = '';
          void stage(files);
        }}
      />
    </Paper>
  );
}

function DocumentsPanel({ loanId, types }: { loanId: number; types: DocTypeView[] }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  const canWrite = useCan('portfolio.write');
  const canManage = useCan('archive.manage');
  const canFile = canWrite || canManage;
  const [all, setAll] = useState(false);
  const docs = useIpcQuery('documents.list', { loanId, includeRemoved: all }).data ?? null;
  const [preview, setPreview] = useState<DocumentView | null>(null);
  const closePreview = useCallback(() => setPreview(null), []);
  const [removing, setRemoving] = useState<DocumentView | null>(null);
  const replaceRef = useRef<HTMLInputElement>(null);
  const [replacing, setReplacing] = useState<DocumentView | null>(null);
  const replaceDoc = useIpcMutation('documents.replace');
  const restoreDoc = useIpcMutation('documents.restore');
  const maxMb = useIpcQuery('settings.limits', {}).data?.attachmentMaxMb ?? null;

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

  async function replace(doc: DocumentView, file: File) {
    try {
      const problem = maxMb === null ? null : await uploadProblem(file, maxMb, t);
      if (problem) return notifyError(new IpcError('VALIDATION', problem));
      await replaceDoc.mutateAsync({ documentId: doc.id, fileName: file.name.slice(0, 200), base64: await fileToBase64(file) });
      notifySuccess(t('documentsUi.replaced'));
    } catch (e) {
      notifyError(e);
    }
  }

  async function restore(doc: DocumentView) {
    try {
      await restoreDoc.mutateAsync({ documentId: doc.id, reason: '' });
      notifySuccess(t('documentsUi.restoredOk'));
    } catch (e) {
      notifyError(e);
    }
  }

  const shown = (docs ?? []).filter((d) => all || !d.superseded);
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={4} size="h5">
          {t('documentsUi.files')}
        </Title>
        <Checkbox size="xs" label={t('documentsUi.showAll')} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
      </Group>
      {canFile && <UploadPanel loanId={loanId} types={types} />}
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
                          {t('documentsUi.removedInfo', { by: who(d.removed.by), at: formatDateTime(d.removed.at, locale), reason: d.removed.reason })}
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
                        {who(d.createdBy)}
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

const removeSchema = contract['documents.remove'];

function RemoveModal({ doc, onClose, onDone }: { doc: DocumentView; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ reason: string }, typeof removeSchema>(removeSchema, { initialValues: { reason: '' }, fixed: { documentId: doc.id } });
  const remove = useIpcMutation('documents.remove');
  return (
    <ModalForm
      title={t('documentsUi.removeTitle', { name: doc.fileName })}
      onClose={onClose}
      form={form}
      busy={remove.isPending}
      submitLabel={t('documentsUi.remove')}
      submitColor="red"
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await remove.mutateAsync(form.toInput()!);
        onDone();
      }}
    >
      <Text size="sm" c="dimmed">
        {t('documentsUi.removeHint')}
      </Text>
      <Textarea label={t('documentsUi.removeReason')} required maxLength={500} autosize minRows={2} data-autofocus {...form.getInputProps('reason')} />
    </ModalForm>
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
