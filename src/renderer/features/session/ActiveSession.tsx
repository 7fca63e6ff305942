import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/ipc/session';
import { AppShellLayout } from '../../components/AppShellLayout';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { notifyError } from '../../lib/notify';
import { invoke } from '../../lib/ipc';
import { allowedPages, PageView, type Page } from '../../pages';
import { ChangePasswordForm } from './ChangePasswordForm';
import { useIdleLock } from './useIdleLock';

interface Props {
  session: SessionInfo;
  page: Page;
  onNavigate: (page: Page) => void;
}

/** A signed-in, unlocked user: the workspace, or first the forced password change. */
export function ActiveSession({ session, page, onNavigate }: Props) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  useIdleLock(session.idleMinutes, () => void refresh());

  if (session.mustChangePassword) {
    return (
      <AuthLayout title={t('password.title')}>
        <Text size="sm" mb="md">
          {t('password.mustChange')}
        </Text>
        <ChangePasswordForm
          extra={
            <Button variant="subtle" color="gray" onClick={() => void invoke('session.logout').catch(notifyError).finally(() => void refresh())}>
              {t('app.logout')}
            </Button>
          }
        />
      </AuthLayout>
    );
  }

  const pages = allowedPages(session.permissions);
  const current = pages.includes(page) ? page : 'home';
  return (
    <AppShellLayout session={session} pages={pages} page={current} onNavigate={onNavigate}>
      <PageView page={current} />
    </AppShellLayout>
  );
}
