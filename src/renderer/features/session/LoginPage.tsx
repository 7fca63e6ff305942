import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { contract } from '../../../shared/ipc/contract';
import { useIpcMutation } from '../../lib/data/useIpc';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { RecoverForm } from './RecoverForm';
import { PasswordField } from '../../components/PasswordField';
import { useAlert } from '../../lib/useAlert';
import { SignedOutRestore } from '../backups/SignedOutRestore';

export function LoginPage() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'login' | 'recover' | 'restore'>('login');
  const title = mode === 'recover' ? t('login.recoverTitle') : mode === 'restore' ? t('backups.restore.title') : t('login.title');
  return (
    <AuthLayout title={title}>
      {mode === 'recover' && <RecoverForm onBack={() => setMode('login')} />}
      {mode === 'restore' && <SignedOutRestore onBack={() => setMode('login')} />}
      {mode === 'login' && <LoginForm onForgot={() => setMode('recover')} onRestore={() => setMode('restore')} />}
    </AuthLayout>
  );
}

function LoginForm({ onForgot, onRestore }: { onForgot: () => void; onRestore: () => void }) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const form = useContractForm<{ username: string; password: string }, (typeof contract)['session.login']>(contract['session.login'], { initialValues: { username: '', password: '' } });
  const [alert, setAlert] = useAlert();
  const login = useIpcMutation('session.login');

  async function submit() {
    setAlert(null);
    try {
      await login.mutateAsync(form.toInput()!);
      await refresh();
    } catch (e) {
      // The password is never kept; its error (set after) stays.
      form.setFieldValue('password', '');
      setAlert(applyRefusal(form, e));
    }
  }

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(() => void submit())}
    >
      <Stack gap="sm">
        {alert && (
          <Alert color="red" variant="light" role="alert">
            {alert}
          </Alert>
        )}
        <TextInput label={t('login.username')} autoComplete="username" autoFocus required {...form.getInputProps('username')} />
        <PasswordField label={t('login.password')} autoComplete="current-password" required {...form.getInputProps('password')} />
        <Button type="submit" loading={login.isPending} fullWidth mt="xs">
          {t('login.submit')}
        </Button>
        <Anchor component="button" type="button" size="sm" ta="center" onClick={onForgot}>
          {t('login.forgot')}
        </Anchor>
        <Anchor component="button" type="button" size="xs" c="dimmed" ta="center" onClick={onRestore}>
          {t('backups.signedOut.link')}
        </Anchor>
      </Stack>
    </form>
  );
}
