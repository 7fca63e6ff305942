import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { ProvisionalBadge } from '../../components/ProvisionalBadge';
import { useTranslation } from 'react-i18next';
import type { InspectionView, ReportStatus } from '../../../shared/ipc/inspections';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { useNav } from '../../lib/nav';
import { useCan } from '../../lib/session';
import { useStaffNames } from './names';
import { wordInspectionReason } from '../../../shared/i18n/inspectionReasons';
import { to } from '../../routes/links';

const STATUS_COLORS: Record<InspectionView['status'], string> = { planned: 'blue', done: 'green', cancelled: 'gray' };
export const REPORT_COLORS: Record<ReportStatus, string> = { draft: 'gray', submitted: 'orange', returned: 'red', signed: 'teal', accepted: 'green', superseded: 'gray' };

export function InspectionStatusBadge({ row }: { row: Pick<InspectionView, 'status' | 'overdue'> }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Badge size="sm" variant="light" color={STATUS_COLORS[row.status]} style={NO_SHRINK}>
        {t(`inspections.status.${row.status}`)}
      </Badge>
      {row.overdue && (
        <Badge size="sm" color="red" variant="filled" style={NO_SHRINK} data-testid="inspection-overdue">
          {t('inspections.overdue')}
        </Badge>
      )}
    </Group>
  );
}

export function ReportStatusBadge({ status }: { status: ReportStatus }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant={status === 'returned' ? 'filled' : 'light'} color={REPORT_COLORS[status]} style={NO_SHRINK}>
      {t(`reportStatus.${status}`)}
    </Badge>
  );
}

/** Opens the report of an inspection, or a new one for it. */
export function useOpenInspection() {
  const nav = useNav();
  return (row: { id: number; loanId: number; report: { id: number } | null }) =>
    nav.navigate(row.report ? to.report(row.report.id) : to.newReport(row.id, row.loanId));
}

/** Inspections with their report and the button to start or open it; `withLoan` adds contract, borrower and officer. */
export function InspectionTable({ rows, withLoan, withOfficer = false, testId }: { rows: InspectionView[]; withLoan: boolean; withOfficer?: boolean; testId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const name = useStaffNames();
  const canWrite = useCan('inspections.write');
  const open = useOpenInspection();
  return (
    <Table.ScrollContainer minWidth={withLoan ? 1100 : 860}>
      <Table styles={{ th: { whiteSpace: 'nowrap' } }} fz="sm" verticalSpacing={6} striped highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {withLoan && <Table.Th>{t('inspections.contractNo')}</Table.Th>}
            {withLoan && <Table.Th>{t('inspections.borrower')}</Table.Th>}
            {withOfficer && <Table.Th>{t('inspections.officer')}</Table.Th>}
            <Table.Th>{t('inspections.kind')}</Table.Th>
            <Table.Th>{t('inspections.dueDate')}</Table.Th>
            <Table.Th>{t('inspections.statusCol')}</Table.Th>
            <Table.Th>{t('inspections.report')}</Table.Th>
            <Table.Th>{t('inspections.reason')}</Table.Th>
            <Table.Th>{t('inspections.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6 + (withLoan ? 2 : 0) + (withOfficer ? 1 : 0)}>
                <Text c="dimmed" size="sm" ta="center" py="md">
                  {t('inspections.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rows.map((r) => (
            <Table.Tr key={r.id} data-inspection-id={r.id}>
              {withLoan && (
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(r.loanId, 'inspections'))}>
                    {r.contractNo}
                  </Anchor>
                </Table.Td>
              )}
              {/* A long company name breaks into even lines, never leaving 司 alone on the second. */}
              {withLoan && <Table.Td style={{ textWrap: 'balance' }}>{r.borrowerName}</Table.Td>}
              {withOfficer && <Table.Td style={{ whiteSpace: 'nowrap' }}>{name(r.officer)}</Table.Td>}
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`warnings.inspectionKind.${r.kind}`)}</Table.Td>
              <Table.Td c={r.overdue ? 'red.7' : undefined} fw={r.overdue ? 600 : undefined}>
                {/* The date and its 暂定 badge stay whole, side by side: the cell grows to hold both. */}
                <Group gap={6} wrap="nowrap">
                  <span style={{ whiteSpace: 'nowrap' }}>{formatDay(r.dueDate, locale)}</span>
                  <ProvisionalBadge show={r.provisional} />
                </Group>
              </Table.Td>
              <Table.Td>
                <InspectionStatusBadge row={r} />
              </Table.Td>
              <Table.Td>
                {r.report ? (
                  <ReportStatusBadge status={r.report.status} />
                ) : (
                  <Text size="xs" c="dimmed">
                    {t('inspections.noReport')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td maw={320}>
                <Text size="xs" c="dimmed">
                  {wordInspectionReason((key, params) => t(key, params ?? {}), r.reason, r.signal && (locale === 'en' ? r.signal.en : r.signal.zh))}
                </Text>
              </Table.Td>
              <Table.Td>
                {r.report ? (
                  <Button size="compact-xs" variant="light" onClick={() => open(r)}>
                    {t('inspections.openReport')}
                  </Button>
                ) : (
                  r.status === 'planned' &&
                  canWrite && (
                    <Button size="compact-xs" onClick={() => open(r)}>
                      {t('inspections.start')}
                    </Button>
                  )
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
