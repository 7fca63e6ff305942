import { Stack } from '@mantine/core';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { useIpcQuery } from '../../lib/data/useIpc';
import { useCan } from '../../lib/session';
import { WorklogEntries } from './WorklogEntries';
import { WorklogForm } from './WorklogForm';

/** The loan page's 工作日志 tab: the borrower's log (about this loan or the borrower in general), and a new entry. */
export function WorklogTab({ detail }: { detail: LoanDetail }) {
  const canWrite = useCan('worklog.write');
  const borrowerId = detail.borrower.id;
  // worklog.add (the form) refetches this list; a comment, still written by hand, asks for it.
  const entries = useIpcQuery('worklog.list', { borrowerId, loanId: null });
  return (
    <Stack gap="md">
      {canWrite && <WorklogForm borrowerId={borrowerId} loans={[{ id: detail.loan.id, contractNo: detail.loan.contractNo }]} onAdded={() => {}} />}
      {entries.data && <WorklogEntries entries={entries.data} onChange={() => void entries.refetch()} testId="loan-worklog" />}
    </Stack>
  );
}
