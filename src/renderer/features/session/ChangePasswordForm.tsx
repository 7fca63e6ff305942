import { Button, Group, Stack } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppInfo } from '../../lib/appInfo';
import { contract } from '../../../shared/ipc/contract';
import { useIpcMutation } from '../../lib/data/useIpc';
import { withConfirm } from '../../lib/forms/newPassword';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { IpcError } from '../../lib/ipc';
import { notifyError, notifySuccess } from '../../lib/notify';
import { PasswordField } from '../../components/PasswordField';

/** Used in the header's modal and as the forced screen after an administrator's reset. */
interface Props {
  onDone?: () => void;
  onCancel?: () => void;
  /** Shown at the left of the buttons row. */
  extra?: ReactNode;
}

export function ChangePasswordForm({ onDone, onCancel, extra }: Props) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const schema = useMemo(() => withConfirm(contract['session.changePassword'], 'newPassword', t), [t]);
  const form = useContractForm<{ oldPassword: string; newPassword: string; confirm: string }, typeof schema>(schema, {
    initialValues: { oldPassword: '', newPassword: '', confirm: '' },
  });
  const change = useIpcMutation('session.changePassword');

  async function submit() {
    try {
      await change.mutateAsync(form.toInput()!);
      notifySuccess(t('password.changed'));
      onDone?.();
      await refresh();
    } catch (e) {
      // A wrong current password comes back without field issues; it belongs on that field.
      if (e instanceof IpcError && e.issues.length === 0 && (e.code === 'FORBIDDEN' || e.code === 'LOCKED')) form.setErrors({ oldPassword: e.message });
      else {
        const rest = applyRefusal(form, e);
        if (rest) notifyError(e);
      }
    }
  }

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(() => void submit())}
    >
      <Stack gap="sm">
        <PasswordField label={t('password.old')} autoComplete="current-password" required data-autofocus {...form.getInputProps('oldPassword')} />
        <PasswordField label={t('password.new')} description={t('setup.passwordHint')} autoComplete="new-password" required {...form.getInputProps('newPassword')} />
        <PasswordField label={t('password.confirm')} autoComplete="new-password" required {...form.getInputProps('confirm')} />
        <Group justify="space-between" mt="xs">
          <div>{extra}</div>
          <Group gap="sm">
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('app.cancel')}
              </Button>
            )}
            <Button type="submit" loading={change.isPending}>
              {t('password.submit')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
