import { Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DPD_BUCKETS, LEVELS } from '../../../shared/domain';
import { LOAN_STATUSES, type LoanListRow } from '../../../shared/ipc/loans';
import { seesAllLoans } from '../../../shared/permissions';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { VirtualTable } from '../../components/VirtualTable';
import { useLocale } from '../../lib/appInfo';
import { useIpcQuery } from '../../lib/data/useIpc';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { levelLabel } from '../../lib/labels';
import { useNav } from '../../lib/nav';
import { useCan, useSession } from '../../lib/session';
import { useWindowedList } from '../../lib/useWindowedList';
import { to } from '../../routes/links';
import type { LoanSearch } from '../../routes/search';
import { useLoanColumns } from './loanColumns';

type SortKey = NonNullable<LoanSearch['sort']>;

/** The list's filters live in the route's search params: a count on the home page opens it filtered, the navbar opens it plain. */
export function LoansPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const session = useSession();
  const canWrite = useCan('portfolio.write');
  const branchWide = seesAllLoans(session.roles);
  const search = useSearch({ from: '/loans' });
  const navigate = useNavigate({ from: '/loans' });
  const set = (patch: Partial<LoanSearch>) => void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true, state: (s) => s });

  // The text is typed here and reaches the URL (and main) when the typing pauses.
  const [typed, setTyped] = useState(search.query ?? '');
  // The URL has every keystroke (a page opened again, or back, shows what was typed); main is asked once typing pauses.
  const [query] = useDebouncedValue((search.query ?? '').trim(), 300);
  const officer = search.officer ?? null;
  const overdueOnly = search.bucket === 'M1+';
  const bucket = search.bucket && search.bucket !== 'M1+' ? search.bucket : null;
  const level = search.level ?? null;
  const status = search.status === 'all' ? null : (search.status ?? 'active');
  const sort: SortKey = search.sort ?? 'contractNo';
  const direction = search.direction ?? 'asc';

  const officers = useIpcQuery('loans.officers', {}, { enabled: branchWide });
  const officerNames = useMemo(() => new Map((officers.data ?? []).map((o) => [o.username, o.displayName])), [officers.data]);
  const columns = useLoanColumns(branchWide ? officerNames : null, true);
  const key = JSON.stringify([query, officer, bucket, overdueOnly, level, status, sort, direction]);
  const fetch = useCallback(
    (offset: number, limit: number) => invoke('loans.list', { query, officer, bucket, overdueOnly, level, status, sort, direction, limit, offset }),
    [query, officer, bucket, overdueOnly, level, status, sort, direction],
  );
  const list = useWindowedList<LoanListRow, { total: number; rows: LoanListRow[]; asOf: string }>(key, fetch);

  const all = { value: '', label: t('portfolio.all') };
  return (
    <Stack gap="md">
      <PageHeader title={t('loans.title')}>
        <ExportXlsxButton run={() => invoke('loans.exportXlsx', { query, officer, bucket, overdueOnly, level, status, sort, direction })} />
        {canWrite && (
          <>
            <Button variant="light" onClick={() => nav.navigate(to.newLoan('factoring'))}>
              {t('loans.newFactoring')}
            </Button>
            <Button onClick={() => nav.navigate(to.newLoan('loan'))}>{t('loans.new')}</Button>
          </>
        )}
      </PageHeader>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('loans.query')}
          maxLength={100}
          placeholder={t('loans.queryPlaceholder')}
          w={280}
          value={typed}
          onChange={(e) => {
            setTyped(e.currentTarget.value);
            set({ query: e.currentTarget.value || undefined });
          }}
        />
        {branchWide && (
          <Select
            label={t('loans.officer')}
            w={200}
            searchable
            data={[all, ...(officers.data ?? []).map((o) => ({ value: o.username, label: o.displayName }))]}
            value={officer ?? ''}
            allowDeselect={false}
            onChange={(v) => set({ officer: v || undefined })}
          />
        )}
        <Select
          label={t('loans.bucket')}
          w={130}
          data={[all, { value: 'M1+', label: t('loans.overdueBucket') }, ...DPD_BUCKETS.map((b) => ({ value: b, label: b }))]}
          value={search.bucket ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ bucket: (v || undefined) as LoanSearch['bucket'] })}
        />
        <Select
          label={t('loans.level')}
          w={150}
          data={[all, ...LEVELS.map((l) => ({ value: l, label: levelLabel(l, locale) }))]}
          value={level ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ level: (v || undefined) as LoanSearch['level'] })}
        />
        <Select
          label={t('loans.status')}
          w={140}
          data={[all, ...LOAN_STATUSES.map((s) => ({ value: s, label: t(`portfolio.loanStatus.${s}`) }))]}
          value={status ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ status: v ? (v as LoanSearch['status']) : 'all' })}
        />
      </Group>
      <Paper withBorder>
        <VirtualTable<LoanListRow, SortKey>
          testId="loan-list"
          columns={columns}
          count={list.total}
          rowAt={list.rowAt}
          onRange={list.ensure}
          rowKey={(r) => r.id}
          resetKey={key}
          minWidth={1100}
          emptyText={t('loans.empty')}
          sortStatus={{ columnAccessor: sort, direction }}
          onSortStatusChange={(s) => set({ sort: s.columnAccessor, direction: s.direction })}
          onRowClick={(r) => nav.navigate(to.loan(r.id))}
        />
      </Paper>
      <Group justify="space-between">
        <Text size="xs" c="dimmed" data-testid="loan-count">
          {list.total !== null && t('portfolio.count', { count: list.total })}
        </Text>
        {list.meta && (
          <Text size="xs" c="dimmed">
            {t('loans.asOf', { date: formatDay(list.meta.asOf, locale) })}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
