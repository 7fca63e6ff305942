import { Button, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../shared/ipc/session';
import { AuthLayout } from '../../components/AuthLayout';
import { useAppInfo } from '../../lib/appInfo';
import { notifyError } from '../../lib/notify';
import { invoke } from '../../lib/ipc';
import { RouterProvider } from '@tanstack/react-router';
import type { makeRouter } from '../../routes/router';
import { ChangePasswordForm } from './ChangePasswordForm';
import { useIdleLock } from './useIdleLock';

interface Props {
  session: SessionInfo;
  /** This user's router: where they were survives the lock screen. */
  router: ReturnType<typeof makeRouter>;
}

/** A signed-in, unlocked user: the workspace, or first the forced password change. */
export function ActiveSession({ session, router }: Props) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  useIdleLock(session.idleMinutes, () => void refresh());

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

  return <RouterProvider router={router} />;
}
