import { Alert, Button, Group, List, Paper, PasswordInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MoveProgress, MoveReport } from '../../../shared/ipc/backups';
import { invoke } from '../../lib/ipc';
import { errorMessage } from '../../lib/notify';

/**
 * 迁移到分支机构服务器: copies this PC's store onto an empty branch database, shows the copy's progress and the
 * read-back, and then offers to work on the server from now on (the app signs out; everyone signs in again there).
 */
export function MoveToServer() {
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const [dbPassword, setDbPassword] = useState('');
  const [ca, setCa] = useState('');
  const [password, setPassword] = useState('');
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<MoveProgress | null>(null);
  const [report, setReport] = useState<MoveReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [switched, setSwitched] = useState(false);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      invoke('backups.moveStatus', {})
        .then(setProgress)
        .catch(() => {});
    }, 500);
    return () => clearInterval(timer);
  }, [running]);

  const server = () => ({ url: url.trim(), dbPassword, ca: ca.trim() === '' ? null : ca.trim() });

  async function move() {
    setError(null);
    setReport(null);
    setRunning(true);
    try {
      setReport(await invoke('backups.moveToServer', { ...server(), password }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRunning(false);
      setPassword('');
    }
  }

  async function useServer() {
    setError(null);
    try {
      await invoke('backups.switchToServer', server());
      setSwitched(true);
      setTimeout(() => window.location.reload(), 1500);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <Paper withBorder p="md" data-testid="move-to-server">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('move.ui.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('move.ui.intro')}
        </Text>
        <TextInput label={t('move.ui.url')} required maxLength={500} value={url} onChange={(e) => setUrl(e.currentTarget.value)} disabled={running || !!report} />
        <PasswordInput label={t('move.ui.dbPassword')} required maxLength={200} value={dbPassword} onChange={(e) => setDbPassword(e.currentTarget.value)} disabled={running || !!report} />
        <Textarea label={t('move.ui.ca')} autosize minRows={2} maxRows={6} value={ca} onChange={(e) => setCa(e.currentTarget.value)} disabled={running || !!report} />
        {!report && <PasswordInput label={t('move.ui.password')} required maxLength={128} value={password} onChange={(e) => setPassword(e.currentTarget.value)} disabled={running} />}
        {running && progress && (
          <Text size="sm" data-testid="move-progress">
            {progress.phase === 'verify' ? t('move.ui.verifying') : t('move.ui.progress', { tablesDone: progress.tablesDone, tables: progress.tables, rows: progress.rows, documents: progress.documents })}
          </Text>
        )}
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        {report && report.ok && (
          <Alert color="green" variant="light" data-testid="move-verified">
            {t('move.ui.verified', { tables: report.tables.length, loans: report.loans, documents: report.documents, audit: report.auditEntries })}
          </Alert>
        )}
        {report && !report.ok && (
          <Alert color="red" variant="light" data-testid="move-failed">
            <Text size="sm">{t('move.ui.failed')}</Text>
            <List size="sm">
              {report.differences.map((d) => (
                <List.Item key={d}>{d}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        {switched && (
          <Alert color="green" variant="light">
            {t('move.ui.switched')}
          </Alert>
        )}
        <Group justify="flex-end">
          {report?.ok ? (
            <Button onClick={() => void useServer()} disabled={switched}>
              {t('move.ui.switch')}
            </Button>
          ) : (
            <Button onClick={() => void move()} loading={running} disabled={!url.trim() || !dbPassword || !password}>
              {t('move.ui.start')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
