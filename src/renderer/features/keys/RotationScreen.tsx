import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { notifyError } from '../../lib/notify';
import { RecoveryKeyPanel } from './RecoveryKeyPanel';

/**
 * An administrator while a rotation of the data key is under way or unfinished: its progress, a resume after an
 * interruption, and at the end the new recovery key, which must be taken before the workspace opens again.
 */
export function RotationScreen() {
  const { t } = useTranslation();
  const { info, setInfo, refresh } = useAppInfo();
  // Asked every half second while the rotation runs; a write below refetches it (its feature's reads).
  const status = useIpcQuery('keys.status', {}, { refetchInterval: (q) => (q.state.data?.rotation?.running ? 500 : false) }).data ?? null;
  const failed = async (e: unknown) => {
    notifyError(e);
    // A rotation that stopped after the database changed key ends the session: sign in again to finish.
    await refresh();
  };
  const showKey = useIpcMutation('keys.newRecoveryKey', { onError: failed });
  const resume = useIpcMutation('keys.rotate', { onError: failed });

  const r = status?.rotation;
  const confirming = !r || r.phase === 'confirm';
  const title = confirming ? t('keysUi.doneTitle') : t('keysUi.unfinishedTitle');
  return (
    <AuthLayout title={title} width={680}>
      {!status ? null : confirming ? (
        status.pendingRecoveryKey ? (
          <Stack gap="md">
            <Text size="sm">{t(info?.server ? 'keysUi.doneIntroServer' : 'keysUi.doneIntro')}</Text>
            <RecoveryKeyPanel recoveryKey={status.pendingRecoveryKey} onConfirmed={setInfo} />
          </Stack>
        ) : (
          <Stack gap="md">
            <Alert color="orange" variant="light">
              {t('keysUi.needKeyIntro')}
            </Alert>
            <Group>
              <Button loading={showKey.isPending} onClick={() => showKey.mutate({ confirmed: true })}>
                {t('keysUi.showKey')}
              </Button>
            </Group>
          </Stack>
        )
      ) : (
        <Stack gap="md">
          {r.running ? (
            <>
              <Text size="sm" data-testid="rotation-progress">
                {r.phase === 'files' && r.total > 0 ? t('keysUi.progressFiles', { done: r.done, total: r.total }) : t('keysUi.progressDatabase')}
              </Text>
              <Progress value={r.total > 0 ? (100 * r.done) / r.total : 100} animated />
            </>
          ) : (
            <>
              <Text size="sm">{t('keysUi.unfinishedIntro')}</Text>
              {r.error && (
                <Alert color="red" variant="light">
                  {t('keysUi.failed', { error: r.error })}
                </Alert>
              )}
              <Group>
                <Button loading={resume.isPending} onClick={() => resume.mutate({ confirmed: true, resetLegacyUsers: false })}>
                  {t('keysUi.resume')}
                </Button>
              </Group>
            </>
          )}
          {r.damaged.length > 0 && (
            <Alert color="orange" variant="light">
              {t('keysUi.damaged', { count: r.damaged.length, files: r.damaged.join(', ') })}
            </Alert>
          )}
        </Stack>
      )}
    </AuthLayout>
  );
}
