import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { PeriodStatusBadge } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { yuan } from '../../lib/money';

export function ScheduleTab({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover fz="sm" verticalSpacing={5} data-testid="schedule">
        <Table.Thead>
          <Table.Tr>
            <Table.Th ta="right">{t('loan.schedule.period')}</Table.Th>
            <Table.Th>{t('loan.schedule.dueDate')}</Table.Th>
            <Table.Th ta="right">{t('loan.schedule.principal')}</Table.Th>
            <Table.Th ta="right">{t('loan.schedule.interest')}</Table.Th>
            <Table.Th ta="right">{t('loan.schedule.principalPaid')}</Table.Th>
            <Table.Th ta="right">{t('loan.schedule.interestPaid')}</Table.Th>
            <Table.Th ta="right">{t('loan.schedule.penalty')}</Table.Th>
            <Table.Th ta="right">{t('loan.schedule.penaltyPaid')}</Table.Th>
            <Table.Th>{t('loan.schedule.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {detail.schedule.map((p) => (
            <Table.Tr key={p.period}>
              <Table.Td ta="right">{p.period}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(p.dueDate, locale)}</Table.Td>
              <Table.Td ta="right">{yuan(p.principalFen)}</Table.Td>
              <Table.Td ta="right">{yuan(p.interestFen)}</Table.Td>
              <Table.Td ta="right">{yuan(p.principalPaidFen)}</Table.Td>
              <Table.Td ta="right">{yuan(p.interestPaidFen)}</Table.Td>
              <Table.Td ta="right">{yuan(p.penaltyFen)}</Table.Td>
              <Table.Td ta="right">{yuan(p.penaltyPaidFen)}</Table.Td>
              <Table.Td>
                <PeriodStatusBadge status={p.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
