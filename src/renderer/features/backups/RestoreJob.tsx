import { Alert, Group, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RestoreJobView } from '../../../shared/ipc/backups';
import { useAppInfo } from '../../lib/appInfo';
import { invoke } from '../../lib/ipc';
import { errorMessage } from '../../lib/notify';

const POLL_MS = 300;
const PHASES = ['verify', 'safety', 'copy', 'documents', 'replace', 'done'] as const;

/**
 * Polls a restore until it settles. Done: the user has been signed out by main; a lasting message says where
 * the data from before is kept, and the app goes back to the sign-in page. Failed: the reason, in place.
 */
export function useRestoreJob({ onFailed, onDone }: { onFailed?: (job: RestoreJobView) => void; onDone?: () => void } = {}) {
  const { t } = useTranslation();
  const { refresh } = useAppInfo();
  const [job, setJob] = useState<RestoreJobView | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  };
  useEffect(() => stop, []);

  function follow(first: RestoreJobView) {
    setJob(first);
    stop();
    timer.current = setInterval(() => {
      invoke('backups.restoreStatus', { jobId: first.id })
        .then((j) => {
          setJob(j);
          if (j.state === 'running') return;
          stop();
          if (j.state === 'failed') onFailed?.(j);
          if (j.state === 'done') {
            notifications.clean();
            notifications.show({
              color: 'green',
              autoClose: false,
              title: t('backups.restore.phase.done'),
              message: t(j.foreign ? 'backups.restore.doneForeign' : 'backups.restore.done', { path: j.safetyCopy ?? '' }),
            });
            onDone?.();
            void refresh();
          }
        })
        .catch((e: unknown) => {
          stop();
          setJob((j) => (j ? { ...j, state: 'failed', error: errorMessage(e) } : j));
        });
    }, POLL_MS);
  }

  return { job, follow, reset: () => setJob(null) };
}

/** Which step the restore is at, with a bar over the steps (and over the documents within a step). */
export function RestoreProgress({ job }: { job: RestoreJobView }) {
  const { t } = useTranslation();
  const step = PHASES.indexOf(job.phase);
  const within = job.total > 0 ? job.done / job.total : 0;
  const percent = job.state === 'done' ? 100 : Math.round(((step + within) / (PHASES.length - 1)) * 100);
  return (
    <Stack gap="xs" data-testid="restore-job" data-state={job.state} data-phase={job.phase}>
      {job.state !== 'failed' && (
        <Stack gap={6}>
          <Group justify="space-between">
            <Text size="sm" fw={600}>
              {t(`backups.restore.phase.${job.phase}`)}
            </Text>
            {job.total > 0 && (
              <Text size="sm" c="dimmed">
                {job.done}/{job.total}
              </Text>
            )}
          </Group>
          <Progress value={percent} size="lg" animated={job.state === 'running'} aria-label={t('backups.restore.title')} />
        </Stack>
      )}
      {job.state === 'failed' && (
        <Alert color="red" title={t('backups.restore.failed')} data-testid="restore-error">
          {job.error}
        </Alert>
      )}
    </Stack>
  );
}
