import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadBase64 } from '../lib/download';
import { notifyError } from '../lib/notify';
import { base64ToBlob } from '../features/documents/files';
import { PdfViewer } from './pdf/PdfViewer';

export interface PreviewFile {
  fileName: string;
  mime: string;
  base64: string;
}

/** An image the browser can show (it cannot show TIFF). */
export const isPreviewImage = (mime: string) => mime.startsWith('image/') && mime !== 'image/tiff';

/** The file `load` fetches, with a blob URL of its bytes that lives while the caller is mounted. Keep `load` and `onError` stable. */
export function useFileUrl(load: () => Promise<PreviewFile>, onError: (e: unknown) => void): (PreviewFile & { url: string }) | null {
  const [file, setFile] = useState<(PreviewFile & { url: string }) | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let stale = false;
    load()
      .then((f) => {
        if (stale) return;
        url = URL.createObjectURL(base64ToBlob(f.base64, f.mime));
        setFile({ ...f, url });
      })
      .catch(onError);
    return () => {
      stale = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [load, onError]);
  return file;
}

/** Shows a PDF (drawn by pdf.js) or image in the app (TIFF and Office files only download); `load` fetches the file once. */
export function FilePreviewModal({ title, load, onClose, testId = 'file-preview' }: { title: string; load: () => Promise<PreviewFile>; onClose: () => void; testId?: string }) {
  const { t } = useTranslation();
  const fail = useCallback(
    (e: unknown) => {
      notifyError(e);
      onClose();
    },
    [onClose],
  );
  const file = useFileUrl(load, fail);
  const image = file && isPreviewImage(file.mime);
  const pdf = file?.mime === 'application/pdf';
  return (
    <Modal opened onClose={onClose} title={title} size="80%" centered>
      <Stack gap="sm" data-testid={testId} data-mime={file?.mime ?? ''}>
        {file && image && <img src={file.url} alt={title} style={{ maxWidth: '100%', maxHeight: '70vh', objectFit: 'contain', alignSelf: 'center' }} />}
        {file && pdf && <PdfViewer base64={file.base64} title={title} height="70vh" />}
        {file && !image && !pdf && (
          <Text c="dimmed" size="sm" ta="center" py="lg">
            {t('documentsUi.noPreview')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" disabled={!file} onClick={() => file && downloadBase64(file.base64, file.fileName, file.mime)}>
            {t('documentsUi.download')}
          </Button>
          <Button onClick={onClose}>{t('documentsUi.close')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
