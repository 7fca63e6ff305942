import { Loader } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InspectionView } from '../../../shared/ipc/inspections';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';
import { InspectionTable } from './InspectionTable';

/** The loan page's 贷后检查 tab: the loan's whole plan, past and future, with its reports. */
export function InspectionsTab({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<InspectionView[] | null>(null);
  const loanId = detail.loan.id;
  useEffect(() => {
    invoke('inspections.list', { loanId, status: null, dueBefore: null }).then(setRows).catch(notifyError);
  }, [loanId]);
  if (!rows) return <Loader size="sm" aria-label={t('app.loading')} />;
  // Cancelled visits (re-planned after a change of class) are noise on the loan's own page.
  return <InspectionTable rows={rows.filter((r) => r.status !== 'cancelled')} withLoan={false} testId="loan-inspections" />;
}
