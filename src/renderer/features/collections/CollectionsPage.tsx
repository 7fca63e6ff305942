import { Anchor, Button, Checkbox, Group, NumberInput, Paper, Select, Stack, Table, Tabs, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DPD_BUCKETS, LEVELS, type ClassificationLevel, type DpdBucket } from '../../../shared/domain';
import { NOTICE_DOC_TYPES, type DueNotice, type NoticeDocType } from '../../../shared/ipc/collections';
import { seesAllLoans } from '../../../shared/permissions';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { BucketBadge, LevelBadge } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcQuery } from '../../lib/data/useIpc';
import { formatDateTime } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { levelLabel } from '../../lib/labels';
import { useNav } from '../../lib/nav';
import { useSession } from '../../lib/session';
import { useSticky } from '../../lib/sticky';
import { useOfficers } from '../loans/loanTerms';
import { docTypeLabel, NoticePrintModal, type PrintItem } from './NoticePrintModal';
import { to } from '../../routes/links';

const keyOf = (d: DueNotice) => `${d.loanId}:${d.docType}`;
const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** 催收: the notices due today, printed in batches, and the receipts that have not come back. */
export function CollectionsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useSticky<'due' | 'chase'>('collections.tab', 'due');
  return (
    <Stack gap="md">
      <PageHeader title={t('collectionsUi.title')} />
      <Tabs value={tab} onChange={(v) => v && setTab(v as 'due' | 'chase')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="due">{t('collectionsUi.dueTab')}</Tabs.Tab>
          <Tabs.Tab value="chase">{t('collectionsUi.chaseTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="due" pt="sm">
          <DueNotices />
        </Tabs.Panel>
        <Tabs.Panel value="chase" pt="sm">
          <ChaseList />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

interface DueFilters {
  officer: string | null;
  bucket: DpdBucket | null;
  level: ClassificationLevel | null;
}

function DueNotices() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const branchWide = seesAllLoans(useSession().roles);
  const officers = useOfficers();
  const officerName = useMemo(() => new Map(officers.map((o) => [o.username, o.displayName])), [officers]);
  const [f, setF] = useSticky<DueFilters>('collections.filters', { officer: null, bucket: null, level: null });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [types, setTypes] = useState<Record<string, NoticeDocType>>({});
  const [printing, setPrinting] = useState<PrintItem[] | null>(null);
  // Refetched after a print run (invalidation.ts); the reasons are worded by main in the user's language, and a
  // language switch refetches them (App.tsx).
  const due = useIpcQuery('notices.due', { officer: f.officer, bucket: f.bucket, level: f.level });
  const rows = due.isFetching ? null : (due.data ?? (due.isError ? [] : null));
  // A new answer starts a new selection: everything that can be printed (a row without an address would only be skipped).
  const [seen, setSeen] = useState<DueNotice[] | undefined>(undefined);
  if (due.data !== seen) {
    setSeen(due.data);
    const r = due.data ?? [];
    setSelected(new Set(r.filter((d) => d.hasAddress).map(keyOf)));
    setTypes(Object.fromEntries(r.map((d) => [keyOf(d), d.docType])));
  }

  const list = rows ?? [];
  const allOn = list.length > 0 && list.every((d) => selected.has(keyOf(d)));
  const someOn = list.some((d) => selected.has(keyOf(d)));
  const toggle = (k: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(k);
      else n.delete(k);
      return n;
    });
  const all = { value: '', label: t('portfolio.all') };
  const docTypeOptions = NOTICE_DOC_TYPES.map((d) => ({ value: d, label: docTypeLabel(t, d) }));

  function startPrint() {
    const items: PrintItem[] = list.filter((d) => selected.has(keyOf(d))).map((d) => ({ loanId: d.loanId, docType: types[keyOf(d)] ?? d.docType }));
    if (items.length > 0) setPrinting(items);
  }

  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm" justify="space-between">
        <Group align="flex-end" gap="sm">
          {branchWide && (
            <Select
              label={t('collectionsUi.officer')}
              w={200}
              data={[all, ...officers.map((o) => ({ value: o.username, label: o.displayName }))]}
              value={f.officer ?? ''}
              allowDeselect={false}
              onChange={(v) => setF({ ...f, officer: v || null })}
            />
          )}
          <Select
            label={t('collectionsUi.bucket')}
            w={110}
            data={[all, ...DPD_BUCKETS.map((b) => ({ value: b, label: b }))]}
            value={f.bucket ?? ''}
            allowDeselect={false}
            onChange={(v) => setF({ ...f, bucket: (v || null) as DpdBucket | null })}
          />
          <Select
            label={t('collectionsUi.level')}
            w={150}
            data={[all, ...LEVELS.map((l) => ({ value: l, label: levelLabel(l, locale) }))]}
            value={f.level ?? ''}
            allowDeselect={false}
            onChange={(v) => setF({ ...f, level: (v || null) as ClassificationLevel | null })}
          />
          <Button variant="default" onClick={() => void due.refetch()}>
            {t('collectionsUi.refresh')}
          </Button>
        </Group>
        <Group gap="sm">
          <Text size="sm" c="dimmed" data-testid="due-selected">
            {t('collectionsUi.selected', { count: list.filter((d) => selected.has(keyOf(d))).length })}
          </Text>
          <Button onClick={startPrint} disabled={!someOn}>
            {t('collectionsUi.previewPrint')}
          </Button>
        </Group>
      </Group>
      <Paper withBorder>
        <Table.ScrollContainer minWidth={1000}>
          <Table fz="sm" verticalSpacing={5} striped highlightOnHover data-testid="due-notices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label={t('collectionsUi.selectAll')}
                    checked={allOn}
                    indeterminate={someOn && !allOn}
                    disabled={list.length === 0}
                    onChange={(e) => setSelected(e.currentTarget.checked ? new Set(list.map(keyOf)) : new Set())}
                  />
                </Table.Th>
                <Table.Th style={NOWRAP}>{t('collectionsUi.contractNo')}</Table.Th>
                <Table.Th>{t('collectionsUi.borrower')}</Table.Th>
                {branchWide && <Table.Th>{t('collectionsUi.officer')}</Table.Th>}
                <Table.Th ta="right" style={NOWRAP}>
                  {t('collectionsUi.dpd')}
                </Table.Th>
                <Table.Th style={NOWRAP}>{t('collectionsUi.bucket')}</Table.Th>
                <Table.Th style={NOWRAP}>{t('collectionsUi.level')}</Table.Th>
                <Table.Th>{t('collectionsUi.reason')}</Table.Th>
                <Table.Th w={210}>{t('collectionsUi.docType')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows === null && (
                <Table.Tr>
                  <Table.Td colSpan={9}>
                    <Text c="dimmed" size="sm" ta="center" py="md">
                      {t('portfolio.loading')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rows !== null && list.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={9}>
                    <Text c="dimmed" size="sm" ta="center" py="md">
                      {t('collectionsUi.dueEmpty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.map((d) => {
                const k = keyOf(d);
                return (
                  <Table.Tr key={k} data-contract={d.contractNo}>
                    <Table.Td>
                      <Checkbox aria-label={t('collectionsUi.selectRow', { no: d.contractNo })} checked={selected.has(k)} onChange={(e) => toggle(k, e.currentTarget.checked)} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(d.loanId, 'collections'))}>
                        {d.contractNo}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <span>{d.borrowerName}</span>
                        {!d.hasAddress && (
                          <Tooltip label={t('collectionsUi.noAddress')} withArrow multiline w={260}>
                            <ThemeIcon size="sm" radius="xl" color="orange" variant="filled" aria-label={t('collectionsUi.noAddress')} data-testid="no-address">
                              <Text size="xs" fw={700} lh={1} c="white">
                                !
                              </Text>
                            </ThemeIcon>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                    {branchWide && <Table.Td style={{ whiteSpace: 'nowrap' }}>{officerName.get(d.officer) ?? d.officer}</Table.Td>}
                    <Table.Td ta="right" c={d.dpd > 0 ? 'red.7' : undefined} fw={d.dpd > 0 ? 600 : undefined}>
                      {d.dpd}
                    </Table.Td>
                    <Table.Td>
                      <BucketBadge bucket={d.bucket as DpdBucket} />
                    </Table.Td>
                    <Table.Td>
                      <LevelBadge level={d.level as ClassificationLevel} />
                    </Table.Td>
                    <Table.Td>{d.reason}</Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        aria-label={t('collectionsUi.docTypeFor', { no: d.contractNo })}
                        data={docTypeOptions}
                        value={types[k] ?? d.docType}
                        allowDeselect={false}
                        comboboxProps={{ withinPortal: true }}
                        onChange={(v) => v && setTypes((m) => ({ ...m, [k]: v as NoticeDocType }))}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {printing && (
        <NoticePrintModal
          items={printing}
          // Printed notices are not due again this month: the list is refetched after the run.
          onClose={() => setPrinting(null)}
        />
      )}
    </Stack>
  );
}

function ChaseList() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  // Starts at the receipt-chase setting; what the user types is kept while they work elsewhere.
  const [days, setDays] = useSticky<number | null>('collections.chaseDays', null);
  const limits = useIpcQuery('settings.limits', {}, { enabled: days === null });
  const settingDays = limits.data?.receiptChaseDays;
  useEffect(() => {
    if (days === null && settingDays !== undefined) setDays(settingDays);
  }, [days, settingDays, setDays]);
  const chase = useIpcQuery('notices.chase', { olderThanDays: days ?? 0 }, { enabled: days !== null });
  const rows = chase.isFetching || days === null ? null : (chase.data ?? (chase.isError ? [] : null));

  const now = Date.now();
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm">
        <ExportXlsxButton disabled={days === null} run={() => invoke('notices.exportXlsx', { olderThanDays: days ?? 0 })} />
        <NumberInput
          label={t('collectionsUi.chaseDays')}
          w={200}
          min={0}
          max={365}
          allowDecimal={false}
          allowNegative={false}
          value={days ?? ''}
          onChange={(v) => {
            const n = typeof v === 'number' ? v : Number(v);
            if (Number.isInteger(n) && n >= 0 && n <= 365) setDays(n);
          }}
        />
        <Text size="sm" c="dimmed" pb={8}>
          {t('collectionsUi.chaseHint')}
        </Text>
      </Group>
      <Paper withBorder>
        <Table fz="sm" verticalSpacing={5} striped data-testid="chase-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('collectionsUi.serial')}</Table.Th>
              <Table.Th>{t('collectionsUi.contractNo')}</Table.Th>
              <Table.Th>{t('collectionsUi.addressee')}</Table.Th>
              <Table.Th>{t('collectionsUi.docType')}</Table.Th>
              <Table.Th>{t('collectionsUi.printedAt')}</Table.Th>
              <Table.Th ta="right">{t('collectionsUi.daysOut')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows !== null && rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    {t('collectionsUi.chaseEmpty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {(rows ?? []).map((n) => (
              <Table.Tr key={n.serial}>
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {n.serial}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(n.loanId, 'collections'))}>
                    {n.contractNo}
                  </Anchor>
                </Table.Td>
                <Table.Td>{n.addressee}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{docTypeLabel(t, n.docType)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{n.printedAt ? formatDateTime(n.printedAt, locale) : '—'}</Table.Td>
                <Table.Td ta="right">{n.printedAt ? Math.floor((now - Date.parse(n.printedAt)) / 86_400_000) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
