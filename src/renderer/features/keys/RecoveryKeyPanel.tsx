import { Alert, Button, Checkbox, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo } from '../../../shared/ipc/app';
import { useAppInfo } from '../../lib/appInfo';
import { downloadBase64, downloadText } from '../../lib/download';
import { useIpcCall, useIpcMutation } from '../../lib/data/useIpc';
import { notifyError, notifySuccess } from '../../lib/notify';
import { keyFileText, RecoveryKey } from '../setup/RecoveryKeyStep';

/**
 * A new recovery key (after a rotation, or replacing the current one), as the setup wizard shows one: the key,
 * the one-page PDF, a text file, and the confirmation that it is stored, which is what puts it into effect.
 */
export function RecoveryKeyPanel({ recoveryKey, onConfirmed }: { recoveryKey: string; onConfirmed: (info: AppInfo) => void }) {
  const { t } = useTranslation();
  const { info } = useAppInfo();
  const [stored, setStored] = useState(false);
  const pdf = useIpcCall('keys.recoveryKeyPdf', { onSuccess: (f) => downloadBase64(f.base64, f.fileName, 'application/pdf'), onError: notifyError });
  const confirm = useIpcMutation('keys.confirmRecoveryKey', {
    onSuccess: (next) => {
      notifySuccess(t('keysUi.confirmed'));
      onConfirmed(next);
    },
    onError: notifyError,
  });

  return (
    <Stack gap="md">
      <Alert color="orange" variant="light">
        {t('setup.recoveryIntro')}
      </Alert>
      <RecoveryKey value={recoveryKey} />
      <Group>
        <Button onClick={() => pdf.mutate({})} loading={pdf.isPending}>
          {t('setup.printPdf')}
        </Button>
        <Button variant="default" onClick={() => downloadText(keyFileText(t, info, recoveryKey), t('setup.keyFileName'))}>
          {t('setup.saveFile')}
        </Button>
      </Group>
      <Checkbox label={t('setup.confirmStored')} checked={stored} onChange={(e) => setStored(e.currentTarget.checked)} />
      <Group justify="flex-end">
        <Button onClick={() => confirm.mutate({ confirmed: true })} disabled={!stored} loading={confirm.isPending}>
          {t('keysUi.finish')}
        </Button>
      </Group>
    </Stack>
  );
}
