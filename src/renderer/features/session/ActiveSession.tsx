import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/ipc/session';
import { AppShellLayout } from '../../components/AppShellLayout';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { notifyError } from '../../lib/notify';
import { invoke } from '../../lib/ipc';
import { NavContext, type NavContextValue } from '../../lib/nav';
import { allowedPages, PageView, type Route } from '../../pages';
import { ChangePasswordForm } from './ChangePasswordForm';
import { useIdleLock } from './useIdleLock';

interface Props {
  session: SessionInfo;
  route: Route;
  /** push: keep the current page for `onBack` (opening a record); replace: forget it (a saved form); reset: the navbar. */
  onNavigate: (route: Route, mode: 'push' | 'replace' | 'reset') => void;
  onBack: () => void;
}

/** A signed-in, unlocked user: the workspace, or first the forced password change. */
export function ActiveSession({ session, route, onNavigate, onBack }: Props) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  useIdleLock(session.idleMinutes, () => void refresh());
  const pages = allowedPages(session.permissions);
  const current: Route = pages.includes(route.page) ? route : { page: 'home' };
  const nav: NavContextValue = { route: current, navigate: (r) => onNavigate(r, 'push'), replace: (r) => onNavigate(r, 'replace'), back: onBack };

  if (session.mustChangePassword) {
    return (
      <AuthLayout title={t('password.title')}>
        <Text size="sm" mb="md">
          {t(session.mustChangeReason === 'rule' ? 'password.mustChangeRule' : 'password.mustChange')}
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

  return (
    <NavContext value={nav}>
      <AppShellLayout session={session} pages={pages} page={current.page} onNavigate={(p) => onNavigate({ page: p }, 'reset')}>
        <PageView route={current} />
      </AppShellLayout>
    </NavContext>
  );
}
