import { Alert, Button, Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppInfo } from '../../lib/appInfo';
import { downloadBase64, downloadText } from '../../lib/download';
import { notifyError } from '../../lib/notify';
import { invoke } from '../../lib/ipc';

interface Props {
  /** Null after a reload: main no longer hands the key out, only the PDF. */
  recoveryKey: string | null;
  institution: string;
  dataDir: string;
}

export function RecoveryKeyStep({ recoveryKey, institution, dataDir }: Props) {
  const { t } = useTranslation();
  const { setInfo } = useAppInfo();
  const [stored, setStored] = useState(false);
  const [busy, setBusy] = useState<'pdf' | 'finish' | null>(null);

  async function printPdf() {
    setBusy('pdf');
    try {
      const pdf = await invoke('setup.recoveryKeyPdf');
      downloadBase64(pdf.base64, pdf.fileName, 'application/pdf');
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(null);
    }
  }

  function saveFile() {
    if (!recoveryKey) return;
    downloadText(t('setup.keyFileText', { institution, dataDir, key: recoveryKey }), t('setup.keyFileName'));
  }

  async function finish() {
    setBusy('finish');
    try {
      setInfo(await invoke('setup.confirmRecoveryKey', { confirmed: true }));
    } catch (e) {
      notifyError(e);
      setBusy(null);
    }
  }

  return (
    <Stack gap="md" mt="md">
      <Title order={3} size="h4">
        {t('setup.recoveryTitle')}
      </Title>
      <Alert color="orange" variant="light">
        {t('setup.recoveryIntro')}
      </Alert>
      {recoveryKey ? <RecoveryKey value={recoveryKey} /> : <Alert color="gray">{t('setup.recoveryKeyHidden')}</Alert>}
      <Group>
        <Button onClick={() => void printPdf()} loading={busy === 'pdf'}>
          {t('setup.printPdf')}
        </Button>
        {recoveryKey && (
          <Button variant="default" onClick={saveFile}>
            {t('setup.saveFile')}
          </Button>
        )}
      </Group>
      <Checkbox label={t('setup.confirmStored')} checked={stored} onChange={(e) => setStored(e.currentTarget.checked)} />
      <Group justify="flex-end">
        <Button onClick={() => void finish()} disabled={!stored} loading={busy === 'finish'}>
          {t('setup.finish')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Large and monospaced; lines may break only after a group's dash. */
function RecoveryKey({ value }: { value: string }) {
  const groups = value.split('-');
  return (
    <Paper withBorder bg="gray.0" px="lg" py="md">
      <Text ff="monospace" fz={26} fw={600} ta="center" lh={1.6} style={{ letterSpacing: '0.06em', wordBreak: 'keep-all' }} data-testid="recovery-key">
        {groups.map((g, i) => (
          <Fragment key={i}>
            {i > 0 && (
              <>
                -<wbr />
              </>
            )}
            <span style={{ whiteSpace: 'nowrap' }}>{g}</span>
          </Fragment>
        ))}
      </Text>
    </Paper>
  );
}
