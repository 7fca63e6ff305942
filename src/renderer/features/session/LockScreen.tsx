import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { contract } from '../../../shared/ipc/contract';
import { useIpcMutation } from '../../lib/data/useIpc';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';
import { PasswordField } from '../../components/PasswordField';
import { useAlert } from '../../lib/useAlert';

export function LockScreen({ displayName }: { displayName: string }) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const form = useContractForm<{ password: string }, (typeof contract)['session.unlock']>(contract['session.unlock'], { initialValues: { password: '' } });
  const [alert, setAlert] = useAlert();
  const unlocking = useIpcMutation('session.unlock');

  async function unlock() {
    setAlert(null);
    try {
      await unlocking.mutateAsync(form.toInput()!);
      await refresh();
    } catch (e) {
      form.setFieldValue('password', '');
      setAlert(applyRefusal(form, e));
    }
  }

  // Signing out ends the session and drops every cached answer: a plain call, then the app moves to the login page.
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
        onSubmit={form.onSubmit(() => void unlock())}
      >
        <Stack gap="sm">
          <Text>{t('lock.intro', { name: displayName })}</Text>
          {alert && (
            <Alert color="red" variant="light" role="alert">
              {alert}
            </Alert>
          )}
          <PasswordField label={t('login.password')} autoComplete="current-password" autoFocus {...form.getInputProps('password')} />
          <Group justify="space-between" mt="xs">
            <Button variant="default" onClick={() => void switchUser()}>
              {t('lock.switchUser')}
            </Button>
            <Button type="submit" loading={unlocking.isPending}>
              {t('lock.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthLayout>
  );
}
