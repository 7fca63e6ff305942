import { Alert, Button, Checkbox, Group, Loader, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useAppInfo } from '../../lib/appInfo';
import { downloadBase64, downloadText } from '../../lib/download';
import { notifyError } from '../../lib/notify';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { contract } from '../../../shared/ipc/contract';
import { useIpcCall } from '../../lib/data/useIpc';
import { invoke } from '../../lib/ipc';

/** The recovery key as a text file: the institution, where its data is (a folder or the branch server), the key. */
export function keyFileText(t: TFunction, where: { institution: string | null; dataDir: string | null; server: string | null }, key: string): string {
  const institution = where.institution ?? '';
  return where.server ? t('setup.keyFileTextServer', { institution, server: where.server, key }) : t('setup.keyFileText', { institution, dataDir: where.dataDir ?? '', key });
}

interface Props {
  /** Null after a reload: main no longer hands the key out, only the PDF. */
  recoveryKey: string | null;
  institution: string;
  dataDir: string | null;
  /** The branch server (host:port/database) when the store is there. */
  server: string | null;
  /** The administrator's password typed in step 2, given to the demo staff; null after a reload (no demo offered). */
  adminPassword: string | null;
}

export function RecoveryKeyStep({ recoveryKey, institution, dataDir, server, adminPassword }: Props) {
  const { t } = useTranslation();
  const { setInfo } = useAppInfo();
  const [stored, setStored] = useState(false);
  const [demo, setDemo] = useState(false);
  const [demoBorrowers, setDemoBorrowers] = useState<number | string>(200);
  const demoCount = typeof demoBorrowers === 'number' ? demoBorrowers : Number(demoBorrowers);
  // The contract's own rule for how many borrowers a demo may have.
  const demoValid = contract['demo.generate'].shape.borrowers.safeParse(demoCount).success;
  const [generating, setGenerating] = useState(false);

  const pdf = useIpcCall('setup.recoveryKeyPdf', { onSuccess: (f) => downloadBase64(f.base64, f.fileName, 'application/pdf'), onError: notifyError });

  function saveFile() {
    if (!recoveryKey) return;
    downloadText(keyFileText(t, { institution, dataDir, server }, recoveryKey), t('setup.keyFileName'));
  }

  // Confirming the key signs the administrator in; the demo portfolio (if asked) is generated before the
  // workspace opens. Plain calls: the cache belongs to the workspace, which does not exist yet.
  const finish = useMutation({
    mutationFn: async () => {
      const info = await invoke('setup.confirmRecoveryKey', { confirmed: true });
      if (demo && adminPassword) {
        setGenerating(true);
        try {
          const out = await invoke('demo.generate', { borrowers: demoCount, staffPassword: adminPassword });
          notifications.show({ color: 'green', autoClose: 30_000, message: t('demo.done', { borrowers: out.borrowers, loans: out.loans, factoring: out.factoring }) });
        } catch (e) {
          notifyError(e);
        }
      }
      setInfo(info);
    },
    onError: notifyError,
  });
  const busy = pdf.isPending || finish.isPending;

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
        <Button onClick={() => pdf.mutate({})} loading={pdf.isPending}>
          {t('setup.printPdf')}
        </Button>
        {recoveryKey && (
          <Button variant="default" onClick={saveFile}>
            {t('setup.saveFile')}
          </Button>
        )}
      </Group>
      <Checkbox label={t('setup.confirmStored')} checked={stored} onChange={(e) => setStored(e.currentTarget.checked)} />
      {adminPassword && (
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Checkbox label={t('demo.generate')} description={t('demo.generateHint')} checked={demo} disabled={busy} onChange={(e) => setDemo(e.currentTarget.checked)} />
            {demo && (
              <>
                <NumberInput
                  label={t('demo.borrowers')}
                  w={220}
                  min={1}
                  max={100_000}
                  step={100}
                  allowDecimal={false}
                  allowNegative={false}
                  thousandSeparator=","
                  value={demoBorrowers}
                  onChange={setDemoBorrowers}
                  disabled={busy}
                  error={demoValid ? undefined : t('portfolio.number', { min: 1, max: 100_000 })}
                />
                <Alert color="blue" variant="light" py={6}>
                  {t('demo.staffNotice')}
                </Alert>
              </>
            )}
          </Stack>
        </Paper>
      )}
      <Group justify="flex-end">
        {generating && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              {t('demo.generating')}
            </Text>
          </Group>
        )}
        <Button onClick={() => finish.mutate()} disabled={!stored || (demo && !demoValid)} loading={finish.isPending}>
          {t('setup.finish')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Large and monospaced; lines may break only after a group's dash. */
export function RecoveryKey({ value }: { value: string }) {
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
