import { Alert, Button, Card, FileButton, Group, Image, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportAttachmentView, ReportView } from '../../../shared/ipc/reports';
import { FilePreviewModal, isPreviewImage, useFileUrl, type PreviewFile } from '../../components/FilePreviewModal';
import { downloadBase64 } from '../../lib/download';
import { useMutation } from '@tanstack/react-query';
import { IpcError, invoke } from '../../lib/ipc';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useAlert } from '../../lib/useAlert';
import { formatBytes, uploadProblem } from '../documents/files';

const ACCEPT = 'image/*,application/pdf';

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** Photos and scans of the visit: thumbnails, added while the report is the author's draft. */
export function Attachments({ report, editable, onChange }: { report: ReportView | null; editable: boolean; onChange: (r: ReportView) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useAlert();
  const attach = useIpcMutation('reports.attach');
  const detaching = useIpcMutation('reports.detach');
  // The limit main applies (settings, in MB); nothing is sent before it is known.
  const maxMb = useIpcQuery('settings.limits', {}).data?.attachmentMaxMb ?? null;

  async function uploadAll(files: File[]) {
    if (!report || files.length === 0 || maxMb === null) return;
    setError(null);
    const problems: string[] = [];
    let latest: ReportView | null = null;
    for (const file of files) {
      const problem = await uploadProblem(file, maxMb, t);
      if (problem) {
        problems.push(problem);
        continue;
      }
      if (!(file.type.startsWith('image/') || file.type === 'application/pdf')) {
        problems.push(t('reports.wrongType', { name: file.name }));
        continue;
      }
      try {
        latest = await attach.mutateAsync({ reportId: report.id, fileName: file.name.slice(0, 200), base64: await readBase64(file), caption: '' });
        notifySuccess(t('reports.attached', { name: file.name }));
      } catch (e) {
        // Main checks the bytes themselves: an empty file, one over the limit, or one that is not an image or PDF.
        if (e instanceof IpcError && e.issues.length > 0) problems.push(...e.issues.map((i) => i.message));
        else problems.push(errorMessage(e));
      }
    }
    if (latest) onChange(latest);
    if (problems.length > 0) setError(problems.join('\n'));
  }
  // One upload of several files, each checked and sent in turn: pending until the last is done.
  const upload = useMutation({ mutationFn: uploadAll, onError: notifyError });

  async function detach(a: ReportAttachmentView) {
    if (!report) return;
    try {
      onChange(await detaching.mutateAsync({ reportId: report.id, documentId: a.documentId }));
      notifySuccess(t('reports.detached', { name: a.fileName }));
    } catch (e) {
      notifyError(e);
    }
  }

  if (!report && !editable) return null;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t('reports.section.attachments')}
          </Title>
          {editable && report && (
            <FileButton onChange={(f) => upload.mutate(f)} accept={ACCEPT} multiple inputProps={{ 'data-testid': 'attach-input' } as object}>
              {(props) => (
                <Button variant="light" loading={upload.isPending} {...props}>
                  {t('reports.attach')}
                </Button>
              )}
            </FileButton>
          )}
        </Group>
        {editable && (
          <Text size="xs" c="dimmed">
            {report ? (maxMb !== null && t('reports.attachHint', { mb: maxMb })) : t('reports.attachFirst')}
          </Text>
        )}
        {error && (
          <Alert color="red" variant="light" data-testid="attach-error" style={{ whiteSpace: 'pre-line' }} withCloseButton onClose={() => setError(null)}>
            {error}
          </Alert>
        )}
        {report && report.attachments.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('reports.noAttachments')}
          </Text>
        )}
        {report && report.attachments.length > 0 && (
          <Group gap="sm" align="stretch" data-testid="attachments">
            {report.attachments.map((a) => (
              <Thumb key={a.documentId} attachment={a} onRemove={editable ? () => void detach(a) : null} />
            ))}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** One file: an image is shown from a blob URL of its bytes; a PDF as a card that downloads it. */
function Thumb({ attachment: a, onRemove }: { attachment: ReportAttachmentView; onRemove: (() => void) | null }) {
  const { t } = useTranslation();
  // One fetch serves the thumbnail and the enlarged view.
  const load = useMemo(() => {
    let once: Promise<PreviewFile> | null = null;
    return () => (once ??= invoke('documents.get', { documentId: a.documentId }));
  }, [a.documentId]);
  const file = useFileUrl(load, notifyError);
  const [zoom, setZoom] = useState(false);
  const closeZoom = useCallback(() => setZoom(false), []);
  const image = isPreviewImage(a.mime);

  const open = () => {
    if (image) setZoom(true);
    else if (file) downloadBase64(file.base64, a.fileName, a.mime);
  };
  return (
    <Card withBorder padding="xs" w={180} data-testid="attachment">
      <Card.Section>
        {image && file ? (
          <Image src={file.url} alt={a.fileName} h={120} fit="cover" style={{ cursor: 'zoom-in' }} onClick={open} />
        ) : (
          <Stack h={120} align="center" justify="center" bg="gray.1" style={{ cursor: file ? 'pointer' : undefined }} onClick={open}>
            <Text fw={700} c="red.8">
              {a.mime === 'application/pdf' ? 'PDF' : a.mime.split('/')[1]?.toUpperCase()}
            </Text>
          </Stack>
        )}
      </Card.Section>
      <Text size="xs" mt={6} truncate="end" title={a.fileName}>
        {a.fileName}
      </Text>
      <Text size="xs" c="dimmed">
        {formatBytes(a.size)}
      </Text>
      <Group gap={4} mt={4}>
        <Button size="compact-xs" variant="subtle" disabled={!file} onClick={open}>
          {t('reports.openFile')}
        </Button>
        {onRemove && (
          <Button size="compact-xs" variant="subtle" color="red" onClick={onRemove}>
            {t('reports.detach')}
          </Button>
        )}
      </Group>
      {zoom && file && <FilePreviewModal title={a.fileName} load={load} onClose={closeZoom} />}
    </Card>
  );
}
