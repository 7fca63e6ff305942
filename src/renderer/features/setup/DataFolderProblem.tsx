import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataProblem } from '../../../shared/ipc/app';
import { AuthLayout } from '../../components/AuthLayout';
import { PathField } from '../../components/PathField';
import { useAppInfo } from '../../lib/appInfo';
import { useMutation } from '@tanstack/react-query';
import { useIpcMutation } from '../../lib/data/useIpc';
import { IpcError } from '../../lib/ipc';
import { errorMessage, notifyError } from '../../lib/notify';

/**
 * The remembered data folder cannot be used (a removed USB drive, a moved folder, no write access). Nothing
 * is created or overwritten here: the user plugs the drive back in and retries, points the app at the folder
 * where the data now is, or, knowingly, starts a new store elsewhere.
 */
export function DataFolderProblem({ problem }: { problem: DataProblem }) {
  const { t } = useTranslation();
  const { refresh, setInfo } = useAppInfo();
  const [dir, setDir] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirmNew, setConfirmNew] = useState(false);
  const retry = useMutation({ mutationFn: refresh, onError: notifyError });
  const using = useIpcMutation('setup.useDataDir', {
    onSuccess: setInfo,
    onError: (e) => setError(e instanceof IpcError && e.issues.length > 0 ? e.issues[0].message : errorMessage(e)),
  });
  const forget = useIpcMutation('setup.forgetDataDir', { onSuccess: setInfo, onError: notifyError });
  const use = () => {
    setError(null);
    using.mutate({ dataDir: dir });
  };

  return (
    <AuthLayout title={t('dataProblem.title')} width={680}>
      <Stack gap="md">
        <Alert color={problem.kind === 'read-only' ? 'orange' : 'red'} title={t(`dataProblem.${problem.kind}.title`)} data-testid="data-problem" data-kind={problem.kind}>
          <Text size="sm">{t(`dataProblem.${problem.kind}.text`, { dir: problem.dir })}</Text>
          <Text size="sm" mt="xs" fw={600}>
            {t('dataProblem.untouched')}
          </Text>
        </Alert>
        <Group>
          <Button onClick={() => retry.mutate()} loading={retry.isPending}>
            {t('dataProblem.retry')}
          </Button>
        </Group>
        <Stack gap="xs">
          <PathField
            kind="folder"
            label={t('dataProblem.other')}
            description={t('dataProblem.otherHint')}
            pickTitle={t('dataProblem.other')}
            value={dir}
            onChange={(e) => setDir(e.currentTarget.value)}
            onPick={setDir}
            error={error}
            onKeyDown={(e) => e.key === 'Enter' && dir.trim() && use()}
          />
          <Group>
            <Button variant="default" disabled={!dir.trim()} loading={using.isPending} onClick={use}>
              {t('dataProblem.useOther')}
            </Button>
          </Group>
        </Stack>
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('dataProblem.newHint')}
          </Text>
          <Group>
            {!confirmNew ? (
              <Button variant="subtle" color="gray" onClick={() => setConfirmNew(true)}>
                {t('dataProblem.new')}
              </Button>
            ) : (
              <>
                <Text size="sm">{t('dataProblem.newConfirm')}</Text>
                <Button color="red" variant="light" loading={forget.isPending} onClick={() => forget.mutate({ confirmed: true })}>
                  {t('dataProblem.newYes')}
                </Button>
                <Button variant="default" onClick={() => setConfirmNew(false)}>
                  {t('app.cancel')}
                </Button>
              </>
            )}
          </Group>
        </Stack>
      </Stack>
    </AuthLayout>
  );
}
