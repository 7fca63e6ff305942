import { Anchor, Badge, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTY_KINDS, TIERS, type BorrowerListRow, type PartyKind, type Tier } from '../../../shared/ipc/borrowers';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { VirtualTable } from '../../components/VirtualTable';
import { notifySuccess } from '../../lib/notify';
import { invoke } from '../../lib/ipc';
import { yuan } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { useCan } from '../../lib/session';
import { useWindowedList } from '../../lib/useWindowedList';
import { BorrowerFormModal } from './BorrowerFormModal';
import { to } from '../../routes/links';
import type { BorrowerSearch } from '../../routes/search';

type SortKey = 'name' | 'idNumber' | 'tier' | 'loanCount' | 'balanceFen';
export const TIER_COLORS: Record<Tier, string> = { good: 'green', normal: 'blue', risk: 'red' };

export function BorrowersPage() {
  const { t } = useTranslation();
  const nav = useNav();
  const canWrite = useCan('portfolio.write');
  // Filters live in the route's search params: back from a borrower returns to them, the navbar opens the list plain.
  const search = useSearch({ from: '/borrowers' });
  const navigate = useNavigate({ from: '/borrowers' });
  const set = (patch: Partial<BorrowerSearch>) => void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true, state: (s) => s });
  const [typed, setTyped] = useState(search.query ?? '');
  // The URL has every keystroke (a page opened again, or back, shows what was typed); main is asked once typing pauses.
  const [query] = useDebouncedValue((search.query ?? '').trim(), 300);
  const kind = search.kind ?? null;
  const tier = search.tier ?? null;
  const sort: SortKey = search.sort ?? 'name';
  const direction = search.direction ?? 'asc';
  const [creating, setCreating] = useState(false);
  const key = JSON.stringify([query, kind, tier, sort, direction]);
  const fetch = useCallback((offset: number, limit: number) => invoke('borrowers.search', { query, kind, tier, sort, direction, limit, offset }), [query, kind, tier, sort, direction]);
  const list = useWindowedList<BorrowerListRow, { total: number; rows: BorrowerListRow[] }>(key, fetch);

  const open = (id: number) => nav.navigate(to.borrower(id));
  return (
    <Stack gap="md">
      <PageHeader title={t('borrowers.title')}>
        <ExportXlsxButton run={() => invoke('borrowers.exportXlsx', { query, kind, tier, sort, direction })} />
        {canWrite && <Button onClick={() => setCreating(true)}>{t('borrowers.add')}</Button>}
      </PageHeader>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('borrowers.query')}
          maxLength={100}
          placeholder={t('borrowers.searchPlaceholder')}
          w={300}
          value={typed}
          onChange={(e) => {
            setTyped(e.currentTarget.value);
            set({ query: e.currentTarget.value || undefined });
          }}
        />
        <Select
          label={t('borrowers.kind')}
          w={140}
          data={[{ value: '', label: t('portfolio.all') }, ...PARTY_KINDS.map((k) => ({ value: k, label: t(`portfolio.kind.${k}`) }))]}
          value={kind ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ kind: (v || undefined) as PartyKind | undefined })}
        />
        <Select
          label={t('borrowers.tier')}
          w={140}
          data={[{ value: '', label: t('portfolio.all') }, ...TIERS.map((k) => ({ value: k, label: t(`portfolio.tier.${k}`) }))]}
          value={tier ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ tier: (v || undefined) as Tier | undefined })}
        />
      </Group>
      <Paper withBorder>
        <VirtualTable<BorrowerListRow, SortKey>
          testId="borrower-list"
          count={list.total}
          rowAt={list.rowAt}
          onRange={list.ensure}
          rowKey={(r) => r.id}
          resetKey={key}
          minWidth={900}
          emptyText={t('borrowers.empty')}
          sortStatus={{ columnAccessor: sort, direction }}
          onSortStatusChange={(s) => set({ sort: s.columnAccessor, direction: s.direction })}
          // Another officer's borrower is listed (so that nobody registers it twice) but does not open.
          onRowClick={(r) => r.managed && open(r.id)}
          columns={[
            {
              accessor: 'name',
              title: t('borrowers.name'),
              sortable: true,
              width: '24%',
              render: (r) =>
                r.managed ? (
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
                ) : (
                  <Group gap={6} wrap="nowrap" title={t('borrowers.othersBorrowerHint')}>
                    <Text span size="sm" truncate>
                      {r.name}
                    </Text>
                    <Badge variant="outline" color="gray" size="xs" radius="sm" style={{ flexShrink: 0 }} data-testid="others-borrower">
                      {t('borrowers.othersBorrower')}
                    </Badge>
                  </Group>
                ),
            },
            { accessor: 'kind', title: t('borrowers.kind'), width: 90, render: (r) => t(`portfolio.kind.${r.kind}`) },
            { accessor: 'idNumber', title: t('borrowers.idNumber'), sortable: true, width: 210, cellsStyle: () => ({ fontFamily: 'var(--mantine-font-family-monospace)' }) },
            { accessor: 'phone', title: t('borrowers.phone'), width: 140 },
            {
              accessor: 'tier',
              title: t('borrowers.tier'),
              sortable: true,
              width: 110,
              render: (r) => (
                <Badge variant="light" size="sm" radius="sm" color={TIER_COLORS[r.tier]}>
                  {t(`portfolio.tier.${r.tier}`)}
                </Badge>
              ),
            },
            { accessor: 'loanCount', title: t('borrowers.loans'), textAlign: 'right', sortable: true, width: 100, render: (r) => r.loanCount ?? '—' },
            { accessor: 'balanceFen', title: t('borrowers.balance'), textAlign: 'right', sortable: true, width: 150, render: (r) => (r.balanceFen === null ? '—' : yuan(r.balanceFen)) },
          ]}
        />
      </Paper>
      <Text size="xs" c="dimmed" data-testid="borrower-count">
        {list.total !== null && t('portfolio.count', { count: list.total })}
      </Text>
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
