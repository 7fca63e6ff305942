import { Alert, Button, Center, Loader, MantineProvider, Stack } from '@mantine/core';
import { Notifications, notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { DatesProvider } from '@mantine/dates';
import 'dayjs/locale/zh-cn';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, Locale } from '../shared/ipc/app';
import { LockScreen } from './features/session/LockScreen';
import { LoginPage } from './features/session/LoginPage';
import { ActiveSession } from './features/session/ActiveSession';
import { DataFolderProblem } from './features/setup/DataFolderProblem';
import { SetupWizard } from './features/setup/SetupWizard';
import { RotationScreen } from './features/keys/RotationScreen';
import { i18n } from './i18n';
import { AppInfoContext, type AppInfoContextValue } from './lib/appInfo';
import { errorMessage, notifyError } from './lib/notify';
import { invoke, setLockedHandler } from './lib/ipc';
import { queryClient, setSharedStore } from './lib/data/queryClient';
import { makeRouter } from './routes/router';
import { theme } from './theme';

export function App() {
  return (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <Notifications position="bottom-right" />
        <Root />
      </QueryClientProvider>
    </MantineProvider>
  );
}

function Root() {
  const { t } = useTranslation();
  const [info, setInfoState] = useState<AppInfo | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // The page (and the pages it was opened from) is remembered per user, so unlocking returns to where the user was.
  const workspace = useRef<{ user: string; router: ReturnType<typeof makeRouter> } | null>(null);
  const loaded = useRef(false);

  const setInfo = useCallback((next: AppInfo) => {
    if (i18n.language !== next.locale) void i18n.changeLanguage(next.locale);
    document.documentElement.lang = next.locale;
    setSharedStore(next.server !== null);
    loaded.current = true;
    setInfoState(next);
  }, []);

  const refresh = useCallback(async () => {
    try {
      setInfo(await invoke('app.info'));
      setFailure(null);
    } catch (e) {
      if (loaded.current) notifyError(e);
      else setFailure(errorMessage(e));
    }
  }, [setInfo]);

  const changeLocale = useCallback(
    async (locale: Locale) => {
      try {
        setInfo(await invoke('app.setLocale', { locale }));
        // Messages already shown are in the old language, and so are answers main worded (evidence, reasons).
        notifications.clean();
        void queryClient.invalidateQueries();
      } catch (e) {
        notifyError(e);
      }
    },
    [setInfo],
  );

  useEffect(() => {
    setLockedHandler(() => void refresh());
    void refresh();
    return () => setLockedHandler(null);
  }, [refresh]);

  useEffect(() => {
    document.title = t('app.name');
  }, [t, info?.locale]);

  const ctx = useMemo<AppInfoContextValue | null>(() => (info ? { info, refresh, setInfo, changeLocale } : null), [info, refresh, setInfo, changeLocale]);

  if (failure) {
    return (
      <Center mih="100vh">
        <Stack maw={480}>
          <Alert color="red" title={t('app.startFailed')}>
            {failure}
          </Alert>
          <Button variant="default" onClick={() => void refresh()}>
            {t('app.retry')}
          </Button>
        </Stack>
      </Center>
    );
  }
  if (!info || !ctx) {
    return (
      <Center mih="100vh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }

  let screen;
  const session = info.session;
  if (info.stage === 'data-unavailable' && info.dataProblem) {
    screen = <DataFolderProblem problem={info.dataProblem} />;
  } else if (info.stage === 'setup' || info.stage === 'recovery-confirm') {
    screen = <SetupWizard resume={info.stage === 'recovery-confirm'} />;
  } else if ((info.stage === 'ready' || info.stage === 'rotation') && session && info.locked) {
    screen = <LockScreen displayName={session.displayName} />;
  } else if (info.stage === 'rotation' && session) {
    screen = <RotationScreen />;
  } else if (info.stage === 'ready' && session) {
    if (workspace.current?.user !== session.username) {
      // Another user: nothing of the last one's pages or answers stays.
      queryClient.clear();
      workspace.current = { user: session.username, router: makeRouter() };
    }
    screen = <ActiveSession session={session} router={workspace.current.router} />;
  } else {
    screen = <LoginPage />;
  }
  return (
    <AppInfoContext value={ctx}>
      <DatesProvider settings={{ locale: info.locale === 'en' ? 'en' : 'zh-cn', firstDayOfWeek: 1 }}>{screen}</DatesProvider>
    </AppInfoContext>
  );
}
