import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppInfo } from '../../lib/appInfo';
import { contract } from '../../../shared/ipc/contract';
import { useIpcMutation } from '../../lib/data/useIpc';
import { withConfirm } from '../../lib/forms/newPassword';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { PasswordField } from '../../components/PasswordField';
import { useAlert } from '../../lib/useAlert';

/** Forgotten password: the recovery key opens the data, the user sets a new password and is signed in. */
export function RecoverForm({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const schema = useMemo(() => withConfirm(contract['session.recover'], 'newPassword', t), [t]);
  const form = useContractForm<{ recoveryKey: string; username: string; newPassword: string; confirm: string }, typeof schema>(schema, {
    initialValues: { recoveryKey: '', username: '', newPassword: '', confirm: '' },
  });
  const [alert, setAlert] = useAlert();
  const recover = useIpcMutation('session.recover');

  async function submit() {
    setAlert(null);
    try {
      await recover.mutateAsync(form.toInput()!);
      await refresh();
    } catch (e) {
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
        <TextInput
          label={t('login.recoveryKey')}
          description={t('login.recoveryKeyHint')}
          required
          autoFocus
          autoComplete="off"
          spellCheck={false}
          classNames={{ input: 'lk-mono-input' }}
          {...form.getInputProps('recoveryKey')}
        />
        <TextInput label={t('login.username')} autoComplete="username" required {...form.getInputProps('username')} />
        <PasswordField label={t('login.newPassword')} description={t('setup.passwordHint')} autoComplete="new-password" required {...form.getInputProps('newPassword')} />
        <PasswordField label={t('password.confirm')} autoComplete="new-password" required {...form.getInputProps('confirm')} />
        <Button type="submit" loading={recover.isPending} fullWidth mt="xs">
          {t('login.recoverSubmit')}
        </Button>
        <Anchor component="button" type="button" size="sm" ta="center" onClick={onBack}>
          {t('login.backToLogin')}
        </Anchor>
      </Stack>
    </form>
  );
}
