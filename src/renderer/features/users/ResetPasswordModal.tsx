import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserRow } from '../../../shared/ipc/users';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { useAppInfo } from '../../lib/appInfo';
import { passwordRuleError } from '../../lib/passwords';
import { PasswordField } from '../../components/PasswordField';

interface Props {
  user: UserRow;
  onClose: () => void;
  onSaved: (user: UserRow) => void;
}

export function ResetPasswordModal({ user, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { info } = useAppInfo();
  const form = useFormState({ newPassword: '' });
  const [busy, setBusy] = useState(false);

  async function submit() {
    const problem = passwordRuleError(form.values.newPassword, { username: user.username, institution: info.institution }, t);
    if (problem) return form.setErrors({ newPassword: problem });
    setBusy(true);
    try {
      onSaved(await invoke('users.resetPassword', { username: user.username, newPassword: form.values.newPassword }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title={t('users.resetTitle', { username: user.username })} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('users.resetHint')}
          </Text>
          <PasswordField label={t('users.newPassword')} description={t('setup.passwordHint')} required autoComplete="new-password" data-autofocus {...form.text('newPassword')} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('users.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('users.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
