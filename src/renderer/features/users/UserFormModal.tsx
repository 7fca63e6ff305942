import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserRow } from '../../../shared/ipc/users';
import { ROLES, type Role } from '../../../shared/permissions';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { useAppInfo } from '../../lib/appInfo';
import { passwordRuleError } from '../../lib/passwords';
import { PasswordField } from '../../components/PasswordField';

const ruleError = (message: string | null) => (message ? { password: message } : {});

interface Props {
  /** Absent: a new user. */
  user?: UserRow;
  onClose: () => void;
  onSaved: (user: UserRow) => void;
}

export function UserFormModal({ user, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { info } = useAppInfo();
  const form = useFormState({ username: user?.username ?? '', displayName: user?.displayName ?? '', roles: (user?.roles ?? []) as Role[], password: '' });
  const [busy, setBusy] = useState(false);

  async function submit() {
    const v = form.values;
    const errors = {
      ...(v.username.trim() ? {} : { username: t('validation.required') }),
      ...(v.displayName.trim() ? {} : { displayName: t('validation.required') }),
      ...(v.roles.length > 0 ? {} : { roles: t('validation.required') }),
      ...(user ? {} : ruleError(passwordRuleError(v.password, { username: v.username.trim(), institution: info.institution }, t))),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const base = { username: v.username.trim(), displayName: v.displayName.trim(), roles: v.roles };
      onSaved(user ? await invoke('users.update', base) : await invoke('users.create', { ...base, password: v.password }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title={user ? t('users.editTitle', { username: user.username }) : t('users.add')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t('users.username')} required disabled={!!user} autoComplete="off" maxLength={32} data-autofocus={!user || undefined} {...form.text('username')} />
          <TextInput label={t('users.displayName')} required maxLength={50} data-autofocus={!!user || undefined} {...form.text('displayName')} />
          <Checkbox.Group label={t('users.roles')} required value={form.values.roles} error={form.errors.roles} onChange={(v) => form.set('roles', v as Role[])}>
            <SimpleGrid cols={2} spacing={8} verticalSpacing={8} mt={6}>
              {ROLES.map((r) => (
                <Checkbox key={r} value={r} label={t(`roles.${r}`)} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          {!user && <PasswordField label={t('users.initialPassword')} description={t('setup.passwordHint')} required autoComplete="new-password" {...form.text('password')} />}
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
