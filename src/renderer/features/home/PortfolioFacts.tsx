import { Button, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Input } from '../../../shared/ipc/contract';
import { seesAllLoans } from '../../../shared/permissions';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { useNav } from '../../lib/nav';
import { notifyError } from '../../lib/notify';
import { useSession } from '../../lib/session';

interface Counts {
  asOf: string;
  mine: number | null;
  all: number | null;
  overdue: number;
  pending: number | null;
}

const BASE: Input<'loans.list'> = { query: '', officer: null, bucket: null, level: null, status: 'active', sort: 'contractNo', direction: 'asc', limit: 1, offset: 0 };

/** Real counts from main for a business role: active loans, overdue ones (bucket beyond M0), pending proposals. */
export function PortfolioFacts() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const session = useSession();
  const [counts, setCounts] = useState<Counts | null>(null);
  const branchWide = seesAllLoans(session.roles);
  const holdsLoans = session.roles.some((r) => r === 'officer' || r === 'supervisor');
  const canSeePending = session.permissions.includes('classification.propose');

  useEffect(() => {
    let stale = false;
    (async () => {
      const all = await invoke('loans.list', BASE);
      const current = await invoke('loans.list', { ...BASE, bucket: 'M0' });
      const mine = branchWide && holdsLoans ? (await invoke('loans.list', { ...BASE, officer: session.username })).total : branchWide ? null : all.total;
      const pending = canSeePending ? (await invoke('classification.pending')).length : null;
      if (!stale) setCounts({ asOf: all.asOf, mine, all: branchWide ? all.total : null, overdue: all.total - current.total, pending });
    })().catch(notifyError);
    return () => {
      stale = true;
    };
  }, [branchWide, holdsLoans, canSeePending, session.username]);

  if (!counts) return null;
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
        {counts.mine !== null && <Count label={t('dashboard.myLoans')} value={counts.mine} testId="count-mine" action={t('dashboard.openLoans')} onClick={() => nav.navigate({ page: 'loans' })} />}
        {counts.all !== null && <Count label={t('dashboard.allLoans')} value={counts.all} testId="count-all" action={t('dashboard.openLoans')} onClick={() => nav.navigate({ page: 'loans' })} />}
        <Count label={t('dashboard.overdueLoans')} value={counts.overdue} testId="count-overdue" red action={t('dashboard.openLoans')} onClick={() => nav.navigate({ page: 'loans' })} />
        {counts.pending !== null && (
          <Count
            label={t('dashboard.pendingClassifications')}
            value={counts.pending}
            testId="count-pending"
            action={t('dashboard.openPending')}
            onClick={() => nav.navigate({ page: 'classification' })}
          />
        )}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('dashboard.asOf', { date: formatDay(counts.asOf, locale) })}
      </Text>
    </Stack>
  );
}

function Count({ label, value, red, action, onClick, testId }: { label: string; value: number; red?: boolean; action: string; onClick: () => void; testId: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" mb={4}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2} c={red && value > 0 ? 'red.7' : undefined} data-testid={testId}>
        {value.toLocaleString('en-US')}
      </Text>
      <Button variant="subtle" size="compact-xs" mt={6} px={0} onClick={onClick}>
        {action}
      </Button>
    </Paper>
  );
}
