import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppInfo } from '../../lib/appInfo';
import { errorMessage } from '../../lib/notify';
import { useFormState } from '../../lib/form';
import { invoke, IpcError } from '../../lib/ipc';
import { passwordErrors } from '../../lib/passwords';
import { PasswordField } from '../../components/PasswordField';
import { useAlert } from '../../lib/useAlert';

/** Forgotten password: the recovery key opens the data, the user sets a new password and is signed in. */
export function RecoverForm({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const { refresh, info } = useAppInfo();
  const form = useFormState({ recoveryKey: '', username: '', newPassword: '', confirm: '' });
  const [alert, setAlert] = useAlert();
  const [busy, setBusy] = useState(false);

  async function submit() {
    setAlert(null);
    const v = form.values;
    const errors = {
      ...(v.recoveryKey.trim() ? {} : { recoveryKey: t('validation.required') }),
      ...(v.username.trim() ? {} : { username: t('validation.required') }),
      ...passwordErrors(v.newPassword, v.confirm, t, 'newPassword', 'confirm', { username: v.username.trim(), institution: info.institution }),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      await invoke('session.recover', { recoveryKey: v.recoveryKey.trim(), username: v.username.trim(), newPassword: v.newPassword });
      await refresh();
    } catch (e) {
      const rest = e instanceof IpcError ? form.applyIssues(e) : [];
      if (!(e instanceof IpcError) || e.issues.length === 0 || rest.length > 0) setAlert(errorMessage(e));
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
        <TextInput
          label={t('login.recoveryKey')}
          description={t('login.recoveryKeyHint')}
          required
          autoFocus
          autoComplete="off"
          spellCheck={false}
          classNames={{ input: 'lk-mono-input' }}
          {...form.text('recoveryKey')}
        />
        <TextInput label={t('login.username')} autoComplete="username" required {...form.text('username')} />
        <PasswordField label={t('login.newPassword')} description={t('setup.passwordHint')} autoComplete="new-password" required {...form.text('newPassword')} />
        <PasswordField label={t('password.confirm')} autoComplete="new-password" required {...form.text('confirm')} />
        <Button type="submit" loading={busy} fullWidth mt="xs">
          {t('login.recoverSubmit')}
        </Button>
        <Anchor component="button" type="button" size="sm" ta="center" onClick={onBack}>
          {t('login.backToLogin')}
        </Anchor>
      </Stack>
    </form>
  );
}
