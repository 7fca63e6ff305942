import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupStatus } from '../../../shared/ipc/backups';
import { useLocale } from '../../lib/appInfo';
import { formatDateTime } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { useNav } from '../../lib/nav';
import { to } from '../../routes/links';
import { notifyError } from '../../lib/notify';

/** On the administrator's home page: the last verified backup and its age; a warning after 3 days without one. */
export function BackupStatusCard() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  useEffect(() => {
    invoke('backups.status').then(setStatus).catch(notifyError);
  }, []);
  if (!status) return null;
  const last = status.lastVerified;
  const age = status.ageDays === 0 ? t('backups.status.today') : t('backups.status.daysAgo', { days: status.ageDays ?? 0 });
  return (
    <Paper withBorder p="md" data-testid="backup-status" data-warn={status.warn}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {t('backups.status.title')}
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => nav.navigate(to.backups())}>
            {t('backups.status.open')}
          </Button>
        </Group>
        {last ? (
          <Text fw={600} data-testid="backup-status-last">
            {t('backups.status.last', { time: formatDateTime(last.madeAt, locale), age })}
          </Text>
        ) : (
          <Text fw={600}>{t('backups.status.none')}</Text>
        )}
        {last && (
          <Text size="xs" ff="monospace" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {last.file}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {status.autoDir ? t('backups.status.autoOn', { dir: status.autoDir }) : t('backups.status.autoOff')}
        </Text>
        {status.warn && (
          <Alert color="orange" variant="light" p="xs">
            {last ? t('backups.status.warn') : t('backups.status.warnNone')}
          </Alert>
        )}
        {status.lastFailure && (
          <Alert color="red" variant="light" p="xs">
            {t('backups.status.failure', { time: formatDateTime(status.lastFailure.madeAt, locale), reason: status.lastFailure.reason ?? '' })}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
