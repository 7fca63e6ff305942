import { Anchor, Button, Checkbox, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { QueueRow } from '../../../shared/ipc/collections';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { PageHeader } from '../../components/PageHeader';
import { BucketBadge } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { formatDay } from '../../lib/format';
import { yuan } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useUserNames } from '../../lib/userNames';
import { to } from '../../routes/links';

const NUM = { textAlign: 'right', whiteSpace: 'nowrap' } as const;
const ALL = '*all';
const UNASSIGNED = '*none';

/**
 * 催收队列: a collector works the overdue loans assigned to them, worst first; a supervisor assigns loans to
 * collectors, takes them back, and sees what each collector achieved.
 */
export function CollectionQueuePage() {
  const { t } = useTranslation();
  const canAssign = useCan('collections.assign');
  const [filter, setFilter] = useState<string>(ALL);
  const collector = !canAssign || filter === ALL || filter === UNASSIGNED ? null : filter;
  const { data: rows } = useIpcQuery('collections.queue', { collector, unassignedOnly: canAssign && filter === UNASSIGNED });
  const collectors = useIpcQuery('collections.collectors', {}, { enabled: canAssign }).data ?? [];
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [target, setTarget] = useState<string | null>(null);
  const assign = useIpcMutation('collections.assign');
  const shown = rows ?? [];
  const chosen = shown.filter((r) => picked.has(r.loanId)).map((r) => r.loanId);

  const run = async (who: string | null) => {
    await assign.mutateAsync({ loanIds: chosen, collector: who });
    notifySuccess(t(who ? 'collectionQueue.assigned' : 'collectionQueue.unassignedDone', { count: chosen.length }));
    setPicked(new Set());
  };

  return (
    <Stack gap="md">
      <PageHeader title={t('collectionQueue.title')} />
      {!canAssign && (
        <Text size="sm" c="dimmed">
          {t('collectionQueue.mine')}
        </Text>
      )}
      {canAssign && (
        <Group align="flex-end" justify="space-between">
          <Select
            label={t('collectionQueue.collector')}
            w={220}
            allowDeselect={false}
            value={filter}
            onChange={(v) => v && setFilter(v)}
            data={[{ value: ALL, label: t('collectionQueue.all') }, { value: UNASSIGNED, label: t('collectionQueue.unassigned') }, ...collectors.map((c) => ({ value: c.username, label: `${c.displayName}（${c.loans}）` }))]}
          />
          <Group align="flex-end">
            <Select label={t('collectionQueue.assignTo')} w={200} value={target} onChange={setTarget} data={collectors.map((c) => ({ value: c.username, label: c.displayName }))} />
            <Button disabled={!target || chosen.length === 0} loading={assign.isPending} onClick={() => void run(target)}>
              {t('collectionQueue.assign')}
            </Button>
            <Button variant="light" color="gray" disabled={chosen.length === 0} loading={assign.isPending} onClick={() => void run(null)}>
              {t('collectionQueue.unassign')}
            </Button>
          </Group>
        </Group>
      )}
      <Paper withBorder>
        <QueueTable rows={shown} canAssign={canAssign} picked={picked} setPicked={setPicked} />
      </Paper>
      <Results />
    </Stack>
  );
}

function QueueTable({ rows, canAssign, picked, setPicked }: { rows: QueueRow[]; canAssign: boolean; picked: Set<number>; setPicked: (s: Set<number>) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const who = useUserNames();
  const all = rows.length > 0 && rows.every((r) => picked.has(r.loanId));
  const toggle = (id: number) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  return (
    <Table striped highlightOnHover verticalSpacing={6} fz="sm" data-testid="collection-queue">
      <Table.Thead>
        <Table.Tr>
          {canAssign && (
            <Table.Th w={36}>
              <Checkbox aria-label={t('collectionQueue.selectAll')} checked={all} onChange={() => setPicked(all ? new Set() : new Set(rows.map((r) => r.loanId)))} />
            </Table.Th>
          )}
          <Table.Th>{t('collectionQueue.col.contractNo')}</Table.Th>
          <Table.Th>{t('collectionQueue.col.borrower')}</Table.Th>
          <Table.Th>{t('collectionQueue.col.phone')}</Table.Th>
          <Table.Th style={NUM}>{t('collectionQueue.col.dpd')}</Table.Th>
          <Table.Th>{t('collectionQueue.col.bucket')}</Table.Th>
          <Table.Th style={NUM}>{t('collectionQueue.col.overdue')}</Table.Th>
          <Table.Th style={NUM}>{t('collectionQueue.col.balance')}</Table.Th>
          <Table.Th>{t('collectionQueue.col.lastContact')}</Table.Th>
          <Table.Th style={NUM}>{t('collectionQueue.col.promises')}</Table.Th>
          <Table.Th>{t('collectionQueue.col.collector')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={canAssign ? 11 : 10}>
              <Text c="dimmed" size="sm" ta="center" py="md">
                {t('collectionQueue.empty')}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {rows.map((r) => (
          <Table.Tr key={r.loanId} data-contract={r.contractNo}>
            {canAssign && (
              <Table.Td>
                <Checkbox aria-label={r.contractNo} checked={picked.has(r.loanId)} onChange={() => toggle(r.loanId)} />
              </Table.Td>
            )}
            <Table.Td>
              <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(r.loanId, 'collections'))}>
                {r.contractNo}
              </Anchor>
            </Table.Td>
            <Table.Td>{r.borrowerName}</Table.Td>
            <Table.Td ff="monospace">{r.borrowerPhone || '—'}</Table.Td>
            <Table.Td style={NUM}>{r.dpd}</Table.Td>
            <Table.Td>
              <BucketBadge bucket={r.bucket} />
            </Table.Td>
            <Table.Td style={NUM}>{yuan(r.overdueFen)}</Table.Td>
            <Table.Td style={NUM}>{yuan(r.balanceFen)}</Table.Td>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.lastContactOn ? formatDay(r.lastContactOn, locale) : '—'}</Table.Td>
            <Table.Td style={NUM}>{r.openPromises}</Table.Td>
            <Table.Td data-testid="queue-collector">{r.collector ? who(r.collector) : t('collectionQueue.none')}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Results() {
  const { t } = useTranslation();
  const today = todayIn();
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [until, setUntil] = useState(today);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(until) && from <= until;
  const { data } = useIpcQuery('collections.results', { from, to: until }, { enabled: valid });
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={4} size="h5">
            {t('collectionQueue.results')}
          </Title>
          <Group>
            <BusinessDateInput label={t('collectionQueue.from')} value={from} onChange={setFrom} w={150} />
            <BusinessDateInput label={t('collectionQueue.to')} value={until} onChange={setUntil} w={150} />
          </Group>
        </Group>
        <Table fz="sm" verticalSpacing={5} data-testid="collector-results">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('collectionQueue.res.collector')}</Table.Th>
              <Table.Th style={NUM}>{t('collectionQueue.res.loans')}</Table.Th>
              <Table.Th style={NUM}>{t('collectionQueue.res.contacts')}</Table.Th>
              <Table.Th style={NUM}>{t('collectionQueue.res.reached')}</Table.Th>
              <Table.Th style={NUM}>{t('collectionQueue.res.promises')}</Table.Th>
              <Table.Th style={NUM}>{t('collectionQueue.res.kept')}</Table.Th>
              <Table.Th style={NUM}>{t('collectionQueue.res.recovered')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(valid ? (data ?? []) : []).map((r) => (
              <Table.Tr key={r.collector} data-collector={r.collector}>
                <Table.Td>{r.displayName}</Table.Td>
                <Table.Td style={NUM}>{r.loans}</Table.Td>
                <Table.Td style={NUM}>{r.contacts}</Table.Td>
                <Table.Td style={NUM}>{r.reached}</Table.Td>
                <Table.Td style={NUM}>{r.promises}</Table.Td>
                <Table.Td style={NUM}>{r.promisesKept}</Table.Td>
                <Table.Td style={NUM}>{yuan(r.recoveredFen)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
