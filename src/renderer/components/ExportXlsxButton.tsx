import { Button } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportedFile } from '../../shared/ipc/listExport';
import { downloadBase64 } from '../lib/download';
import { notifyError } from '../lib/notify';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 导出 Excel on a list page: asks main for the list as the page shows it (its filters) and saves the workbook. */
export function ExportXlsxButton({ run, disabled, testId, size }: { run: () => Promise<ExportedFile>; disabled?: boolean; testId?: string; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  async function go() {
    setBusy(true);
    try {
      const file = await run();
      downloadBase64(file.base64, file.fileName, XLSX);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button variant="light" size={size} loading={busy} disabled={disabled} data-testid={testId ?? 'export-xlsx'} onClick={() => void go()}>
      {t('listExport.button')}
    </Button>
  );
}
