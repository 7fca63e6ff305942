import { Alert, Anchor, Button, Group, Pagination, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { zhCN } from '../../../shared/i18n/zh-CN';
import { auditOutsideMessage, auditProblemMessage, type AuditCheck, type AuditEntry } from '../../../shared/ipc/audit';
import { DateRangeFilter } from '../../components/DateRangeFilter';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { useLocale } from '../../lib/appInfo';
import { useIpcCall, useIpcQuery } from '../../lib/data/useIpc';
import { formatDateTime } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { useNav } from '../../lib/nav';
import { useUserNames } from '../../lib/userNames';
import { to } from '../../routes/links';
import type { AuditSearch } from '../../routes/search';

const PAGE_SIZE = 50;

/** Every action the catalogue words, as `feature.verb`: the action filter's choices. */
const ACTIONS = Object.entries(zhCN.auditActions).flatMap(([feature, verbs]) => Object.keys(verbs).map((v) => `${feature}.${v}`));

/** The log, filtered by who, when, which loan and which action; the filters live in the URL like the loan list's. */
export function AuditPage() {
  const { t } = useTranslation();
  const search = useSearch({ from: '/audit' });
  const navigate = useNavigate({ from: '/audit' });
  const [page, setPage] = useState(1);
  const set = (patch: Partial<AuditSearch>) => {
    setPage(1);
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true, state: (s) => s });
  };
  const [typed, setTyped] = useState(search.contractNo ?? '');
  const [contractNo] = useDebouncedValue((search.contractNo ?? '').trim(), 300);
  const rangeOk = !search.from || !search.to || search.from <= search.to;
  const filters = { actor: search.actor ?? null, from: search.from ?? null, to: search.to ?? null, contractNo: contractNo || null, action: search.action ?? null };
  const data = useIpcQuery('audit.list', { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, { enabled: rangeOk, placeholderData: keepPreviousData }).data;
  const users = useIpcQuery('users.names', {}, { staleTime: 5 * 60_000 }).data ?? [];
  // Checking the chain is asked for by hand and caches nothing; its verdict stays until asked again.
  const verify = useIpcCall('audit.verify');
  const check = verify.data ?? null;

  const actionWord = (a: string) => t(`auditActions.${a}` as 'auditActions.users.create', { defaultValue: a });
  const all = { value: '', label: t('portfolio.all') };
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <Stack gap="md">
      <PageHeader title={t('audit.title')}>
        <ExportXlsxButton run={() => invoke('audit.exportXlsx', filters)} />
        <Button variant="light" loading={verify.isPending} onClick={() => verify.mutate({})}>
          {t('audit.verify')}
        </Button>
      </PageHeader>
      {check && <CheckResult check={check} />}
      <Group align="flex-start" gap="sm" data-testid="audit-filters">
        <Select
          label={t('audit.actor')}
          w={160}
          searchable
          data={[all, ...users.map((u) => ({ value: u.username, label: u.displayName || u.username }))]}
          value={search.actor ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ actor: v || undefined })}
        />
        <DateRangeFilter from={search.from} to={search.to} onChange={(r) => set(r)} />
        <TextInput
          label={t('audit.contractNo')}
          w={180}
          maxLength={64}
          value={typed}
          onChange={(e) => {
            setTyped(e.currentTarget.value);
            set({ contractNo: e.currentTarget.value || undefined });
          }}
        />
        <Select
          label={t('audit.action')}
          w={220}
          searchable
          data={[all, ...ACTIONS.map((a) => ({ value: a, label: actionWord(a) }))]}
          value={search.action ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ action: v || undefined })}
        />
      </Group>
      <Paper withBorder>
        <AuditTable entries={data?.entries ?? []} />
      </Paper>
      {data && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="audit-count">
            {t('audit.total', { count: data.total })}
          </Text>
          {pages > 1 && (
            <Pagination
              size="sm"
              total={pages}
              value={page}
              onChange={setPage}
              getControlProps={(control) => ({ 'aria-label': t(`app.${control}Page`) })}
            />
          )}
        </Group>
      )}
    </Stack>
  );
}

/** The verdict, then both heads (the database's and the one kept outside it), and what lag or old forks mean. */
function CheckResult({ check }: { check: AuditCheck }) {
  const { t } = useTranslation();
  const problem = auditProblemMessage(check);
  const short = (h: { count: number; hash: string }) => ({ count: h.count, hash: `${h.hash.slice(0, 16)}…` });
  return (
    <Alert color={check.ok ? 'green' : 'red'} variant="light" role="status">
      <Stack gap={4}>
        <Text size="sm">{problem ? t(problem.key, problem.params) : t('audit.verifyOk', { count: check.count })}</Text>
        {check.head && (
          <Text size="xs" c="dimmed">
            {t('audit.head', short(check.head))}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {check.outside ? t(auditOutsideMessage(check).key, short(check.outside)) : t(auditOutsideMessage(check).key)}
        </Text>
        {check.lag > 0 && <Text size="xs">{t('audit.lag', { count: check.lag })}</Text>}
        {check.legacyForks > 0 && <Text size="xs">{t('audit.legacyForks', { count: check.legacyForks })}</Text>}
      </Stack>
    </Alert>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const name = useUserNames();
  return (
    <Table striped highlightOnHover verticalSpacing={6} fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={200}>{t('audit.at')}</Table.Th>
          <Table.Th w={140}>{t('audit.actor')}</Table.Th>
          <Table.Th>{t('audit.action')}</Table.Th>
          <Table.Th>{t('audit.entity')}</Table.Th>
          <Table.Th>{t('audit.reason')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={5}>
              <Text c="dimmed" size="sm" ta="center" py="md">
                {t('audit.empty')}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {entries.map((e) => (
          <Table.Tr key={e.id}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at, locale)}</Table.Td>
            <Table.Td>{name(e.actor)}</Table.Td>
            <Table.Td>{t(`auditActions.${e.action}` as 'auditActions.users.create', { defaultValue: e.action })}</Table.Td>
            <Table.Td>
              <Subject entry={e} onLoan={(id) => nav.navigate(to.loan(id))} />
            </Table.Td>
            <Table.Td>{e.reason}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The record in words: an exported list by its title, a loan by contract number (a link), a person by name. */
function Subject({ entry: e, onLoan }: { entry: AuditEntry; onLoan: (loanId: number) => void }) {
  const { t } = useTranslation();
  if (e.entity === 'list') return <>{t(`listExport.title.${e.entityId}` as 'listExport.title.loans', { defaultValue: e.entityId })}</>;
  const entity = t(`auditEntities.${e.entity}` as 'auditEntities.user', { defaultValue: e.entity });
  if (e.entity === 'settings') return <>{entity}</>;
  if (e.subject === null) return <>{t('audit.entityId', { entity, id: e.entityId })}</>;
  const subject =
    e.loanId !== null ? (
      <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => onLoan(e.loanId!)}>
        {e.subject}
      </Anchor>
    ) : (
      e.subject
    );
  return (
    <>
      {e.entity === 'loan' || e.entity === 'borrower' || e.entity === 'user' ? `${entity} ` : `${t('audit.entityId', { entity, id: e.entityId })} · `}
      {subject}
    </>
  );
}
