import { Alert, Badge, Button, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { BACKUP_KEEP_RANGE, type BackupInspection, type BackupView, type RestoreJobView } from '../../../shared/ipc/backups';
import { contract } from '../../../shared/ipc/contract';
import { ModalForm } from '../../components/ModalForm';
import { PageHeader } from '../../components/PageHeader';
import { PasswordField } from '../../components/PasswordField';
import { PathField } from '../../components/PathField';
import { useLocale } from '../../lib/appInfo';
import { useQueryClient } from '@tanstack/react-query';
import { invalidateFeatures, useIpcCall, useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDateTime } from '../../lib/format';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { useSession } from '../../lib/session';
import { useAlert } from '../../lib/useAlert';
import { formatBytes } from '../documents/files';
import { MoveToServer } from './MoveToServer';
import { RestoreProgress, useRestoreJob } from './RestoreJob';

export const BACKUP_FILTERS = (name: string) => [{ name, extensions: ['lkbackup', 'db'] }];

/** 备份与恢复 (administrators): back up now, automatic backups, the list of backups, restore. */
export function BackupsPage() {
  const { t } = useTranslation();
  // A backup made (or settings saved) refetches the list: the writes' feature.
  const rows = useIpcQuery('backups.list', {}).data ?? null;
  return (
    <Stack gap="md" maw={1200}>
      <PageHeader title={t('backups.title')} />
      <Group align="stretch" grow wrap="wrap">
        <BackupNow />
        <AutoBackups />
      </Group>
      <BackupList rows={rows} />
      <Restore />
      <MoveSection />
    </Stack>
  );
}

/** A single-PC store can be moved onto a branch server; on the server there is nothing to move. */
function MoveSection() {
  const status = useIpcQuery('backups.status', {}).data;
  return status && !status.onServer ? <MoveToServer /> : null;
}

function BackupNow() {
  const { t } = useTranslation();
  const form = useContractForm<{ dir: string }, (typeof contract)['backups.create']>(contract['backups.create'], { initialValues: { dir: '' } });
  const client = useQueryClient();
  // A refused backup is listed too (with its reason): the list is read again either way.
  const create = useIpcMutation('backups.create', { onError: () => void invalidateFeatures(client, ['backups']) });
  const [result, setResult] = useState<BackupView | null>(null);
  const [alert, setAlert] = useAlert();

  async function submit() {
    setAlert(null);
    setResult(null);
    try {
      setResult(await create.mutateAsync(form.toInput()!));
    } catch (e) {
      setAlert(errorMessage(e));
    }
  }

  return (
    <Paper withBorder p="md" miw={420}>
      <form noValidate onSubmit={form.onSubmit(() => void submit())}>
        <Stack gap="sm">
          <Title order={3} size="h5">
            {t('backups.now.title')}
          </Title>
          <PathField
            kind="folder"
            label={t('backups.now.folder')}
            description={t('backups.now.folderHint')}
            required
            maxLength={1000}
            pickTitle={t('backups.now.pickTitle')}
            onPick={(p) => form.setFieldValue('dir', p)}
            {...form.getInputProps('dir')}
          />
          {alert && (
            <Alert color="red" variant="light" role="alert" data-testid="backup-error">
              {alert}
            </Alert>
          )}
          {result && (
            <Alert color={result.status === 'verified' ? 'green' : 'red'} variant="light" data-testid="backup-result" data-status={result.status}>
              {result.status === 'verified' ? t('backups.now.done', { file: result.file }) : t('backups.now.failed', { reason: result.reason ?? '' })}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              {t('backups.now.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** The channel's schema; an emptied number field ('' in the form) is a missing answer. */
const saveSettings = contract['backups.saveSettings'];
const autoSchema = saveSettings.extend({ keep: z.preprocess((v) => (v === '' ? undefined : v), saveSettings.shape.keep) });

function AutoBackups() {
  const status = useIpcQuery('backups.status', {}).data;
  const settings = useIpcQuery('backups.settings', {}).data;
  return status && settings ? <AutoBackupsForm saved={settings} onServer={status.onServer} /> : null;
}

function AutoBackupsForm({ saved, onServer }: { saved: { autoDir: string; keep: number }; onServer: boolean }) {
  const { t } = useTranslation();
  const form = useContractForm<{ autoDir: string; keep: number | string }, typeof autoSchema>(autoSchema, { initialValues: { autoDir: saved.autoDir, keep: saved.keep } });
  const save = useIpcMutation('backups.saveSettings');

  async function submit() {
    try {
      const next = await save.mutateAsync(form.toInput()!);
      form.setValues({ autoDir: next.autoDir, keep: next.keep });
      notifySuccess(t('backups.auto.saved'));
    } catch (e) {
      if (applyRefusal(form, e)) notifyError(e);
    }
  }

  return (
    <Paper withBorder p="md" miw={420}>
      <form noValidate onSubmit={form.onSubmit(() => void submit())}>
        <Stack gap="sm">
          <Title order={3} size="h5">
            {t('backups.auto.title')}
          </Title>
          <Text size="sm" c="dimmed" data-testid={onServer ? 'auto-backups-on-server' : undefined}>
            {t(onServer ? 'backups.auto.onServer' : 'backups.auto.intro')}
          </Text>
          <PathField
            kind="folder"
            label={t('backups.auto.folder')}
            description={t(onServer ? 'backups.auto.folderHintServer' : 'backups.auto.folderHint')}
            maxLength={1000}
            pickTitle={t('backups.auto.pickTitle')}
            onPick={(p) => form.setFieldValue('autoDir', p)}
            {...form.getInputProps('autoDir')}
          />
          <NumberInput
            label={t('backups.auto.keep')}
            description={t('backups.auto.keepHint', { min: BACKUP_KEEP_RANGE[0], max: BACKUP_KEEP_RANGE[1] })}
            required
            styles={{ wrapper: { maxWidth: 200 } }}
            min={BACKUP_KEEP_RANGE[0]}
            max={BACKUP_KEEP_RANGE[1]}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="strict"
            {...form.getInputProps('keep')}
          />
          <Group justify="flex-end">
            <Button type="submit" variant="default" loading={save.isPending}>
              {t('backups.auto.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

const TRIGGER_KEY = { manual: 'manual', signin: 'signin', quit: 'quit', 'before-restore': 'beforeRestore' } as const;

function BackupList({ rows }: { rows: BackupView[] | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('backups.list.title')}
        </Title>
        {rows && rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('backups.list.empty')}
          </Text>
        ) : (
          <Table striped withTableBorder verticalSpacing={6} data-testid="backup-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={190}>{t('backups.list.when')}</Table.Th>
                <Table.Th w={170}>{t('backups.list.how')}</Table.Th>
                <Table.Th>{t('backups.list.where')}</Table.Th>
                <Table.Th w={90} ta="right">
                  {t('backups.list.size')}
                </Table.Th>
                <Table.Th w={300}>{t('backups.list.result')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(rows ?? []).map((b) => (
                <Table.Tr key={b.id} data-status={b.status}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(b.madeAt, locale)}</Table.Td>
                  <Table.Td>{t(`backups.trigger.${TRIGGER_KEY[b.trigger]}`)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} td={b.removed ? 'line-through' : undefined}>
                      {b.file}
                    </Text>
                    {b.removed && (
                      <Text size="xs" c="dimmed">
                        {t('backups.list.removed')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {b.size === null ? '—' : formatBytes(b.size)}
                  </Table.Td>
                  <Table.Td>
                    {b.status === 'verified' ? (
                      <Stack gap={2}>
                        <Badge color="green" variant="light">
                          {t('backups.list.ok')}
                        </Badge>
                        <Text size="xs" c="dimmed">
                          {b.tables !== null && t('backups.list.contents', { tables: b.tables, rows: b.rows ?? 0, documents: b.documents ?? 0 })}
                        </Text>
                      </Stack>
                    ) : (
                      <Stack gap={2}>
                        <Badge color="red" variant="light">
                          {b.stage === 'verify' ? t('backups.list.stageVerify') : t('backups.list.stageWrite')}
                        </Badge>
                        <Text size="xs" c="red.8">
                          {b.reason}
                        </Text>
                      </Stack>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

function Restore() {
  const { t } = useTranslation();
  const locale = useLocale();
  const session = useSession();
  const form = useContractForm<{ file: string; recoveryKey: string }, (typeof contract)['backups.inspect']>(contract['backups.inspect'], { initialValues: { file: '', recoveryKey: '' } });
  const inspect = useIpcCall('backups.inspect', { onError: () => {} }) // check() puts a refusal on its field;
  const [seen, setSeen] = useState<BackupInspection | null>(null);
  const [confirming, setConfirming] = useState(false);
  const keyRef = useRef<HTMLInputElement>(null);
  const { job, follow, reset } = useRestoreJob({
    onFailed: (j) => {
      if (j.needsRecoveryKey) keyRef.current?.focus();
    },
  });
  const running = job?.state === 'running';
  // On the branch server only this branch's key opens a backup: there is no recovery key to give.
  const onServer = useIpcQuery('backups.status', {}).data?.onServer ?? false;

  async function check() {
    setSeen(null);
    reset();
    if (form.validate().hasErrors) return;
    try {
      const r = await inspect.mutateAsync(form.toInput()!);
      setSeen(r);
      if (r.needsRecoveryKey) {
        form.setErrors({ recoveryKey: r.reason ?? undefined });
        keyRef.current?.focus();
      }
    } catch (e) {
      if (applyRefusal(form, e)) notifyError(e);
    }
  }

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('backups.restore.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t(onServer ? 'backups.restore.introServer' : 'backups.restore.intro')}
        </Text>
        <Group align="flex-start" grow wrap="wrap">
          <PathField
            kind="file"
            label={t('backups.restore.file')}
            required
            maxLength={1000}
            disabled={running}
            pickTitle={t('backups.restore.pickTitle')}
            filters={BACKUP_FILTERS(t('backups.restore.filterName'))}
            onPick={(p) => {
              form.setFieldValue('file', p);
              setSeen(null);
            }}
            {...form.getInputProps('file')}
          />
          {!onServer && (
            <TextInput
              ref={keyRef}
              label={t('backups.restore.recoveryKey')}
              description={t('backups.restore.recoveryKeyHint')}
              autoComplete="off"
              maxLength={200}
              disabled={running}
              classNames={{ input: 'lk-mono-input' }}
              {...form.getInputProps('recoveryKey')}
            />
          )}
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void check()} loading={inspect.isPending} disabled={running}>
            {t('backups.restore.check')}
          </Button>
          <Button color="red" disabled={!seen?.ok || running || job?.state === 'done'} onClick={() => setConfirming(true)}>
            {t('backups.restore.start')}
          </Button>
        </Group>
        {seen && !seen.needsRecoveryKey && (
          <Alert color={seen.ok ? 'green' : 'red'} variant="light" title={seen.ok ? t('backups.restore.ok') : t('backups.restore.bad')} data-testid="backup-inspection" data-ok={seen.ok}>
            <Stack gap={4}>
              {seen.reason && <Text size="sm">{seen.reason}</Text>}
              {seen.counts && (
                <>
                  <Text size="sm">{t('backups.restore.institution', { name: [seen.institution, seen.branch].filter(Boolean).join(' ') })}</Text>
                  {seen.latestEntryAt && <Text size="sm">{t('backups.restore.asOf', { time: formatDateTime(seen.latestEntryAt, locale) })}</Text>}
                  <Text size="sm">
                    {t('backups.restore.contents', { borrowers: seen.counts.borrowers, loans: seen.counts.loans, documents: seen.counts.documents, users: seen.counts.users, audit: seen.counts.auditEntries })}
                  </Text>
                </>
              )}
              {seen.foreign && (
                <Text size="sm" fw={600} c="orange.9">
                  {t('backups.restore.foreign')}
                </Text>
              )}
            </Stack>
          </Alert>
        )}
        {job && <RestoreProgress job={job} />}
      </Stack>
      {confirming && (
        <ConfirmRestore
          foreign={!!seen?.foreign}
          fixed={{ ...form.toInput()!, username: session.username }}
          onClose={() => setConfirming(false)}
          onStarted={(j) => {
            setConfirming(false);
            follow(j);
          }}
        />
      )}
    </Paper>
  );
}

/** The administrator's own password confirms a restore; the rest of the call is the checked file and key. */
function ConfirmRestore({ foreign, fixed, onClose, onStarted }: { foreign: boolean; fixed: { file: string; recoveryKey: string; username: string }; onClose: () => void; onStarted: (j: RestoreJobView) => void }) {
  const onServer = useIpcQuery('backups.status', {}).data?.onServer ?? false;
  const { t } = useTranslation();
  const form = useContractForm<{ password: string }, (typeof contract)['backups.restoreStart']>(contract['backups.restoreStart'], { initialValues: { password: '' }, fixed });
  // A call, not a write that refetches the page: while the restore runs every read is refused (restoreGuard), and
  // the page's reads would each put that refusal on screen. The app signs out and reloads when it is done.
  const start = useIpcCall('backups.restoreStart', { onError: () => {} });
  return (
    <ModalForm
      title={t('backups.restore.confirmTitle')}
      onClose={onClose}
      form={form}
      busy={start.isPending}
      size="lg"
      submitLabel={t('backups.restore.confirm')}
      submitColor="red"
      cancelLabel={t('app.cancel')}
      onSubmit={async () => {
        try {
          onStarted(await start.mutateAsync(form.toInput()!));
        } catch (e) {
          // A password is never kept in the field; the refusal's errors are set after this.
          form.setFieldValue('password', '');
          throw e;
        }
      }}
    >
      <Text size="sm">{t(onServer ? 'backups.restore.confirmTextServer' : 'backups.restore.confirmText')}</Text>
      {foreign && (
        <Alert color="orange" variant="light">
          {t('backups.restore.foreign')}
        </Alert>
      )}
      <PasswordField label={t('backups.restore.password')} required autoComplete="current-password" maxLength={128} data-autofocus {...form.getInputProps('password')} />
    </ModalForm>
  );
}
