import { Button, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Input } from '../../../shared/ipc/contract';
import { seesAllLoans } from '../../../shared/permissions';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { useIpcQuery } from '../../lib/data/useIpc';
import { useNav } from '../../lib/nav';
import { useSession } from '../../lib/session';
import { to } from '../../routes/links';

const BASE: Input<'loans.list'> = { query: '', officer: null, bucket: null, level: null, status: 'active', sort: 'contractNo', direction: 'asc', limit: 1, offset: 0 };

/**
 * Real counts from main for a business role: active loans, overdue ones (bucket beyond M0), pending proposals.
 * Each count opens the list it counts, filtered as counted.
 */
export function PortfolioFacts() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const session = useSession();
  const branchWide = seesAllLoans(session.roles);
  const holdsLoans = session.roles.some((r) => r === 'officer' || r === 'supervisor');
  const canSeePending = session.permissions.includes('classification.propose');
  // Only an approver is sent "to approve"; one who proposes sees the proposals awaiting someone else.
  const canApprove = session.permissions.includes('classification.approve');
  const showMine = branchWide && holdsLoans;

  const all = useIpcQuery('loans.list', BASE);
  const overdue = useIpcQuery('loans.list', { ...BASE, overdueOnly: true });
  const mine = useIpcQuery('loans.list', { ...BASE, officer: session.username }, { enabled: showMine });
  const pending = useIpcQuery('classification.pending', {}, { enabled: canSeePending });
  if (!all.data || !overdue.data || (showMine && !mine.data) || (canSeePending && !pending.data)) return null;

  // A supervisor who manages no loan of their own is not greeted with "my loans 0".
  const mineCount = showMine ? mine.data!.total || null : branchWide ? null : all.data.total;
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
        {mineCount !== null && (
          <Count label={t('dashboard.myLoans')} value={mineCount} testId="count-mine" action={t('dashboard.openLoans')} onClick={() => nav.navigate(to.loans(branchWide ? { officer: session.username } : {}))} />
        )}
        {branchWide && <Count label={t('dashboard.allLoans')} value={all.data.total} testId="count-all" action={t('dashboard.openLoans')} onClick={() => nav.navigate(to.loans())} />}
        <Count label={t('dashboard.overdueLoans')} value={overdue.data.total} testId="count-overdue" red action={t('dashboard.openLoans')} onClick={() => nav.navigate(to.loans({ bucket: 'M1+' }))} />
        {pending.data && (
          <Count label={t('dashboard.pendingClassifications')} value={pending.data.length} testId="count-pending" action={t(canApprove ? 'dashboard.openPending' : 'dashboard.viewPending')} onClick={() => nav.navigate(to.classification())} />
        )}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('dashboard.asOf', { date: formatDay(all.data.asOf, locale) })}
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
