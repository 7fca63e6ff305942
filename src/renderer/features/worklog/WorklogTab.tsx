import { Stack } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { LoanDetail } from '../../../shared/ipc/loans';
import type { WorklogView } from '../../../shared/ipc/worklog';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { WorklogEntries } from './WorklogEntries';
import { WorklogForm } from './WorklogForm';

/** The loan page's 工作日志 tab: the borrower's log (about this loan or the borrower in general), and a new entry. */
export function WorklogTab({ detail }: { detail: LoanDetail }) {
  const canWrite = useCan('worklog.write');
  const borrowerId = detail.borrower.id;
  const [entries, setEntries] = useState<WorklogView[] | null>(null);
  const load = useCallback(() => {
    invoke('worklog.list', { borrowerId, loanId: null }).then(setEntries).catch(notifyError);
  }, [borrowerId]);
  useEffect(load, [load]);
  return (
    <Stack gap="md">
      {canWrite && <WorklogForm borrowerId={borrowerId} loans={[{ id: detail.loan.id, contractNo: detail.loan.contractNo }]} onAdded={load} />}
      {entries && <WorklogEntries entries={entries} onChange={load} testId="loan-worklog" />}
    </Stack>
  );
}
