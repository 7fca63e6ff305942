import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserRow } from '../../../shared/ipc/users';
import { PageHeader } from '../../components/PageHeader';
import { RoleBadges } from '../../components/RoleBadges';
import { useAppInfo } from '../../lib/appInfo';
import { formatDate } from '../../lib/format';
import { useIpcQuery } from '../../lib/data/useIpc';
import { ResetPasswordModal } from './ResetPasswordModal';
import { UserFormModal } from './UserFormModal';
import { UserStatusModal } from './UserStatusModal';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'status' | 'reset'; user: UserRow };

export function UsersPage() {
  const { t } = useTranslation();
  const { info, refresh } = useAppInfo();
  const users = useIpcQuery('users.list', {}).data ?? null;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const me = info.session?.username;

  function saved(user: UserRow) {
    // The write has refetched the list (useIpcMutation).
    setDialog(null);
    // Editing one's own roles changes what the navbar may show.
    if (user.username === me) void refresh();
  }

  const close = () => setDialog(null);
  return (
    <Stack gap="md">
      <PageHeader title={t('users.title')}>
        <Button onClick={() => setDialog({ kind: 'create' })}>{t('users.add')}</Button>
      </PageHeader>
      <Paper withBorder>
        <Table striped highlightOnHover verticalSpacing={6} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('users.username')}</Table.Th>
              <Table.Th>{t('users.displayName')}</Table.Th>
              <Table.Th>{t('users.roles')}</Table.Th>
              <Table.Th>{t('users.status')}</Table.Th>
              <Table.Th>{t('users.createdAt')}</Table.Th>
              <Table.Th>{t('users.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    {t('users.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {users?.map((u) => (
              <UserTableRow key={u.username} user={u} isMe={u.username === me} onAction={(kind) => setDialog({ kind, user: u })} />
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {dialog?.kind === 'create' && <UserFormModal onClose={close} onSaved={saved} />}
      {dialog?.kind === 'edit' && <UserFormModal user={dialog.user} onClose={close} onSaved={saved} />}
      {dialog?.kind === 'status' && <UserStatusModal user={dialog.user} onClose={close} onSaved={saved} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal user={dialog.user} onClose={close} onSaved={saved} />}
    </Stack>
  );
}

interface RowProps {
  user: UserRow;
  isMe: boolean;
  onAction: (kind: 'edit' | 'status' | 'reset') => void;
}

function UserTableRow({ user, isMe, onAction }: RowProps) {
  const { t } = useTranslation();
  const { info } = useAppInfo();
  return (
    <Table.Tr>
      <Table.Td ff="monospace">{user.username}</Table.Td>
      <Table.Td>{user.displayName}</Table.Td>
      <Table.Td>
        <RoleBadges roles={user.roles} />
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          <Badge variant="dot" size="sm" color={user.disabled ? 'gray' : 'green'}>
            {user.disabled ? t('users.disabled') : t('users.active')}
          </Badge>
          {!user.disabled && !user.canSignIn && (
            <Badge variant="light" size="sm" color="red" title={t('users.needsResetHint')}>
              {t('users.needsReset')}
            </Badge>
          )}
          {user.mustChangePassword && !user.disabled && (
            <Badge variant="light" size="sm" color="orange">
              {t('users.mustChange')}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(user.createdAt, info.locale)}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Button size="compact-xs" variant="subtle" onClick={() => onAction('edit')}>
            {t('users.edit')}
          </Button>
          {!user.disabled && (
            <Button size="compact-xs" variant="subtle" onClick={() => onAction('reset')}>
              {t('users.reset')}
            </Button>
          )}
          {!isMe && (
            <Button size="compact-xs" variant="subtle" color={user.disabled ? 'green' : 'red'} onClick={() => onAction('status')}>
              {user.disabled ? t('users.enable') : t('users.disable')}
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
