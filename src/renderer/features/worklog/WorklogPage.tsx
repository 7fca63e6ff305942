import { Badge, Box, Button, Group, Loader, Pagination, Paper, SegmentedControl, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { Borrower } from '../../../shared/ipc/borrowers';
import { WORKLOG_ENTRY_KINDS, type WorklogGaps, type WorklogView } from '../../../shared/ipc/worklog';
import { seesAllLoans } from '../../../shared/permissions';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { useIpcQuery } from '../../lib/data/useIpc';
import { invoke } from '../../lib/ipc';
import { useNav } from '../../lib/nav';
import { notifyError } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { useSticky } from '../../lib/sticky';
import { useStaffNames } from '../inspections/names';
import { WorklogEntries } from './WorklogEntries';
import { WorklogForm } from './WorklogForm';
import { to } from '../../routes/links';
import type { WorklogSearch } from '../../routes/search';

const PAGE_SIZE = 50;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** 工作日志: who is behind this month (supervisors see every officer), entries awaiting a comment; or one borrower's log. */
export function WorklogPage({ borrowerId }: { borrowerId: number | null }) {
  return borrowerId ? <BorrowerLog key={borrowerId} borrowerId={borrowerId} /> : <BranchLog />;
}

/** The branch's log: who is behind this month, or every entry searched and filtered (the view is in the URL). */
function BranchLog() {
  const { t } = useTranslation();
  const search = useSearch({ from: '/worklog' });
  const navigate = useNavigate({ from: '/worklog' });
  const view = search.view ?? 'coverage';
  return (
    <Stack gap="md">
      <PageHeader title={t('worklogUi.title')} />
      <Tabs value={view} onChange={(v) => void navigate({ search: (prev) => ({ ...prev, view: (v ?? 'coverage') as 'coverage' | 'entries' }), replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="coverage">{t('worklogUi.coverageTab')}</Tabs.Tab>
          <Tabs.Tab value="entries">{t('worklogUi.entriesTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="coverage" pt="md">
          <Coverage />
        </Tabs.Panel>
        <Tabs.Panel value="entries" pt="md">
          <EntriesSearch />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** Every entry the user may read (contacts and promises among them), searched and filtered in main, 50 a page. */
function EntriesSearch() {
  const { t } = useTranslation();
  const session = useSession();
  const branchWide = seesAllLoans(session.roles);
  const search = useSearch({ from: '/worklog' });
  const navigate = useNavigate({ from: '/worklog' });
  const [page, setPage] = useState(1);
  const set = (patch: Partial<WorklogSearch>) => {
    setPage(1);
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true, state: (s) => s });
  };
  const [typed, setTyped] = useState(search.query ?? '');
  const [query] = useDebouncedValue((search.query ?? '').trim(), 300);
  const rangeOk = !search.from || !search.to || search.from <= search.to;
  const filters = { query: query || null, officer: search.officer ?? null, from: search.from ?? null, to: search.to ?? null, kind: search.kind ?? null };
  const data = useIpcQuery('worklog.search', { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, { enabled: rangeOk, placeholderData: keepPreviousData });
  const users = useIpcQuery('users.names', {}, { staleTime: 5 * 60_000, enabled: branchWide }).data ?? [];
  const all = { value: '', label: t('portfolio.all') };
  const pages = data.data ? Math.max(1, Math.ceil(data.data.total / PAGE_SIZE)) : 1;
  return (
    <Stack gap="md">
      <Group align="flex-start" gap="sm" data-testid="worklog-filters">
        <TextInput
          label={t('worklogUi.query')}
          placeholder={t('worklogUi.queryPlaceholder')}
          w={260}
          maxLength={100}
          value={typed}
          onChange={(e) => {
            setTyped(e.currentTarget.value);
            set({ query: e.currentTarget.value || undefined });
          }}
        />
        {branchWide && (
          <Select
            label={t('worklogUi.authorFilter')}
            w={150}
            searchable
            data={[all, ...users.map((u) => ({ value: u.username, label: u.displayName || u.username }))]}
            value={search.officer ?? ''}
            allowDeselect={false}
            onChange={(v) => set({ officer: v || undefined })}
          />
        )}
        <DateRangeFilter from={search.from} to={search.to} onChange={(r) => set(r)} />
        <Select
          label={t('worklogUi.kindFilter')}
          w={140}
          data={[all, ...WORKLOG_ENTRY_KINDS.map((k) => ({ value: k, label: t(`worklog.kind.${k}`) }))]}
          value={search.kind ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ kind: (v || undefined) as WorklogSearch['kind'] })}
        />
        <Box pt={25}>
          <ExportXlsxButton run={() => invoke('worklog.exportXlsx', { borrowerId: null, loanId: null, ...filters })} />
        </Box>
      </Group>
      <Paper withBorder p="md">
        {data.data ? <WorklogEntries entries={data.data.rows} withBorrower onChange={() => void data.refetch()} testId="worklog-entries" /> : <Loader size="sm" aria-label={t('app.loading')} />}
      </Paper>
      {data.data && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="worklog-count">
            {t('worklogUi.count', { count: data.data.total })}
          </Text>
          {pages > 1 && <Pagination size="sm" total={pages} value={page} onChange={setPage} getControlProps={(control) => ({ 'aria-label': t(`app.${control}Page`) })} />}
        </Group>
      )}
    </Stack>
  );
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
  const behind = gaps?.behind ?? 0;
  const monthError = MONTH.test(typed.trim()) ? null : t('worklogUi.monthError');

  return (
    <Stack gap="md">
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
