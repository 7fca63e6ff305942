import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { errorMessage } from '../../lib/notify';
import { useFormState } from '../../lib/form';
import { invoke, IpcError } from '../../lib/ipc';
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
  const form = useFormState({ username: '', password: '' });
  const [alert, setAlert] = useAlert();
  const [busy, setBusy] = useState(false);

  async function submit() {
    setAlert(null);
    const { username, password } = form.values;
    const errors = { username: username.trim() ? undefined : t('validation.required'), password: password ? undefined : t('validation.required') };
    form.setErrors(errors);
    if (errors.username || errors.password) return;
    setBusy(true);
    try {
      await invoke('session.login', { username: username.trim(), password });
      await refresh();
    } catch (e) {
      const rest = e instanceof IpcError ? form.applyIssues(e) : [];
      if (!(e instanceof IpcError) || e.issues.length === 0 || rest.length > 0) setAlert(errorMessage(e));
      form.set('password', '');
      setBusy(false);
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="sm">
        {alert && (
          <Alert color="red" variant="light" role="alert">
            {alert}
          </Alert>
        )}
        <TextInput label={t('login.username')} autoComplete="username" autoFocus required {...form.text('username')} />
        <PasswordField label={t('login.password')} autoComplete="current-password" required {...form.text('password')} />
        <Button type="submit" loading={busy} fullWidth mt="xs">
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
