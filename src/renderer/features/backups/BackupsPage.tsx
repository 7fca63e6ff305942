import { Alert, Badge, Button, Group, Modal, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BACKUP_KEEP_DEFAULT, BACKUP_KEEP_RANGE, type BackupInspection, type BackupView } from '../../../shared/ipc/backups';
import { PageHeader } from '../../components/PageHeader';
import { PasswordField } from '../../components/PasswordField';
import { PathField } from '../../components/PathField';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDateTime } from '../../lib/format';
import { invoke, IpcError } from '../../lib/ipc';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { useSession } from '../../lib/session';
import { useAlert } from '../../lib/useAlert';
import { formatBytes } from '../documents/files';
import { RestoreProgress, useRestoreJob } from './RestoreJob';

export const BACKUP_FILTERS = (name: string) => [{ name, extensions: ['lkbackup', 'db'] }];

/** 备份与恢复 (administrators): back up now, automatic backups, the list of backups, restore. */
export function BackupsPage() {
  const { t } = useTranslation();
  const [rows, setRows] = useState<BackupView[] | null>(null);
  const load = useCallback(() => {
    invoke('backups.list').then(setRows).catch(notifyError);
  }, []);
  useEffect(load, [load]);
  return (
    <Stack gap="md" maw={1200}>
      <PageHeader title={t('backups.title')} />
      <Group align="stretch" grow wrap="wrap">
        <BackupNow onMade={load} />
        <AutoBackups />
      </Group>
      <BackupList rows={rows} />
      <Restore />
    </Stack>
  );
}

function BackupNow({ onMade }: { onMade: () => void }) {
  const { t } = useTranslation();
  const form = useFormState({ dir: '' });
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BackupView | null>(null);
  const [alert, setAlert] = useAlert();

  async function submit() {
    setAlert(null);
    setResult(null);
    if (!form.values.dir.trim()) {
      form.setErrors({ dir: t('validation.required') });
      return;
    }
    setBusy(true);
    try {
      setResult(await invoke('backups.create', { dir: form.values.dir.trim() }));
    } catch (e) {
      setAlert(errorMessage(e));
    } finally {
      setBusy(false);
      onMade();
    }
  }

  return (
    <Paper withBorder p="md" miw={420}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
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
            onPick={(p) => form.set('dir', p)}
            {...form.text('dir')}
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
            <Button type="submit" loading={busy}>
              {t('backups.now.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function AutoBackups() {
  const { t } = useTranslation();
  const form = useFormState<{ autoDir: string; keep: number | string }>({ autoDir: '', keep: BACKUP_KEEP_DEFAULT });
  const [busy, setBusy] = useState(false);
  const { setValues } = form;
  useEffect(() => {
    invoke('backups.settings').then(setValues).catch(notifyError);
  }, [setValues]);

  async function save() {
    if (typeof form.values.keep !== 'number') {
      form.setErrors({ keep: t('validation.required') });
      return;
    }
    setBusy(true);
    try {
      setValues(await invoke('backups.saveSettings', { autoDir: form.values.autoDir.trim(), keep: form.values.keep }));
      notifySuccess(t('backups.auto.saved'));
    } catch (e) {
      form.handleError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md" miw={420}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <Title order={3} size="h5">
            {t('backups.auto.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('backups.auto.intro')}
          </Text>
          <PathField
            kind="folder"
            label={t('backups.auto.folder')}
            description={t('backups.auto.folderHint')}
            maxLength={1000}
            pickTitle={t('backups.auto.pickTitle')}
            onPick={(p) => form.set('autoDir', p)}
            {...form.text('autoDir')}
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
            value={form.values.keep}
            error={form.errors.keep}
            onChange={(v) => form.set('keep', v)}
          />
          <Group justify="flex-end">
            <Button type="submit" variant="default" loading={busy}>
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
  const form = useFormState({ file: '', recoveryKey: '' });
  const [checking, setChecking] = useState(false);
  const [seen, setSeen] = useState<BackupInspection | null>(null);
  const [confirming, setConfirming] = useState(false);
  const keyRef = useRef<HTMLInputElement>(null);
  const { job, follow, reset } = useRestoreJob({
    onFailed: (j) => {
      if (j.needsRecoveryKey) keyRef.current?.focus();
    },
  });
  const running = job?.state === 'running';

  async function check() {
    setSeen(null);
    reset();
    if (!form.values.file.trim()) {
      form.setErrors({ file: t('validation.required') });
      return;
    }
    setChecking(true);
    try {
      const r = await invoke('backups.inspect', { file: form.values.file.trim(), recoveryKey: form.values.recoveryKey.trim() });
      setSeen(r);
      if (r.needsRecoveryKey) {
        form.setErrors({ recoveryKey: r.reason ?? undefined });
        keyRef.current?.focus();
      }
    } catch (e) {
      form.handleError(e);
    } finally {
      setChecking(false);
    }
  }

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('backups.restore.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('backups.restore.intro')}
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
              form.set('file', p);
              setSeen(null);
            }}
            {...form.text('file')}
          />
          <TextInput
            ref={keyRef}
            label={t('backups.restore.recoveryKey')}
            description={t('backups.restore.recoveryKeyHint')}
            autoComplete="off"
            maxLength={200}
            disabled={running}
            classNames={{ input: 'lk-mono-input' }}
            {...form.text('recoveryKey')}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void check()} loading={checking} disabled={running}>
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
      <ConfirmRestore
        opened={confirming}
        foreign={!!seen?.foreign}
        onClose={() => setConfirming(false)}
        onConfirm={async (password) => {
          const j = await invoke('backups.restoreStart', { file: form.values.file.trim(), recoveryKey: form.values.recoveryKey.trim(), username: session.username, password });
          setConfirming(false);
          follow(j);
        }}
      />
    </Paper>
  );
}

function ConfirmRestore({ opened, foreign, onClose, onConfirm }: { opened: boolean; foreign: boolean; onClose: () => void; onConfirm: (password: string) => Promise<void> }) {
  const { t } = useTranslation();
  const form = useFormState({ password: '' });
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useAlert();

  async function submit() {
    setAlert(null);
    if (!form.values.password) {
      form.setErrors({ password: t('validation.required') });
      return;
    }
    setBusy(true);
    try {
      await onConfirm(form.values.password);
      form.setValues({ password: '' });
    } catch (e) {
      const rest = e instanceof IpcError ? form.applyIssues(e) : [];
      if (!(e instanceof IpcError) || e.issues.length === 0 || rest.length > 0) setAlert(errorMessage(e));
      form.setValues((v) => ({ ...v, password: '' })); // keeps the field's error
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={t('backups.restore.confirmTitle')} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('backups.restore.confirmText')}</Text>
          {foreign && (
            <Alert color="orange" variant="light">
              {t('backups.restore.foreign')}
            </Alert>
          )}
          {alert && (
            <Alert color="red" variant="light" role="alert">
              {alert}
            </Alert>
          )}
          <PasswordField label={t('backups.restore.password')} required autoComplete="current-password" maxLength={128} autoFocus {...form.text('password')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('app.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy}>
              {t('backups.restore.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
