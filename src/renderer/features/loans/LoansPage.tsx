import { Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { DataTable, type DataTableSortStatus } from 'mantine-datatable';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DPD_BUCKETS, LEVELS, type ClassificationLevel, type DpdBucket } from '../../../shared/domain';
import { LOAN_STATUSES, type LoanListRow, type LoanStatus } from '../../../shared/ipc/loans';
import { seesAllLoans } from '../../../shared/permissions';
import { PageHeader } from '../../components/PageHeader';
import { useTableText } from '../../components/tableText';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { levelLabel } from '../../lib/labels';
import { useNav } from '../../lib/nav';
import { notifyError } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { useSticky } from '../../lib/sticky';
import { useLoanColumns } from './loanColumns';

const PAGE_SIZE = 50;
type SortKey = 'contractNo' | 'borrowerName' | 'balanceFen' | 'dpd' | 'maturityDate';

interface Filters {
  query: string;
  officer: string | null;
  bucket: DpdBucket | null;
  level: ClassificationLevel | null;
  status: LoanStatus | null;
  sort: SortKey;
  direction: 'asc' | 'desc';
  page: number;
}

export function LoansPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const session = useSession();
  const canWrite = useCan('portfolio.write');
  const text = useTableText();
  const branchWide = seesAllLoans(session.roles);
  const [f, setF] = useSticky<Filters>('loans.filters', {
    query: '',
    officer: null,
    bucket: null,
    level: null,
    status: 'active',
    sort: 'contractNo',
    direction: 'asc',
    page: 1,
  });
  const [query] = useDebouncedValue(f.query.trim(), 300);
  const [data, setData] = useState<{ total: number; rows: LoanListRow[]; asOf: string } | null>(null);
  const [fetching, setFetching] = useState(false);
  const [officers, setOfficers] = useState<{ username: string; displayName: string }[]>([]);
  const officerNames = useMemo(() => new Map(officers.map((o) => [o.username, o.displayName])), [officers]);
  const columns = useLoanColumns(branchWide ? officerNames : null, true);
  const { officer, bucket, level, status, sort, direction, page } = f;

  useEffect(() => {
    if (branchWide) invoke('loans.officers').then(setOfficers).catch(notifyError);
  }, [branchWide]);

  useEffect(() => {
    let stale = false;
    setFetching(true);
    invoke('loans.list', { query, officer, bucket, level, status, sort, direction, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
      .then((d) => !stale && setData(d))
      .catch(notifyError)
      .finally(() => !stale && setFetching(false));
    return () => {
      stale = true;
    };
  }, [query, officer, bucket, level, status, sort, direction, page]);

  const all = { value: '', label: t('portfolio.all') };
  const set = (patch: Partial<Filters>) => setF({ ...f, page: 1, ...patch });
  return (
    <Stack gap="md">
      <PageHeader title={t('loans.title')}>
        {canWrite && (
          <>
            <Button variant="light" onClick={() => nav.navigate({ page: 'loans', create: 'factoring' })}>
              {t('loans.newFactoring')}
            </Button>
            <Button onClick={() => nav.navigate({ page: 'loans', create: 'loan' })}>{t('loans.new')}</Button>
          </>
        )}
      </PageHeader>
      <Group align="flex-end" gap="sm">
        <TextInput label={t('loans.query')} placeholder={t('loans.queryPlaceholder')} w={280} value={f.query} onChange={(e) => set({ query: e.currentTarget.value })} />
        {branchWide && (
          <Select
            label={t('loans.officer')}
            w={200}
            searchable
            data={[all, ...officers.map((o) => ({ value: o.username, label: o.displayName }))]}
            value={officer ?? ''}
            allowDeselect={false}
            onChange={(v) => set({ officer: v || null })}
          />
        )}
        <Select
          label={t('loans.bucket')}
          w={110}
          data={[all, ...DPD_BUCKETS.map((b) => ({ value: b, label: b }))]}
          value={bucket ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ bucket: (v || null) as DpdBucket | null })}
        />
        <Select
          label={t('loans.level')}
          w={150}
          data={[all, ...LEVELS.map((l) => ({ value: l, label: levelLabel(l, locale) }))]}
          value={level ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ level: (v || null) as ClassificationLevel | null })}
        />
        <Select
          label={t('loans.status')}
          w={140}
          data={[all, ...LOAN_STATUSES.map((s) => ({ value: s, label: t(`portfolio.loanStatus.${s}`) }))]}
          value={status ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ status: (v || null) as LoanStatus | null })}
        />
      </Group>
      <Paper withBorder>
        <DataTable<LoanListRow>
          minHeight={data?.rows.length ? undefined : 180}
          striped
          highlightOnHover
          fz="sm"
          verticalSpacing={6}
          records={data?.rows ?? []}
          fetching={fetching && !data}
          {...text}
          noRecordsText={t('loans.empty')}
          totalRecords={data?.total ?? 0}
          recordsPerPage={PAGE_SIZE}
          page={page}
          onPageChange={(p) => setF({ ...f, page: p })}
          sortStatus={{ columnAccessor: sort, direction }}
          onSortStatusChange={(s: DataTableSortStatus<LoanListRow>) => set({ sort: s.columnAccessor as SortKey, direction: s.direction })}
          onRowClick={({ record }) => nav.navigate({ page: 'loans', loanId: record.id })}
          columns={columns}
        />
      </Paper>
      {data && (
        <Text size="xs" c="dimmed">
          {t('loans.asOf', { date: formatDay(data.asOf, locale) })}
        </Text>
      )}
    </Stack>
  );
}
