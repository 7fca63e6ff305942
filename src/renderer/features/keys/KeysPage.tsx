import { Alert, Button, Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/ipc/contract';
import { ModalForm } from '../../components/ModalForm';
import { PageHeader } from '../../components/PageHeader';
import { useAppInfo } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDate } from '../../lib/format';
import { RecoveryKeyPanel } from './RecoveryKeyPanel';

/** The administrator's keys page: the recovery key (replace it) and the data key (rotate it). */
export function KeysPage() {
  const { t } = useTranslation();
  const { info, refresh } = useAppInfo();
  const status = useIpcQuery('keys.status', {}).data ?? null;
  const [asking, setAsking] = useState<'recovery' | 'rotate' | null>(null);
  // A key just made is shown at once; the status (refetched after the write) holds it until it is confirmed.
  const [made, setMade] = useState<string | null>(null);
  const newKey = made ?? status?.pendingRecoveryKey ?? null;

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
              onConfirmed={() => setMade(null)}
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
            {status.lastRotation ? t(status.epoch === 1 ? 'keysUi.epochOnce' : 'keysUi.epoch', { count: status.epoch, at: formatDate(status.lastRotation.at, info.locale) }) : t('keysUi.neverRotated')}
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
          {info.server && (
            <Text size="sm" c="dimmed" data-testid="rotate-on-server">
              {t('keysUi.rotateOnServer')}
            </Text>
          )}
          <Group>
            <Button color="red" variant="light" onClick={() => setAsking('rotate')} disabled={!!newKey}>
              {t('keysUi.rotate')}
            </Button>
          </Group>
        </Stack>
      </Paper>

      {asking === 'recovery' && <NewRecoveryKeyModal onClose={() => setAsking(null)} onMade={setMade} />}
      {asking === 'rotate' && <RotateModal legacyUsers={status.legacyUsers.length > 0} onServer={!!info.server} onClose={() => setAsking(null)} onRotated={refresh} />}
    </Stack>
  );
}

/** 更换恢复密钥: confirmed, then the new key is shown on the page until it is stored. */
function NewRecoveryKeyModal({ onClose, onMade }: { onClose: () => void; onMade: (key: string) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<Record<string, never>, (typeof contract)['keys.newRecoveryKey']>(contract['keys.newRecoveryKey'], { initialValues: {}, fixed: { confirmed: true } });
  const make = useIpcMutation('keys.newRecoveryKey');
  return (
    <ModalForm
      title={t('keysUi.newRecoveryKey')}
      onClose={onClose}
      form={form}
      busy={make.isPending}
      submitLabel={t('keysUi.newRecoveryKey')}
      cancelLabel={t('keysUi.cancel')}
      onSubmit={async () => {
        onMade((await make.mutateAsync(form.toInput()!)).recoveryKey);
        onClose();
      }}
    >
      <Text size="sm">{t('keysUi.newRecoveryConfirm')}</Text>
    </ModalForm>
  );
}

/** 轮换数据密钥: confirmed (and, with legacy users, whether to reset their passwords); the app then shows the rotation. */
function RotateModal({ legacyUsers, onServer, onClose, onRotated }: { legacyUsers: boolean; onServer: boolean; onClose: () => void; onRotated: () => Promise<void> }) {
  const { t } = useTranslation();
  const form = useContractForm<{ resetLegacyUsers: boolean }, (typeof contract)['keys.rotate']>(contract['keys.rotate'], {
    initialValues: { resetLegacyUsers: false },
    fixed: { confirmed: true },
  });
  const rotate = useIpcMutation('keys.rotate');
  return (
    <ModalForm
      title={t('keysUi.rotateTitle')}
      onClose={onClose}
      form={form}
      busy={rotate.isPending}
      submitLabel={t('keysUi.rotate')}
      submitColor="red"
      cancelLabel={t('keysUi.cancel')}
      onSubmit={async () => {
        await rotate.mutateAsync(form.toInput()!);
        // The app moves to the rotation screen, which shows the progress and then the new recovery key.
        await onRotated();
      }}
    >
      <Text size="sm">{t(onServer ? 'keysUi.rotateConfirmServer' : 'keysUi.rotateConfirm')}</Text>
      {legacyUsers && <Checkbox label={t('keysUi.resetLegacy')} {...form.getInputProps('resetLegacyUsers', { type: 'checkbox' })} />}
    </ModalForm>
  );
}
