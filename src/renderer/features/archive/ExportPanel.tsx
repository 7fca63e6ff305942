import { Alert, Button, Code, Group, List, MultiSelect, Paper, Progress, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportJobView, VerifyReport } from '../../../shared/ipc/archive';
import type { LoanListRow } from '../../../shared/ipc/loans';
import { Fact } from '../../components/Fields';
import { PasswordField } from '../../components/PasswordField';
import { PathField } from '../../components/PathField';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDateTime } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';
import { MIN_PASSWORD } from '../../lib/passwords';
import { formatBytes } from '../documents/files';
import { resolveContracts, splitContracts } from './loanLookup';

const POLL_MS = 300;
const ASCII = /^[\x21-\x7e]+$/;

/** 档案导出: chosen loans into one AES-encrypted ZIP in a folder (e.g. a USB stick), with progress and cancel. */
export function ExportPanel({ onVerify }: { onVerify: (file: string) => void }) {
  const { t } = useTranslation();
  const [loans, setLoans] = useState<LoanListRow[]>([]);
  const form = useFormState({ contracts: '', picked: [] as string[], targetDir: '', password: '', confirm: '' }, (path) => (path === 'loanIds' ? 'contracts' : path.split('.')[0]));
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<ExportJobView | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const v = form.values;

  useEffect(() => {
    invoke('loans.list', { query: '', officer: null, bucket: null, level: null, status: null, sort: 'contractNo', direction: 'asc', limit: 1000, offset: 0 })
      .then((r) => setLoans(r.rows))
      .catch(notifyError);
    return () => {
      if (timer.current) clearInterval(timer.current);
    };
  }, []);

  const typed = splitContracts(v.contracts);
  const pickedNos = new Set(v.picked.map((id) => loans.find((l) => String(l.id) === id)?.contractNo).filter(Boolean));
  const count = v.picked.length + typed.filter((no) => !pickedNos.has(no)).length;

  function poll(id: string) {
    if (timer.current) clearInterval(timer.current);
    timer.current = setInterval(() => {
      invoke('archive.exportStatus', { jobId: id })
        .then((j) => {
          setJob(j);
          if (j.state !== 'running' && timer.current) {
            clearInterval(timer.current);
            timer.current = null;
          }
        })
        .catch((e) => {
          if (timer.current) clearInterval(timer.current);
          timer.current = null;
          notifyError(e);
        });
    }, POLL_MS);
  }

  async function start() {
    const errors = {
      ...(count === 0 ? { contracts: t('archiveUi.chooseLoans') } : {}),
      ...(v.targetDir.trim() ? {} : { targetDir: t('validation.required') }),
      ...(v.password.length < MIN_PASSWORD
        ? { password: t('validation.tooShort', { min: MIN_PASSWORD }) }
        : !ASCII.test(v.password)
          ? { password: t('validation.asciiPassword') }
          : v.password !== v.confirm
            ? { confirm: t('setup.passwordMismatch') }
            : {}),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const { loans: found, missing } = await resolveContracts(typed.filter((no) => !pickedNos.has(no)));
      if (missing.length > 0) {
        form.setErrors({ contracts: t('archiveUi.unknownContract', { nos: missing.join(t('archiveUi.listSep')) }) });
        return;
      }
      const loanIds = [...new Set([...v.picked.map(Number), ...found.map((l) => l.id)])];
      const j = await invoke('archive.export', { loanIds, targetDir: v.targetDir.trim(), password: v.password });
      setJob(j);
      poll(j.id);
    } catch (e) {
      form.handleError(e);
    } finally {
      setBusy(false);
    }
  }

  async function cancel() {
    if (!job) return;
    try {
      setJob(await invoke('archive.cancelExport', { jobId: job.id }));
    } catch (e) {
      notifyError(e);
    }
  }

  const running = job?.state === 'running';
  const percent = job && job.total > 0 ? Math.round((job.done / job.total) * 100) : 0;
  return (
    <Stack gap="md" maw={900}>
      <Paper withBorder p="md">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <Stack gap="sm">
            <Title order={4} size="h5">
              {t('archiveUi.exportLoans')}
            </Title>
            <SimpleGrid cols={2}>
              <MultiSelect
                label={t('archiveUi.exportPick')}
                placeholder={t('archiveUi.exportPickHint')}
                searchable
                clearable
                hidePickedOptions
                maxDropdownHeight={260}
                limit={200}
                nothingFoundMessage={t('portfolio.empty')}
                data={loans.map((l) => ({ value: String(l.id), label: `${l.contractNo} ${l.borrowerName}` }))}
                value={v.picked}
                onChange={(x) => form.set('picked', x)}
                disabled={running}
              />
              <Textarea
                label={t('archiveUi.contracts')}
                description={t('archiveUi.contractsHint')}
                autosize
                minRows={2}
                maxRows={6}
                classNames={{ input: 'lk-mono-input' }}
                disabled={running}
                {...form.text('contracts')}
              />
            </SimpleGrid>
            <Text size="sm" c={count > 0 ? undefined : 'dimmed'} data-testid="export-count">
              {t('archiveUi.selectedLoans', { count })}
            </Text>
            <PathField
              kind="folder"
              label={t('archiveUi.targetDir')}
              description={t('archiveUi.targetDirHint')}
              required
              maxLength={1000}
              disabled={running}
              pickTitle={t('pathField.targetDirTitle')}
              onPick={(p) => form.set('targetDir', p)}
              {...form.text('targetDir')}
            />
            <SimpleGrid cols={2}>
              <PasswordField label={t('archiveUi.password')} required maxLength={128} autoComplete="new-password" disabled={running} {...form.text('password')} />
              <PasswordField label={t('archiveUi.passwordConfirm')} required maxLength={128} autoComplete="new-password" disabled={running} {...form.text('confirm')} />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              {t('archiveUi.passwordHint')}
            </Text>
            <Group justify="flex-end">
              <Button type="submit" loading={busy} disabled={running}>
                {t('archiveUi.start')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>

      {job && (
        <Paper withBorder p="md" data-testid="export-job" data-state={job.state}>
          <Stack gap="sm">
            <Group justify="space-between">
              <Text size="sm" fw={600}>
                {t(`archiveUi.jobState.${job.state}`)}
              </Text>
              <Text size="sm" c="dimmed" data-testid="export-progress-text">
                {t('archiveUi.exportProgress', { done: job.done, total: job.total, size: formatBytes(job.bytes) })}
              </Text>
            </Group>
            <Progress value={job.state === 'done' ? 100 : percent} size="lg" animated={running} color={job.state === 'failed' ? 'red' : job.state === 'cancelled' ? 'gray' : undefined} aria-label={t('archiveUi.exportProgressLabel')} />
            {running && (
              <Group justify="flex-end">
                <Button variant="default" onClick={() => void cancel()}>
                  {t('archiveUi.cancel')}
                </Button>
              </Group>
            )}
            {job.state === 'done' && job.file && (
              <Alert color="green" title={t('archiveUi.exportDone')}>
                <Stack gap="xs">
                  <Text size="sm">{t('archiveUi.exportFile')}</Text>
                  <Code block data-testid="export-file">
                    {job.file}
                  </Code>
                  <Text size="xs" c="dimmed">
                    {t('archiveUi.exportDoneHint')}
                  </Text>
                  <Group>
                    <Button size="xs" variant="light" onClick={() => onVerify(job.file!)}>
                      {t('archiveUi.verifyThis')}
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            )}
            {(job.state === 'failed' || job.state === 'cancelled') && (
              <Alert color={job.state === 'failed' ? 'red' : 'gray'} title={t(`archiveUi.jobState.${job.state}`)}>
                {job.error}
              </Alert>
            )}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

/** 核验导出包: checks a package against its own manifest, on any machine, with only the file and the password. */
export function VerifyPanel({ initialFile }: { initialFile: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const form = useFormState({ file: initialFile, password: '' });
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const v = form.values;

  async function run() {
    const errors = { ...(v.file.trim() ? {} : { file: t('validation.required') }), ...(v.password ? {} : { password: t('validation.required') }) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    setReport(null);
    try {
      setReport(await invoke('archive.verify', { file: v.file.trim(), password: v.password }));
    } catch (e) {
      form.handleError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="md" maw={900}>
      <Paper withBorder p="md">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <Stack gap="sm">
            <PathField
              kind="file"
              label={t('archiveUi.verifyFile')}
              required
              maxLength={1000}
              pickTitle={t('pathField.packageTitle')}
              filters={[{ name: t('pathField.zipFilter'), extensions: ['zip'] }]}
              onPick={(p) => form.set('file', p)}
              {...form.text('file')}
            />
            <PasswordField label={t('archiveUi.verifyPassword')} required maxLength={128} autoComplete="off" {...form.text('password')} />
            <Group justify="flex-end">
              <Button type="submit" loading={busy}>
                {t('archiveUi.verifyStart')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {report && <VerifyResult report={report} locale={locale} />}
    </Stack>
  );
}

function VerifyResult({ report, locale }: { report: VerifyReport; locale: 'zh-CN' | 'en' }) {
  const { t } = useTranslation();
  if (report.error) {
    return (
      <Alert color="red" title={t('archiveUi.verifyBad')} data-testid="verify-result" data-ok="false">
        {report.error}
      </Alert>
    );
  }
  const lists: { key: 'missing' | 'changed' | 'extra'; items: string[] }[] = [
    { key: 'missing', items: report.missing },
    { key: 'changed', items: report.changed },
    { key: 'extra', items: report.extra },
  ];
  return (
    <Paper withBorder p="md" data-testid="verify-result" data-ok={report.ok ? 'true' : 'false'}>
      <Stack gap="md">
        <Alert color={report.ok ? 'green' : 'orange'} title={report.ok ? t('archiveUi.verifyOk') : t('archiveUi.verifyBad')}>
          {report.ok ? t('archiveUi.verifyOkHint', { count: report.checked }) : t('archiveUi.verifyBadHint')}
        </Alert>
        <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md">
          <Fact label={t('archiveUi.institution')}>{report.institution ?? '—'}</Fact>
          <Fact label={t('archiveUi.exportedAt')}>{report.exportedAt ? formatDateTime(report.exportedAt, locale) : '—'}</Fact>
          <Fact label={t('archiveUi.exportedBy')}>{report.exportedBy ?? '—'}</Fact>
          <Fact label={t('archiveUi.loanCount')}>
            <span data-testid="verify-loans">{report.loans.length}</span>
          </Fact>
          <Fact label={t('archiveUi.checked')}>
            <span data-testid="verify-checked">{report.checked}</span>
          </Fact>
        </SimpleGrid>
        <SimpleGrid cols={3} spacing="md">
          {lists.map((l) => (
            <div key={l.key} data-testid={`verify-${l.key}`}>
              <Text size="sm" fw={600} c={l.items.length ? 'red.7' : undefined}>
                {t(`archiveUi.${l.key}List`, { count: l.items.length })}
              </Text>
              {l.items.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('archiveUi.none')}
                </Text>
              ) : (
                <List size="xs" spacing={2}>
                  {l.items.map((p) => (
                    <List.Item key={p} style={{ wordBreak: 'break-all' }}>
                      {p}
                    </List.Item>
                  ))}
                </List>
              )}
            </div>
          ))}
        </SimpleGrid>
        {report.loans.length > 0 && (
          <Table fz="sm" verticalSpacing={4} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('archiveUi.contractNo')}</Table.Th>
                <Table.Th>{t('archiveUi.borrower')}</Table.Th>
                <Table.Th>{t('archiveUi.folder')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.loans.map((l) => (
                <Table.Tr key={l.folder}>
                  <Table.Td ff="monospace">{l.contractNo}</Table.Td>
                  <Table.Td>{l.borrower}</Table.Td>
                  <Table.Td ff="monospace">{l.folder}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
