import { Button } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ExportedFile } from '../../shared/ipc/listExport';
import { downloadBase64 } from '../lib/download';
import { notifyError } from '../lib/notify';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 导出 Excel on a list page: asks main for the list as the page shows it (its filters) and saves the workbook. */
export function ExportXlsxButton({ run, disabled, testId, size }: { run: () => Promise<ExportedFile>; disabled?: boolean; testId?: string; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  // An export reads: it changes no cached answer, so it is a plain call with its pending state.
  const exporting = useMutation({ mutationFn: run, onSuccess: (file) => downloadBase64(file.base64, file.fileName, XLSX), onError: notifyError });
  return (
    <Button variant="light" size={size} loading={exporting.isPending} disabled={disabled} data-testid={testId ?? 'export-xlsx'} onClick={() => exporting.mutate()}>
      {t('listExport.button')}
    </Button>
  );
}
