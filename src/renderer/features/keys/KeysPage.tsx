import { Alert, Button, Checkbox, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeysStatus } from '../../../shared/ipc/keys';
import { PageHeader } from '../../components/PageHeader';
import { useAppInfo } from '../../lib/appInfo';
import { formatDate } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';
import { RecoveryKeyPanel } from './RecoveryKeyPanel';

/** The administrator's keys page: the recovery key (replace it) and the data key (rotate it). */
export function KeysPage() {
  const { t } = useTranslation();
  const { info, refresh } = useAppInfo();
  const [status, setStatus] = useState<KeysStatus | null>(null);
  const [asking, setAsking] = useState<'recovery' | 'rotate' | null>(null);
  const [resetLegacy, setResetLegacy] = useState(false);
  const [busy, setBusy] = useState(false);
  const [newKey, setNewKey] = useState<string | null>(null);

  const load = useCallback(() => {
    invoke('keys.status')
      .then((s) => {
        setStatus(s);
        setNewKey(s.pendingRecoveryKey);
      })
      .catch(notifyError);
  }, []);
  useEffect(load, [load]);

  async function replaceRecoveryKey() {
    setBusy(true);
    try {
      setNewKey((await invoke('keys.newRecoveryKey', { confirmed: true })).recoveryKey);
      setAsking(null);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  }

  async function rotate() {
    setBusy(true);
    try {
      await invoke('keys.rotate', { confirmed: true, resetLegacyUsers: resetLegacy });
      setAsking(null);
      // The app moves to the rotation screen, which shows the progress and then the new recovery key.
      await refresh();
    } catch (e) {
      notifyError(e);
      setBusy(false);
    }
  }

  if (!status) return <PageHeader title={t('keysUi.title')} />;
  return (
    <Stack gap="md">
      <PageHeader title={t('keysUi.title')} />
      <Text size="sm" c="dimmed">
        {t('keysUi.intro')}
      </Text>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('keysUi.recoveryTitle')}
          </Title>
          {newKey ? (
            <RecoveryKeyPanel
              recoveryKey={newKey}
              onConfirmed={() => {
                setNewKey(null);
                load();
              }}
            />
          ) : (
            <>
              <Alert color={status.recoveryKind === 'legacy' ? 'orange' : 'blue'} variant="light" data-testid="recovery-kind">
                {status.recoveryKind === 'legacy' ? t('keysUi.recoveryLegacy') : t('keysUi.recoveryWrapped', { id: status.recoveryKeyId ?? '' })}
              </Alert>
              <Group>
                <Button variant="default" onClick={() => setAsking('recovery')}>
                  {t('keysUi.newRecoveryKey')}
                </Button>
              </Group>
            </>
          )}
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('keysUi.rotateTitle')}
          </Title>
          <Text size="sm">{t('keysUi.rotateIntro')}</Text>
          <Text size="sm" c="dimmed" data-testid="keys-epoch">
            {status.lastRotation ? t('keysUi.epoch', { count: status.epoch, at: formatDate(status.lastRotation.at, info.locale) }) : t('keysUi.neverRotated')}
          </Text>
          {status.legacyUsers.length > 0 && (
            <Alert color="orange" variant="light">
              {t('keysUi.legacyUsers', { users: status.legacyUsers.join(', ') })}
            </Alert>
          )}
          {status.usersWithoutKey.length > 0 && (
            <Alert color="red" variant="light">
              {t('keysUi.usersWithoutKey', { users: status.usersWithoutKey.join(', ') })}
            </Alert>
          )}
          <Group>
            <Button color="red" variant="light" onClick={() => setAsking('rotate')} disabled={!!newKey}>
              {t('keysUi.rotate')}
            </Button>
          </Group>
        </Stack>
      </Paper>

      <Modal opened={asking !== null} onClose={() => setAsking(null)} title={asking === 'rotate' ? t('keysUi.rotateTitle') : t('keysUi.newRecoveryKey')} centered>
        <Stack gap="md">
          <Text size="sm">{asking === 'rotate' ? t('keysUi.rotateConfirm') : t('keysUi.newRecoveryConfirm')}</Text>
          {asking === 'rotate' && status.legacyUsers.length > 0 && (
            <Checkbox label={t('keysUi.resetLegacy')} checked={resetLegacy} onChange={(e) => setResetLegacy(e.currentTarget.checked)} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(null)}>
              {t('keysUi.cancel')}
            </Button>
            <Button color={asking === 'rotate' ? 'red' : undefined} loading={busy} onClick={() => void (asking === 'rotate' ? rotate() : replaceRecoveryKey())}>
              {asking === 'rotate' ? t('keysUi.rotate') : t('keysUi.newRecoveryKey')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
