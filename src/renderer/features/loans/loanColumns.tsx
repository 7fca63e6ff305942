import { Anchor, Badge, Group, Text } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { LoanListRow } from '../../../shared/ipc/loans';
import { BucketBadge, LevelBadge, LoanStatusBadge } from '../../components/PortfolioBadges';
import { yuan } from '../../lib/money';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { useNav } from '../../lib/nav';
import { to } from '../../routes/links';

/** The loan list's columns; `sortable` marks those loans.list can sort by. */
export function useLoanColumns(officerNames: Map<string, string> | null, sortable: boolean, withBorrower = true): DataTableColumn<LoanListRow>[] {
  const { t } = useTranslation();
  const nav = useNav();
  const locale = useLocale();
  const cols: DataTableColumn<LoanListRow>[] = [
    {
      accessor: 'contractNo',
      title: t('loans.contractNo'),
      sortable,
      noWrap: true,
      width: 160,
      render: (r) => (
        <Group gap={6} wrap="nowrap">
          <Anchor
            component="button"
            type="button"
            size="sm"
            ff="monospace"
            onClick={(e) => {
              e.stopPropagation();
              nav.navigate(to.loan(r.id));
            }}
          >
            {r.contractNo}
          </Anchor>
          {r.kind === 'factoring' && (
            <Badge size="xs" variant="outline" color="violet" radius="sm">
              {t('loans.factoringBadge')}
            </Badge>
          )}
        </Group>
      ),
    },
    { accessor: 'borrowerName', title: t('loans.borrower'), sortable, hidden: !withBorrower },
    {
      accessor: 'balanceFen',
      title: t('loans.balance'),
      sortable,
      width: 130,
      textAlign: 'right',
      noWrap: true,
      render: (r) => yuan(r.balanceFen),
    },
    {
      accessor: 'dpd',
      title: t('loans.dpd'),
      sortable,
      width: 90,
      textAlign: 'right',
      noWrap: true,
      render: (r) => (
        <Text size="sm" c={r.dpd > 0 ? 'red.7' : undefined} fw={r.dpd > 0 ? 600 : undefined}>
          {r.dpd}
        </Text>
      ),
    },
    { accessor: 'bucket', title: t('loans.bucket'), noWrap: true, width: 80, render: (r) => <BucketBadge bucket={r.bucket} /> },
    { accessor: 'level', title: t('loans.level'), noWrap: true, width: 115, render: (r) => <LevelBadge level={r.level} /> },
    { accessor: 'maturityDate', title: t('loans.maturity'), sortable, noWrap: true, width: 125, render: (r) => formatDay(r.maturityDate, locale) },
    { accessor: 'status', title: t('loans.status'), noWrap: true, width: 125, render: (r) => <LoanStatusBadge status={r.status} /> },
  ];
  if (officerNames) cols.splice(2, 0, { accessor: 'officer', title: t('loans.officer'), width: 130, render: (r) => officerNames.get(r.officer) ?? r.officer });
  return cols;
}
