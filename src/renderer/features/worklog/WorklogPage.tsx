import { Badge, Button, Group, Loader, Pagination, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { Borrower } from '../../../shared/ipc/borrowers';
import type { WorklogGaps, WorklogView } from '../../../shared/ipc/worklog';
import { seesAllLoans } from '../../../shared/permissions';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { useNav } from '../../lib/nav';
import { notifyError } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { useSticky } from '../../lib/sticky';
import { useStaffNames } from '../inspections/names';
import { WorklogEntries } from './WorklogEntries';
import { WorklogForm } from './WorklogForm';
import { to } from '../../routes/links';

const PAGE_SIZE = 50;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** 工作日志: who is behind this month (supervisors see every officer), entries awaiting a comment; or one borrower's log. */
export function WorklogPage({ borrowerId }: { borrowerId: number | null }) {
  return borrowerId ? <BorrowerLog key={borrowerId} borrowerId={borrowerId} /> : <Coverage />;
}

function Coverage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const session = useSession();
  const name = useStaffNames();
  const canComment = useCan('worklog.comment');
  const branchWide = seesAllLoans(session.roles);
  const [month, setMonth] = useSticky('worklog.month', todayIn().slice(0, 7));
  const [typed, setTyped] = useState(month);
  const [only, setOnly] = useSticky<'behind' | 'all'>('worklog.only', 'behind');
  const [gaps, setGaps] = useState<WorklogGaps | null>(null);
  const [page, setPage] = useState(1);
  const [pending, setPending] = useState<WorklogView[] | null>(null);

  useEffect(() => {
    let stale = false;
    invoke('worklog.gaps', { month })
      .then((g) => !stale && setGaps(g))
      .catch(notifyError);
    return () => {
      stale = true;
    };
  }, [month]);

  const loadPending = useCallback(() => {
    if (!canComment) return;
    invoke('worklog.list', { borrowerId: null, loanId: null })
      .then((all) => setPending(all.filter((e) => e.supervisorComment === null && e.author !== session.username)))
      .catch(notifyError);
  }, [canComment, session.username]);
  useEffect(loadPending, [loadPending]);

  const rows = (gaps?.rows ?? []).filter((r) => only === 'all' || r.behind);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const shownPage = Math.min(page, pages);
  const behind = gaps?.officers.reduce((n, o) => n + o.behind, 0) ?? 0;
  const monthError = MONTH.test(typed.trim()) ? null : t('worklogUi.monthError');

  return (
    <Stack gap="md">
      <PageHeader title={t('worklogUi.title')}>
        <ExportXlsxButton run={() => invoke('worklog.exportXlsx', { borrowerId: null, loanId: null })} />
      </PageHeader>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('worklogUi.month')}
          placeholder={t('worklogUi.monthHint')}
          w={140}
          maxLength={7}
          classNames={{ input: 'lk-mono-input' }}
          value={typed}
          error={monthError}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setTyped(v);
            if (MONTH.test(v.trim())) {
              setMonth(v.trim());
              setPage(1);
            }
          }}
        />
        <SegmentedControl
          mb={2}
          value={only}
          onChange={(v) => {
            setOnly(v as 'behind' | 'all');
            setPage(1);
          }}
          data={[
            { value: 'behind', label: t('worklogUi.behind') },
            { value: 'all', label: t('inspections.all') },
          ]}
        />
      </Group>
      {!gaps ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : (
        <>
          <Text size="sm" c={behind > 0 ? 'red.7' : 'dimmed'} data-testid="worklog-summary">
            {t('worklogUi.summary', { total: gaps.total, behind, min: gaps.minPerMonth })}
          </Text>
          {branchWide && gaps.officers.length > 0 && (
            <Paper withBorder p="md">
              <Title order={3} size="h5" mb="xs">
                {t('worklogUi.officers')}
              </Title>
              <Table fz="sm" verticalSpacing={4} striped data-testid="worklog-officers" maw={720}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('worklogUi.officer')}</Table.Th>
                    <Table.Th ta="right">{t('worklogUi.borrowers')}</Table.Th>
                    <Table.Th ta="right">{t('worklogUi.behindCount')}</Table.Th>
                    <Table.Th ta="right">{t('worklogUi.entries')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {gaps.officers.map((o) => (
                    <Table.Tr key={o.officer}>
                      <Table.Td>{name(o.officer)}</Table.Td>
                      <Table.Td ta="right">{o.borrowers}</Table.Td>
                      <Table.Td ta="right" c={o.behind > 0 ? 'red.7' : undefined} fw={o.behind > 0 ? 700 : undefined}>
                        {o.behind}
                      </Table.Td>
                      <Table.Td ta="right">{o.entries}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          )}
          <Paper withBorder p="md">
            <Title order={3} size="h5" mb="xs">
              {t('worklogUi.rows')}
            </Title>
            <Table.ScrollContainer minWidth={760}>
              <Table fz="sm" verticalSpacing={4} striped highlightOnHover data-testid="worklog-gaps">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('worklogUi.borrower')}</Table.Th>
                    <Table.Th>{t('worklogUi.officer')}</Table.Th>
                    <Table.Th ta="right">{t('worklogUi.entries')}</Table.Th>
                    <Table.Th>{t('worklogUi.lastEntry')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.slice((shownPage - 1) * PAGE_SIZE, shownPage * PAGE_SIZE).map((r) => (
                    <Table.Tr key={`${r.borrowerId}-${r.officer}`}>
                      <Table.Td>{r.borrowerName}</Table.Td>
                      <Table.Td>{name(r.officer)}</Table.Td>
                      <Table.Td ta="right">{r.entries}</Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Text size="sm">{r.lastEntryDate ? formatDay(r.lastEntryDate, locale) : t('worklogUi.never')}</Text>
                          <Badge size="sm" variant={r.behind ? 'filled' : 'light'} color={r.behind ? 'red' : 'green'} style={NO_SHRINK}>
                            {r.behind ? t('worklogUi.behind') : t('worklogUi.ok')}
                          </Badge>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Button size="compact-xs" variant="subtle" onClick={() => nav.navigate(to.worklog(r.borrowerId))}>
                          {t('worklogUi.openLog')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {pages > 1 && (
              <Group justify="flex-end" mt="xs">
                <Pagination total={pages} value={shownPage} onChange={setPage} size="sm" getControlProps={(control) => ({ 'aria-label': t(`app.${control}Page`) })} />
              </Group>
            )}
          </Paper>
        </>
      )}
      {canComment && (
        <Paper withBorder p="md">
          <Title order={3} size="h5" mb="xs">
            {t('worklogUi.toComment')}
          </Title>
          {pending &&
            (pending.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('worklogUi.noneToComment')}
              </Text>
            ) : (
              <WorklogEntries entries={pending} withBorrower onChange={loadPending} testId="worklog-to-comment" />
            ))}
        </Paper>
      )}
    </Stack>
  );
}

function BorrowerLog({ borrowerId }: { borrowerId: number }) {
  const { t } = useTranslation();
  const nav = useNav();
  const canWrite = useCan('worklog.write');
  const [borrower, setBorrower] = useState<Borrower | null>(null);
  const [loans, setLoans] = useState<{ id: number; contractNo: string }[]>([]);
  const [entries, setEntries] = useState<WorklogView[] | null>(null);
  const load = useCallback(() => {
    invoke('worklog.list', { borrowerId, loanId: null }).then(setEntries).catch(notifyError);
  }, [borrowerId]);
  useEffect(load, [load]);
  useEffect(() => {
    (async () => {
      const b = await invoke('borrowers.get', { id: borrowerId });
      setBorrower(b);
      const list = await invoke('loans.list', { query: '', borrowerId, officer: null, bucket: null, level: null, status: 'active', sort: 'contractNo', direction: 'asc', limit: 50, offset: 0 });
      setLoans(list.rows.map((l) => ({ id: l.id, contractNo: l.contractNo })));
    })().catch(notifyError);
  }, [borrowerId]);
  return (
    <Stack gap="md">
      <Group gap="sm">
        <Button variant="subtle" size="compact-sm" onClick={nav.back}>
          {t('worklogUi.back')}
        </Button>
        <Title order={2} size="h3">
          {t('worklogUi.borrowerLog', { name: borrower?.name ?? '' })}
        </Title>
        {borrower && (
          <Button size="compact-sm" variant="subtle" onClick={() => nav.navigate(to.borrower(borrowerId))}>
            {borrower.idNumber}
          </Button>
        )}
        <ExportXlsxButton run={() => invoke('worklog.exportXlsx', { borrowerId, loanId: null })} />
      </Group>
      {canWrite && borrower && <WorklogForm key={loans.length} borrowerId={borrowerId} loans={loans} onAdded={load} />}
      <Paper withBorder p="md">{entries ? <WorklogEntries entries={entries} onChange={load} testId="borrower-worklog" /> : <Loader size="sm" aria-label={t('app.loading')} />}</Paper>
    </Stack>
  );
}
