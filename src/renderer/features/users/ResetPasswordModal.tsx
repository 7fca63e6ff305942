import { Text } from '@mantine/core';
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

export function ResetPasswordModal({ user, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const schema = contract['users.resetPassword'];
  const form = useContractForm<{ newPassword: string }, typeof schema>(schema, { initialValues: { newPassword: '' }, fixed: { username: user.username } });
  const reset = useIpcMutation('users.resetPassword');
  return (
    <ModalForm
      title={t('users.resetTitle', { username: user.username })}
      onClose={onClose}
      form={form}
      busy={reset.isPending}
      submitLabel={t('users.save')}
      cancelLabel={t('users.cancel')}
      onSubmit={async () => onSaved(await reset.mutateAsync(form.toInput()!))}
    >
      <Text size="sm" c="dimmed">
        {t('users.resetHint')}
      </Text>
      <PasswordField label={t('users.newPassword')} description={t('setup.passwordHint')} required autoComplete="new-password" data-autofocus {...form.getInputProps('newPassword')} />
    </ModalForm>
  );
}
