import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { errorMessage, notifyError } from '../../lib/notify';
import { invoke } from '../../lib/ipc';
import { PasswordField } from '../../components/PasswordField';
import { useAlert } from '../../lib/useAlert';

export function LockScreen({ displayName }: { displayName: string }) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const [password, setPassword] = useState('');
  const [alert, setAlert] = useAlert();
  const [busy, setBusy] = useState(false);

  async function unlock() {
    if (!password) return setAlert(t('validation.required'));
    setAlert(null);
    setBusy(true);
    try {
      await invoke('session.unlock', { password });
      await refresh();
    } catch (e) {
      setAlert(errorMessage(e));
      setPassword('');
      setBusy(false);
    }
  }

  async function switchUser() {
    try {
      await invoke('session.logout');
    } catch (e) {
      notifyError(e);
    }
    await refresh();
  }

  return (
    <AuthLayout title={t('lock.title')}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void unlock();
        }}
      >
        <Stack gap="sm">
          <Text>{t('lock.intro', { name: displayName })}</Text>
          {alert && (
            <Alert color="red" variant="light" role="alert">
              {alert}
            </Alert>
          )}
          <PasswordField label={t('login.password')} autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Group justify="space-between" mt="xs">
            <Button variant="default" onClick={() => void switchUser()}>
              {t('lock.switchUser')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('lock.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthLayout>
  );
}
