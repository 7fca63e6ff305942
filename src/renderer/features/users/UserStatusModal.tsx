import { Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/ipc/contract';
import type { UserRow } from '../../../shared/ipc/users';
import { ModalForm } from '../../components/ModalForm';
import { PasswordField } from '../../components/PasswordField';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';

interface Props {
  user: UserRow;
  onClose: () => void;
  onSaved: (user: UserRow) => void;
}

/** Disables an active user, or enables a disabled one with a new password; both need a reason. */
export function UserStatusModal({ user, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const enabling = user.disabled;
  // Enabling needs a new password (the disabled user's wrap was deleted); the contract leaves it optional.
  const base = contract['users.setDisabled'];
  const schema = enabling ? base.required({ newPassword: true }) : base;
  const form = useContractForm<{ reason: string; newPassword: string }, typeof schema>(schema, {
    initialValues: { reason: '', newPassword: '' },
    fixed: { username: user.username, disabled: !enabling },
    pick: (v) => (enabling ? v : { reason: v.reason }),
  });
  const setDisabled = useIpcMutation('users.setDisabled');
  const title = enabling ? t('users.enableTitle', { username: user.username }) : t('users.disableTitle', { username: user.username });
  return (
    <ModalForm
      title={title}
      onClose={onClose}
      form={form}
      busy={setDisabled.isPending}
      submitLabel={enabling ? t('users.enable') : t('users.disable')}
      submitColor={enabling ? undefined : 'red'}
      cancelLabel={t('users.cancel')}
      onSubmit={async () => onSaved(await setDisabled.mutateAsync(form.toInput()!))}
    >
      <Text size="sm" c="dimmed">
        {enabling ? t('users.enableHint') : t('users.disableHint')}
      </Text>
      <Textarea label={t('users.reason')} required autosize minRows={2} maxLength={500} data-autofocus {...form.getInputProps('reason')} />
      {enabling && <PasswordField label={t('users.newPassword')} description={t('setup.passwordHint')} required autoComplete="new-password" {...form.getInputProps('newPassword')} />}
    </ModalForm>
  );
}
