import { Checkbox, Group, Pagination, Paper, Select, Stack, Text } from '@mantine/core';
import { keepPreviousData } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InspectionKind } from '../../../shared/ipc/inspections';
import { seesAllLoans } from '../../../shared/permissions';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { invoke } from '../../lib/ipc';
import { useIpcQuery } from '../../lib/data/useIpc';
import { useSession } from '../../lib/session';
import type { InspectionSearch } from '../../routes/search';
import { InspectionTable } from './InspectionTable';
import { useStaffNames } from './names';

const PAGE_SIZE = 50;
const KINDS: InspectionKind[] = ['first', 'routine', 'pre-maturity', 'special'];
type StatusFilter = 'planned' | 'done' | 'cancelled' | 'all';

/**
 * Every inspection the user may see (an officer's own loans; supervisors and the others the branch's). The
 * filters live in the URL like the loan list's: a count on the home page opens the list it counted, and
 * coming back from a loan finds the list as it was left.
 */
export function InspectionsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const name = useStaffNames();
  const branchWide = seesAllLoans(session.roles);
  const search = useSearch({ from: '/inspections' });
  const navigate = useNavigate({ from: '/inspections' });
  const [wanted, setPage] = useState(1);
  // Due-date range `YYYY-MM-DD`, either end open; no status stated means the planned visits.
  const f = { status: search.status ?? 'planned', kind: search.kind ?? null, officer: search.officer ?? null, overdueOnly: search.overdue ?? false, dueFrom: search.dueFrom, dueTo: search.dueTo };
  const input = { loanId: null, status: f.status === 'all' ? null : f.status, dueFrom: f.dueFrom ?? null, dueBefore: f.dueTo ?? null };
  const rangeOk = !f.dueFrom || !f.dueTo || f.dueFrom <= f.dueTo;
  const rows = useIpcQuery('inspections.list', input, { enabled: rangeOk, placeholderData: keepPreviousData }).data ?? null;

  const officers = useMemo(() => [...new Set((rows ?? []).map((r) => r.officer))].sort(), [rows]);
  const shown = useMemo(
    () => (rows ?? []).filter((r) => (!f.kind || r.kind === f.kind) && (!f.officer || r.officer === f.officer) && (!f.overdueOnly || r.overdue)),
    [rows, f.kind, f.officer, f.overdueOnly],
  );
  const overdue = shown.filter((r) => r.overdue).length;
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const page = Math.min(wanted, pages);
  const set = (patch: Partial<InspectionSearch>) => {
    setPage(1);
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true, state: (s) => s });
  };
  const all = { value: '', label: t('inspections.all') };

  return (
    <Stack gap="md">
      <PageHeader title={t('inspections.title')}>
        <ExportXlsxButton run={() => invoke('inspections.exportXlsx', { ...input, kind: f.kind, officer: f.officer, overdueOnly: f.overdueOnly })} />
      </PageHeader>
      <Group align="flex-start" gap="sm">
        <Select
          label={t('inspections.statusFilter')}
          w={140}
          allowDeselect={false}
          data={[
            { value: 'planned', label: t('inspections.status.planned') },
            { value: 'done', label: t('inspections.status.done') },
            { value: 'cancelled', label: t('inspections.status.cancelled') },
            { value: 'all', label: t('inspections.all') },
          ]}
          value={f.status}
          onChange={(v) => v && set({ status: v as StatusFilter })}
        />
        <Select
          label={t('inspections.kindFilter')}
          w={160}
          allowDeselect={false}
          data={[all, ...KINDS.map((k) => ({ value: k, label: t(`warnings.inspectionKind.${k}`) }))]}
          value={f.kind ?? ''}
          onChange={(v) => set({ kind: (v || undefined) as InspectionKind | undefined })}
        />
        {branchWide && (
          <Select
            label={t('inspections.officerFilter')}
            w={200}
            allowDeselect={false}
            searchable
            data={[all, ...officers.map((o) => ({ value: o, label: name(o) }))]}
            value={f.officer ?? ''}
            onChange={(v) => set({ officer: v || undefined })}
          />
        )}
        <DateRangeFilter
          from={f.dueFrom}
          to={f.dueTo}
          fromLabel={t('inspections.dueFrom')}
          toLabel={t('inspections.dueTo')}
          testId="inspections-due"
          onChange={(r) => set({ dueFrom: r.from, dueTo: r.to })}
        />
        <Checkbox label={t('inspections.overdue')} checked={f.overdueOnly} onChange={(e) => set({ overdue: e.currentTarget.checked || undefined })} mt={32} />
      </Group>
      {rows && (
        <Text size="sm" c={overdue > 0 ? 'red.7' : 'dimmed'} data-testid="inspections-summary">
          {t('inspections.summary', { count: shown.length, overdue })}
        </Text>
      )}
      <Paper withBorder>
        <InspectionTable rows={shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)} withLoan withOfficer={branchWide} testId="inspections" />
      </Paper>
      {pages > 1 && (
        <Group justify="flex-end">
          <Pagination
            total={pages}
            value={page}
            onChange={setPage}
            size="sm"
            getControlProps={(control) => ({ 'aria-label': t(`app.${control}Page`) })}
          />
        </Group>
      )}
    </Stack>
  );
}
