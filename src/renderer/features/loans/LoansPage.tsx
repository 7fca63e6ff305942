import { Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DPD_BUCKETS, LEVELS, type ClassificationLevel, type DpdBucket } from '../../../shared/domain';
import { LOAN_STATUSES, type LoanListRow, type LoanStatus } from '../../../shared/ipc/loans';
import { seesAllLoans } from '../../../shared/permissions';
import { PageHeader } from '../../components/PageHeader';
import { VirtualTable } from '../../components/VirtualTable';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { levelLabel } from '../../lib/labels';
import { useNav } from '../../lib/nav';
import { notifyError } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { useSticky } from '../../lib/sticky';
import { useWindowedList } from '../../lib/useWindowedList';
import { useLoanColumns } from './loanColumns';

type SortKey = 'contractNo' | 'borrowerName' | 'balanceFen' | 'dpd' | 'maturityDate';

interface Filters {
  query: string;
  officer: string | null;
  bucket: DpdBucket | null;
  level: ClassificationLevel | null;
  status: LoanStatus | null;
  sort: SortKey;
  direction: 'asc' | 'desc';
}

export function LoansPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const session = useSession();
  const canWrite = useCan('portfolio.write');
  const branchWide = seesAllLoans(session.roles);
  const [f, setF] = useSticky<Filters>('loans.filters', {
    query: '',
    officer: null,
    bucket: null,
    level: null,
    status: 'active',
    sort: 'contractNo',
    direction: 'asc',
  });
  const [query] = useDebouncedValue(f.query.trim(), 300);
  const [officers, setOfficers] = useState<{ username: string; displayName: string }[]>([]);
  const officerNames = useMemo(() => new Map(officers.map((o) => [o.username, o.displayName])), [officers]);
  const columns = useLoanColumns(branchWide ? officerNames : null, true);
  const { officer, bucket, level, status, sort, direction } = f;
  const key = JSON.stringify([query, officer, bucket, level, status, sort, direction]);
  const fetch = useCallback(
    (offset: number, limit: number) => invoke('loans.list', { query, officer, bucket, level, status, sort, direction, limit, offset }),
    [query, officer, bucket, level, status, sort, direction],
  );
  const list = useWindowedList<LoanListRow, { total: number; rows: LoanListRow[]; asOf: string }>(key, fetch);

  useEffect(() => {
    if (branchWide) invoke('loans.officers').then(setOfficers).catch(notifyError);
  }, [branchWide]);

  const all = { value: '', label: t('portfolio.all') };
  const set = (patch: Partial<Filters>) => setF({ ...f, ...patch });
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
          onRowClick={(r) => nav.navigate({ page: 'loans', loanId: r.id })}
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
