import { Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { invalidateFeatures, useIpcQuery } from '../lib/data/useIpc';
import { touchedBy } from '../lib/data/invalidation';

/**
 * The daily batch runs in main on its own (at sign-in, unlock, a change of day): while it runs its progress shows
 * here, and when a run finishes every read of what it writes is refetched, as after a write made on this screen.
 */
export function BatchWatch() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const { data } = useIpcQuery('batch.status', {}, { refetchInterval: (q) => (q.state.data?.running ? 1000 : 30_000) });
  const finished = data?.lastRun?.finishedAt ?? null;
  const seen = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (seen.current !== undefined && finished !== seen.current) void invalidateFeatures(client, touchedBy('batch.run'));
    seen.current = finished;
  }, [client, finished]);
  const p = data?.running ? data.progress : null;
  if (!p || p.phase !== 'statuses') return null;
  return (
    <Text size="xs" c="dimmed" data-testid="batch-progress">
      {t('app.batchRunning', { done: p.done, total: p.total })}
    </Text>
  );
}
