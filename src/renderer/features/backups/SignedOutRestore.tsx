import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PasswordField } from '../../components/PasswordField';
import { PathField } from '../../components/PathField';
import { contract } from '../../../shared/ipc/contract';
import { useIpcMutation } from '../../lib/data/useIpc';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
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
  // The restore's own schema; this data folder's backup needs no recovery key.
  const form = useContractForm<{ file: string; username: string; password: string }, (typeof contract)['backups.restoreStart']>(contract['backups.restoreStart'], {
    initialValues: { file: '', username: '', password: '' },
    fixed: { recoveryKey: '' },
  });
  const [alert, setAlert] = useAlert();
  const start = useIpcMutation('backups.restoreStart');
  const { job, follow } = useRestoreJob({ onDone: onBack });
  const running = job?.state === 'running';

  async function submit() {
    setAlert(null);
    try {
      follow(await start.mutateAsync(form.toInput()!));
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
          onPick={(p) => form.setFieldValue('file', p)}
          {...form.getInputProps('file')}
        />
        <TextInput label={t('login.username')} autoComplete="username" required disabled={running} {...form.getInputProps('username')} />
        <PasswordField label={t('login.password')} autoComplete="current-password" required disabled={running} {...form.getInputProps('password')} />
        {job && <RestoreProgress job={job} />}
        <Button type="submit" loading={start.isPending} disabled={running} fullWidth mt="xs" color="red">
          {t('backups.signedOut.submit')}
        </Button>
        <Anchor component="button" type="button" size="sm" ta="center" onClick={onBack}>
          {t('backups.signedOut.back')}
        </Anchor>
      </Stack>
    </form>
  );
}
