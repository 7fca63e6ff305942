import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PasswordField } from '../../components/PasswordField';
import { PathField } from '../../components/PathField';
import { useFormState } from '../../lib/form';
import { invoke, IpcError } from '../../lib/ipc';
import { errorMessage } from '../../lib/notify';
import { useAlert } from '../../lib/useAlert';
import { RestoreProgress, useRestoreJob } from './RestoreJob';

const FILTERS = (name: string) => [{ name, extensions: ['lkbackup', 'db'] }];

/**
 * On the sign-in page, for when the database cannot be opened (nobody can sign in): an administrator of the
 * backup restores it with the password that opens this data folder. Another installation's backup needs a
 * signed-in administrator (the 备份与恢复 page) instead.
 */
export function SignedOutRestore({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const form = useFormState({ file: '', username: '', password: '' });
  const [alert, setAlert] = useAlert();
  const [busy, setBusy] = useState(false);
  const { job, follow } = useRestoreJob({ onDone: onBack });
  const running = job?.state === 'running';

  async function submit() {
    setAlert(null);
    const v = form.values;
    const errors = {
      ...(v.file.trim() ? {} : { file: t('validation.required') }),
      ...(v.username.trim() ? {} : { username: t('validation.required') }),
      ...(v.password ? {} : { password: t('validation.required') }),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      follow(await invoke('backups.restoreStart', { file: v.file.trim(), recoveryKey: '', username: v.username.trim(), password: v.password }));
    } catch (e) {
      const rest = e instanceof IpcError ? form.applyIssues(e) : [];
      if (!(e instanceof IpcError) || e.issues.length === 0 || rest.length > 0) setAlert(errorMessage(e));
      form.setValues((v) => ({ ...v, password: '' })); // keeps the field's error
    } finally {
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
        <Text size="sm" c="dimmed">
          {t('backups.signedOut.intro')}
        </Text>
        {alert && (
          <Alert color="red" variant="light" role="alert">
            {alert}
          </Alert>
        )}
        <PathField
          kind="file"
          label={t('backups.restore.file')}
          required
          maxLength={1000}
          disabled={running}
          pickTitle={t('backups.restore.pickTitle')}
          filters={FILTERS(t('backups.restore.filterName'))}
          onPick={(p) => form.set('file', p)}
          {...form.text('file')}
        />
        <TextInput label={t('login.username')} autoComplete="username" required disabled={running} {...form.text('username')} />
        <PasswordField label={t('login.password')} autoComplete="current-password" required disabled={running} {...form.text('password')} />
        {job && <RestoreProgress job={job} />}
        <Button type="submit" loading={busy} disabled={running} fullWidth mt="xs" color="red">
          {t('backups.signedOut.submit')}
        </Button>
        <Anchor component="button" type="button" size="sm" ta="center" onClick={onBack}>
          {t('backups.signedOut.back')}
        </Anchor>
      </Stack>
    </form>
  );
}
