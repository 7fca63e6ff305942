import { Checkbox, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/ipc/contract';
import type { UserRow } from '../../../shared/ipc/users';
import { ROLES, type Role } from '../../../shared/permissions';
import { ModalForm } from '../../components/ModalForm';
import { PasswordField } from '../../components/PasswordField';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';

interface Props {
  /** Absent: a new user. */
  user?: UserRow;
  onClose: () => void;
  onSaved: (user: UserRow) => void;
}

type Values = { username: string; displayName: string; roles: Role[]; password: string };

export function UserFormModal({ user, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const schema = user ? contract['users.update'] : contract['users.create'];
  const form = useContractForm<Values, typeof schema>(schema, {
    initialValues: { username: user?.username ?? '', displayName: user?.displayName ?? '', roles: user?.roles ?? [], password: '' },
    // An existing user keeps their password (reset apart).
    pick: ({ password, ...rest }) => (user ? rest : { ...rest, password }),
  });
  const create = useIpcMutation('users.create');
  const update = useIpcMutation('users.update');

  async function save() {
    const input = form.toInput()!;
    onSaved(user ? await update.mutateAsync(input) : await create.mutateAsync(input as typeof input & { password: string }));
  }

  return (
    <ModalForm
      title={user ? t('users.editTitle', { username: user.username }) : t('users.add')}
      onClose={onClose}
      form={form}
      busy={create.isPending || update.isPending}
      submitLabel={t('users.save')}
      cancelLabel={t('users.cancel')}
      onSubmit={save}
    >
      <TextInput label={t('users.username')} required disabled={!!user} autoComplete="off" maxLength={32} data-autofocus={!user || undefined} {...form.getInputProps('username')} />
      <TextInput label={t('users.displayName')} required maxLength={50} data-autofocus={!!user || undefined} {...form.getInputProps('displayName')} />
      <Checkbox.Group label={t('users.roles')} required {...form.getInputProps('roles')}>
        <SimpleGrid cols={2} spacing={8} verticalSpacing={8} mt={6}>
          {ROLES.map((r) => (
            <Checkbox key={r} value={r} label={t(`roles.${r}`)} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      {!user && <PasswordField label={t('users.initialPassword')} description={t('setup.passwordHint')} required autoComplete="new-password" {...form.getInputProps('password')} />}
    </ModalForm>
  );
}
