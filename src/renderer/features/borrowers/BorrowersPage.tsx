import { Anchor, Badge, Button, Group, Paper, Select, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { DataTable } from 'mantine-datatable';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTY_KINDS, TIERS, type BorrowerListRow, type PartyKind, type Tier } from '../../../shared/ipc/borrowers';
import { PageHeader } from '../../components/PageHeader';
import { useTableText } from '../../components/tableText';
import { notifyError, notifySuccess } from '../../lib/notify';
import { invoke } from '../../lib/ipc';
import { yuan } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { useCan } from '../../lib/session';
import { useSticky } from '../../lib/sticky';
import { BorrowerFormModal } from './BorrowerFormModal';

const PAGE_SIZE = 50;
export const TIER_COLORS: Record<Tier, string> = { good: 'green', normal: 'blue', risk: 'red' };

export function BorrowersPage() {
  const { t } = useTranslation();
  const nav = useNav();
  const canWrite = useCan('portfolio.write');
  const text = useTableText();
  const [filters, setFilters] = useSticky('borrowers.filters', { query: '', kind: null as PartyKind | null, tier: null as Tier | null, page: 1 });
  const [query] = useDebouncedValue(filters.query.trim(), 300);
  const [data, setData] = useState<{ total: number; rows: BorrowerListRow[] } | null>(null);
  const [fetching, setFetching] = useState(false);
  const [creating, setCreating] = useState(false);
  const { kind, tier, page } = filters;

  useEffect(() => {
    let stale = false;
    setFetching(true);
    invoke('borrowers.search', { query, kind, tier, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
      .then((d) => !stale && setData(d))
      .catch(notifyError)
      .finally(() => !stale && setFetching(false));
    return () => {
      stale = true;
    };
  }, [query, kind, tier, page]);

  const open = (id: number) => nav.navigate({ page: 'borrowers', borrowerId: id });
  return (
    <Stack gap="md">
      <PageHeader title={t('borrowers.title')}>{canWrite && <Button onClick={() => setCreating(true)}>{t('borrowers.add')}</Button>}</PageHeader>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('borrowers.query')}
          placeholder={t('borrowers.searchPlaceholder')}
          w={300}
          value={filters.query}
          onChange={(e) => setFilters({ ...filters, query: e.currentTarget.value, page: 1 })}
        />
        <Select
          label={t('borrowers.kind')}
          w={140}
          data={[{ value: '', label: t('portfolio.all') }, ...PARTY_KINDS.map((k) => ({ value: k, label: t(`portfolio.kind.${k}`) }))]}
          value={kind ?? ''}
          allowDeselect={false}
          onChange={(v) => setFilters({ ...filters, kind: (v || null) as PartyKind | null, page: 1 })}
        />
        <Select
          label={t('borrowers.tier')}
          w={140}
          data={[{ value: '', label: t('portfolio.all') }, ...TIERS.map((k) => ({ value: k, label: t(`portfolio.tier.${k}`) }))]}
          value={tier ?? ''}
          allowDeselect={false}
          onChange={(v) => setFilters({ ...filters, tier: (v || null) as Tier | null, page: 1 })}
        />
      </Group>
      <Paper withBorder>
        <DataTable<BorrowerListRow>
          minHeight={data?.rows.length ? undefined : 180}
          striped
          highlightOnHover
          fz="sm"
          verticalSpacing={6}
          records={data?.rows ?? []}
          fetching={fetching && !data}
          {...text}
          noRecordsText={t('borrowers.empty')}
          totalRecords={data?.total ?? 0}
          recordsPerPage={PAGE_SIZE}
          page={page}
          onPageChange={(p) => setFilters({ ...filters, page: p })}
          onRowClick={({ record }) => open(record.id)}
          columns={[
            {
              accessor: 'name',
              title: t('borrowers.name'),
              render: (r) => (
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={(e) => {
                    e.stopPropagation();
                    open(r.id);
                  }}
                >
                  {r.name}
                </Anchor>
              ),
            },
            { accessor: 'kind', title: t('borrowers.kind'), render: (r) => t(`portfolio.kind.${r.kind}`), noWrap: true },
            { accessor: 'idNumber', title: t('borrowers.idNumber'), cellsStyle: () => ({ fontFamily: 'var(--mantine-font-family-monospace)' }) },
            { accessor: 'phone', title: t('borrowers.phone') },
            {
              accessor: 'tier',
              title: t('borrowers.tier'),
              render: (r) => (
                <Badge variant="light" size="sm" radius="sm" color={TIER_COLORS[r.tier]}>
                  {t(`portfolio.tier.${r.tier}`)}
                </Badge>
              ),
            },
            { accessor: 'loanCount', title: t('borrowers.loans'), textAlign: 'right' },
            { accessor: 'balanceFen', title: t('borrowers.balance'), textAlign: 'right', render: (r) => yuan(r.balanceFen) },
          ]}
        />
      </Paper>
      {creating && (
        <BorrowerFormModal
          onClose={() => setCreating(false)}
          onSaved={(b) => {
            setCreating(false);
            notifySuccess(t('borrowers.saved'));
            open(b.id);
          }}
        />
      )}
    </Stack>
  );
}
