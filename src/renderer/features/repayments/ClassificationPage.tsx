import { Anchor, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PendingClassification } from '../../../shared/ipc/repayments';
import { PageHeader } from '../../components/PageHeader';
import { LevelBadge } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { formatDateTime } from '../../lib/format';
import { useIpcQuery } from '../../lib/data/useIpc';
import { levelLabel } from '../../lib/labels';
import { useNav } from '../../lib/nav';
import { notifySuccess } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { DecideModal } from './DecideModal';
import { to } from '../../routes/links';
import { useUserNames } from '../../lib/userNames';

export function ClassificationPage() {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  const nav = useNav();
  const me = useSession().username;
  const canApprove = useCan('classification.approve');
  const rows = useIpcQuery('classification.pending', {}).data ?? null;
  const [deciding, setDeciding] = useState<{ row: PendingClassification; approve: boolean } | null>(null);

  return (
    <Stack gap="md">
      <PageHeader title={t('classification.title')} />
      <Paper withBorder>
        <Table styles={{ th: { whiteSpace: 'nowrap' } }} striped highlightOnHover verticalSpacing={6} fz="sm" data-testid="pending-classifications">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('classification.contractNo')}</Table.Th>
              <Table.Th>{t('classification.borrower')}</Table.Th>
              <Table.Th>{t('classification.floor')}</Table.Th>
              <Table.Th>{t('classification.proposed')}</Table.Th>
              <Table.Th>{t('classification.reason')}</Table.Th>
              <Table.Th>{t('classification.proposer')}</Table.Th>
              <Table.Th>{t('classification.proposedAt')}</Table.Th>
              <Table.Th>{t('portfolio.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    {t('classification.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows?.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(r.loanId))}>
                    {r.contractNo}
                  </Anchor>
                </Table.Td>
                <Table.Td>{r.borrowerName}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{levelLabel(r.floorLevel, locale)}</Table.Td>
                <Table.Td>
                  <LevelBadge level={r.level} />
                </Table.Td>
                <Table.Td maw={320}>{r.reason}</Table.Td>
                <Table.Td>{who(r.proposedBy)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.proposedAt, locale)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {canApprove && r.proposedBy !== me && (
                      <>
                        <Button size="compact-xs" color="green" onClick={() => setDeciding({ row: r, approve: true })}>
                          {t('loan.classification.approve')}
                        </Button>
                        <Button size="compact-xs" color="red" variant="light" onClick={() => setDeciding({ row: r, approve: false })}>
                          {t('loan.classification.reject')}
                        </Button>
                      </>
                    )}
                    <Button size="compact-xs" variant="subtle" onClick={() => nav.navigate(to.loan(r.loanId))}>
                      {t('classification.openLoan')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {deciding && (
        <DecideModal
          proposal={deciding.row}
          contractNo={deciding.row.contractNo}
          approve={deciding.approve}
          onClose={() => setDeciding(null)}
          onDone={() => {
            setDeciding(null);
            notifySuccess(t('loan.classification.decided'));
          }}
        />
      )}
    </Stack>
  );
}
