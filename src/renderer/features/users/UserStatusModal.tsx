import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserRow } from '../../../shared/ipc/users';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { useAppInfo } from '../../lib/appInfo';
import { passwordRuleError } from '../../lib/passwords';
import { PasswordField } from '../../components/PasswordField';

const newPasswordError = (message: string | null) => (message ? { newPassword: message } : {});

interface Props {
  user: UserRow;
  onClose: () => void;
  onSaved: (user: UserRow) => void;
}

/** Disables an active user, or enables a disabled one with a new password; both need a reason. */
export function UserStatusModal({ user, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { info } = useAppInfo();
  const enabling = user.disabled;
  const form = useFormState({ reason: '', newPassword: '' });
  const [busy, setBusy] = useState(false);

  async function submit() {
    const v = form.values;
    const errors = {
      ...(v.reason.trim() ? {} : { reason: t('validation.required') }),
      ...(enabling ? newPasswordError(passwordRuleError(v.newPassword, { username: user.username, institution: info.institution }, t)) : {}),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const input = { username: user.username, disabled: !enabling, reason: v.reason.trim() };
      onSaved(await invoke('users.setDisabled', enabling ? { ...input, newPassword: v.newPassword } : input));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }

  const title = enabling ? t('users.enableTitle', { username: user.username }) : t('users.disableTitle', { username: user.username });
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {enabling ? t('users.enableHint') : t('users.disableHint')}
          </Text>
          <Textarea label={t('users.reason')} required autosize minRows={2} maxLength={500} data-autofocus {...form.text('reason')} />
          {enabling && (
            <PasswordField label={t('users.newPassword')} description={t('setup.passwordHint')} required autoComplete="new-password" {...form.text('newPassword')} />
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('users.cancel')}
            </Button>
            <Button type="submit" color={enabling ? undefined : 'red'} loading={busy}>
              {enabling ? t('users.enable') : t('users.disable')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
