import { Button, Group, Stack } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppInfo } from '../../lib/appInfo';
import { notifySuccess } from '../../lib/notify';
import { useFormState } from '../../lib/form';
import { invoke, IpcError } from '../../lib/ipc';
import { passwordErrors } from '../../lib/passwords';
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
  const { refresh, info } = useAppInfo();
  const form = useFormState({ oldPassword: '', newPassword: '', confirm: '' });
  const [busy, setBusy] = useState(false);

  async function submit() {
    const v = form.values;
    const errors = {
      ...(v.oldPassword ? {} : { oldPassword: t('validation.required') }),
      ...passwordErrors(v.newPassword, v.confirm, t, 'newPassword', 'confirm', { username: info.session?.username, institution: info.institution }),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      await invoke('session.changePassword', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      notifySuccess(t('password.changed'));
      onDone?.();
      await refresh();
    } catch (e) {
      // A wrong current password comes back without field issues; it belongs on that field.
      if (e instanceof IpcError && e.issues.length === 0 && (e.code === 'FORBIDDEN' || e.code === 'LOCKED')) form.setErrors({ oldPassword: e.message });
      else form.handleError(e);
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
        <PasswordField label={t('password.old')} autoComplete="current-password" required data-autofocus {...form.text('oldPassword')} />
        <PasswordField label={t('password.new')} description={t('setup.passwordHint')} autoComplete="new-password" required {...form.text('newPassword')} />
        <PasswordField label={t('password.confirm')} autoComplete="new-password" required {...form.text('confirm')} />
        <Group justify="space-between" mt="xs">
          <div>{extra}</div>
          <Group gap="sm">
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('app.cancel')}
              </Button>
            )}
            <Button type="submit" loading={busy}>
              {t('password.submit')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
