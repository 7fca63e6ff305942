import { AppShell, Button, Group, Modal, NavLink, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../shared/ipc/session';
import { ChangePasswordForm } from '../features/session/ChangePasswordForm';
import { useAppInfo } from '../lib/appInfo';
import { flushDrafts } from '../lib/forms/drafts';
import { notifyError } from '../lib/notify';
import { invoke } from '../lib/ipc';
import type { Page } from '../pages';
import { BatchWatch } from './BatchWatch';
import { InstitutionLabel } from './InstitutionLabel';
import { LanguageSwitch } from './LanguageSwitch';

interface Props {
  session: SessionInfo;
  pages: Page[];
  page: Page;
  onNavigate: (page: Page) => void;
  children: ReactNode;
}

export function AppShellLayout({ session, pages, page, onNavigate, children }: Props) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const [changingPassword, setChangingPassword] = useState(false);

  async function end(channel: 'session.lock' | 'session.logout') {
    // What was said to this user is not for the next one.
    if (channel === 'session.logout') notifications.clean();
    // What is typed and not yet saved as a draft goes to main while the session still may write.
    await flushDrafts();
    try {
      await invoke(channel);
    } catch (e) {
      notifyError(e);
    }
    await refresh();
  }

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 0 }} padding="lg">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Text fw={700} size="lg" c="blue.8">
              {t('app.name')}
            </Text>
            <InstitutionLabel c="dimmed" size="sm" truncate />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Stack gap={0} align="flex-end">
              <Text size="sm" fw={600} lh={1.3}>
                {session.displayName}
              </Text>
              <Text size="xs" c="dimmed" lh={1.3}>
                {session.roles.map((r) => t(`roles.${r}`)).join('、')}
              </Text>
            </Stack>
            <BatchWatch />
            <LanguageSwitch />
            <Button variant="default" size="xs" onClick={() => setChangingPassword(true)}>
              {t('app.changePassword')}
            </Button>
            <Button variant="default" size="xs" onClick={() => void end('session.lock')}>
              {t('app.lock')}
            </Button>
            <Button variant="default" size="xs" onClick={() => void end('session.logout')}>
              {t('app.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <nav aria-label={t('app.name')}>
          {pages.map((p) => (
            <NavLink
              key={p}
              component="button"
              label={t(`nav.${p}`)}
              active={p === page}
              aria-current={p === page ? 'page' : undefined}
              onClick={() => onNavigate(p)}
              style={{ borderRadius: 'var(--mantine-radius-sm)' }}
            />
          ))}
        </nav>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">{children}</AppShell.Main>
      <Modal opened={changingPassword} onClose={() => setChangingPassword(false)} title={t('password.title')} centered>
        <ChangePasswordForm onDone={() => setChangingPassword(false)} onCancel={() => setChangingPassword(false)} />
      </Modal>
    </AppShell>
  );
}
