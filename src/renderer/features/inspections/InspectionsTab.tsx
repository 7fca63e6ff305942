import { Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { useIpcQuery } from '../../lib/data/useIpc';
import { InspectionTable } from './InspectionTable';

/** The loan page's 贷后检查 tab: the loan's whole plan, past and future, with its reports. */
export function InspectionsTab({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const rows = useIpcQuery('inspections.list', { loanId: detail.loan.id, status: null, dueBefore: null }).data;
  if (!rows) return <Loader size="sm" aria-label={t('app.loading')} />;
  // Cancelled visits (re-planned after a change of class) are noise on the loan's own page.
  return <InspectionTable rows={rows.filter((r) => r.status !== 'cancelled')} withLoan={false} testId="loan-inspections" />;
}
