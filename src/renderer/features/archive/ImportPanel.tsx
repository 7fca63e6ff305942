import { Alert, Anchor, Badge, Button, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportedArchiveView, ImportJobView } from '../../../shared/ipc/archive';
import { PasswordField } from '../../components/PasswordField';
import { PathField } from '../../components/PathField';
import { useLocale } from '../../lib/appInfo';
import { contract } from '../../../shared/ipc/contract';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDateTime } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';
import { useUserNames } from '../../lib/userNames';
import { formatBytes } from '../documents/files';
import { ImportedArchive, ReadOnlyNote } from './ImportedArchive';

/** 导入的档案: export packages brought in as read-only copies (the auditor's or head office's view). */
export function ImportPanel() {
  const imported = useIpcQuery('archive.imported', {});
  const rows = imported.data ?? null;
  const [open, setOpen] = useState<ImportedArchiveView | null>(null);
  // The import finishes in the background (a polled job): the list is asked again once it is done.
  const load = () => void imported.refetch();

  if (open) return <ImportedArchive archive={open} onBack={() => setOpen(null)} />;
  return (
    <Stack gap="md" maw={1100}>
      <ReadOnlyNote />
      <ImportForm onImported={load} onOpen={setOpen} />
      <ImportedList rows={rows} onOpen={setOpen} />
    </Stack>
  );
}

const POLL_MS = 300;

function ImportForm({ onImported, onOpen }: { onImported: () => void; onOpen: (a: ImportedArchiveView) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ file: string; password: string }, (typeof contract)['archive.importStart']>(contract['archive.importStart'], { initialValues: { file: '', password: '' } });
  const start = useIpcMutation('archive.importStart');
  const cancelling = useIpcMutation('archive.importCancel', { onSuccess: (j) => setJob(j), onError: notifyError });
  const [job, setJob] = useState<ImportJobView | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);

  const stop = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  };
  useEffect(() => stop, []);

  function poll(id: string) {
    stop();
    timer.current = setInterval(() => {
      invoke('archive.importStatus', { jobId: id })
        .then((j) => {
          setJob(j);
          if (j.state === 'running') return;
          stop();
          if (j.state === 'done') {
            form.setFieldValue('password', '');
            onImported();
          }
        })
        .catch((e) => {
          stop();
          notifyError(e);
        });
    }, POLL_MS);
  }

  async function submit() {
    try {
      const j = await start.mutateAsync(form.toInput()!);
      setJob(j);
      poll(j.id);
    } catch (e) {
      if (applyRefusal(form, e)) notifyError(e);
    }
  }

  const running = job?.state === 'running';
  return (
    <Paper withBorder p="md">
      <form noValidate onSubmit={form.onSubmit(() => void submit())}>
        <Stack gap="sm">
          <Title order={4} size="h5">
            {t('importUi.importTitle')}
          </Title>
          <PathField
            kind="file"
            label={t('importUi.file')}
            description={t('importUi.fileHint')}
            required
            maxLength={1000}
            disabled={running}
            pickTitle={t('pathField.packageTitle')}
            filters={[{ name: t('pathField.zipFilter'), extensions: ['zip'] }]}
            onPick={(p) => form.setFieldValue('file', p)}
            {...form.getInputProps('file')}
          />
          <PasswordField label={t('importUi.password')} required maxLength={128} autoComplete="off" disabled={running} {...form.getInputProps('password')} />
          {job && <ImportJob job={job} onCancel={() => job && cancelling.mutate({ jobId: job.id })} onOpen={onOpen} />}
          <Group justify="flex-end">
            <Button type="submit" loading={start.isPending} disabled={running}>
              {t('importUi.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The running import's progress with cancel; its refusal (wrong password, cut-short or altered package, twice) as main words it. */
function ImportJob({ job, onCancel, onOpen }: { job: ImportJobView; onCancel: () => void; onOpen: (a: ImportedArchiveView) => void }) {
  const { t } = useTranslation();
  const running = job.state === 'running';
  const percent = job.totalBytes > 0 ? Math.round((job.bytes / job.totalBytes) * 100) : job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;
  const progress = (
    <Stack gap={6}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {t(`importUi.jobState.${job.state}`)}
        </Text>
        <Text size="sm" c="dimmed" data-testid="import-progress-text">
          {t('importUi.progress', { done: job.done, total: job.total, size: formatBytes(job.bytes), totalSize: formatBytes(job.totalBytes) })}
        </Text>
      </Group>
      <Progress
        value={job.state === 'done' ? 100 : percent}
        size="lg"
        animated={running}
        color={job.state === 'failed' ? 'red' : job.state === 'cancelled' ? 'gray' : undefined}
        aria-label={t('importUi.progressLabel')}
        data-testid="import-progress"
      />
    </Stack>
  );
  return (
    <Stack gap="sm" data-testid="import-job" data-state={job.state}>
      {job.state !== 'failed' && progress}
      {running && (
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('importUi.cancel')}
          </Button>
        </Group>
      )}
      {job.state === 'done' && job.archive && (
        <Alert color="green">
          <Group justify="space-between">
            <Text size="sm">{t('importUi.imported', { institution: job.archive.institution, count: job.archive.loans.length })}</Text>
            <Button size="xs" variant="light" onClick={() => onOpen(job.archive!)}>
              {t('importUi.openImported')}
            </Button>
          </Group>
        </Alert>
      )}
      {(job.state === 'failed' || job.state === 'cancelled') && (
        <Alert color={job.state === 'failed' ? 'red' : 'gray'} title={t(`importUi.jobState.${job.state}`)} data-testid="import-error">
          {job.error}
        </Alert>
      )}
    </Stack>
  );
}

function ImportedList({ rows, onOpen }: { rows: ImportedArchiveView[] | null; onOpen: (a: ImportedArchiveView) => void }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Title order={4} size="h5">
          {t('importUi.listTitle')}
        </Title>
        <Badge color="gray" variant="light">
          {t('importUi.readOnly')}
        </Badge>
      </Group>
      <Paper withBorder>
        {rows && rows.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="lg">
            {t('importUi.empty')}
          </Text>
        ) : (
          <Table fz="sm" verticalSpacing={6} striped highlightOnHover data-testid="imported-archives">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('archiveUi.institution')}</Table.Th>
                <Table.Th>{t('archiveUi.exportedBy')}</Table.Th>
                <Table.Th>{t('archiveUi.exportedAt')}</Table.Th>
                <Table.Th>{t('importUi.loans')}</Table.Th>
                <Table.Th ta="right">{t('importUi.files')}</Table.Th>
                <Table.Th>{t('importUi.importedBy')}</Table.Th>
                <Table.Th>{t('importUi.importedAt')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(rows ?? []).map((a) => (
                <Table.Tr key={a.id} data-archive={a.id}>
                  <Table.Td>{a.institution}</Table.Td>
                  <Table.Td>{who(a.exportedBy)}</Table.Td>
                  <Table.Td>{formatDateTime(a.exportedAt, locale)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" lineClamp={2}>
                      {a.loans.map((l) => l.contractNo).join(t('archiveUi.listSep'))}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('importUi.loanCount', { count: a.loans.length })}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{a.files}</Table.Td>
                  <Table.Td>{who(a.importedBy)}</Table.Td>
                  <Table.Td>{formatDateTime(a.importedAt, locale)}</Table.Td>
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" onClick={() => onOpen(a)}>
                      {t('importUi.open')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
