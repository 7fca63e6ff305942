import { Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoanDetail } from '../../../shared/ipc/loans';
import type { LedgerEntry } from '../../../shared/ipc/repayments';
import { VirtualTable, type VirtualColumn } from '../../components/VirtualTable';
import { useLocale } from '../../lib/appInfo';
import { useIpcCall } from '../../lib/data/useIpc';
import { downloadBase64 } from '../../lib/download';
import { useFloorReasons } from '../../lib/floorReasons';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { levelLabel } from '../../lib/labels';
import { yuan } from '../../lib/money';
import { useUserNames } from '../../lib/userNames';
import { useWindowedList } from '../../lib/useWindowedList';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function LedgerTab({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const reasons = useFloorReasons();
  const who = useUserNames();
  const exportXlsx = useIpcCall('ledger.exportXlsx', { onSuccess: (file) => downloadBase64(file.base64, file.fileName, XLSX) });
  const loanId = detail.loan.id;
  // Reloaded whenever the loan changes (a repayment, a reversal…) and in the other language.
  const [version, setVersion] = useState({ detail, n: 0 });
  if (version.detail !== detail) setVersion({ detail, n: version.n + 1 });
  const key = `${loanId}:${version.n}:${locale}`;
  const fetch = useCallback((offset: number, limit: number) => invoke('ledger.get', { loanId, offset, limit }), [loanId]);
  const list = useWindowedList<LedgerEntry, { total: number; entries: LedgerEntry[]; rows: LedgerEntry[] }>(key, (offset, limit) =>
    fetch(offset, limit).then((l) => ({ ...l, rows: l.entries })),
  );

  // A classification is worded here from its class and codes, so either language reads it.
  const describe = (e: LedgerEntry) => {
    const c = e.classification;
    if (!c) return e.description;
    return t('ledger.classification', { level: levelLabel(c.level, locale), reason: c.floorReasons ? reasons.join(c.floorReasons) : c.comment });
  };
  const money = (fen: number) => (fen === 0 ? '' : yuan(fen));
  const columns: VirtualColumn<LedgerEntry>[] = [
    // Wide enough for the longest date in either language (2026年12月31日, 30 Sept 2026). The money columns take
    // -12,345,678.90 whole: a ledger's amounts are never cut; below about 1,100 px the table scrolls sideways.
    { accessor: 'date', title: t('ledger.col.date'), width: 132, render: (e) => formatDay(e.date, locale) },
    { accessor: 'kind', title: t('ledger.col.kind'), width: 115, render: (e) => t(`ledger.kind.${e.kind}`) },
    {
      accessor: 'description',
      title: t('ledger.col.description'),
      // Two lines, whole on hover: classification reasons run long.
      render: (e) => (
        <Text size="sm" lineClamp={2} style={{ whiteSpace: 'normal' }} title={describe(e)}>
          {describe(e)}
        </Text>
      ),
    },
    { accessor: 'amountFen', title: t('ledger.col.amount'), textAlign: 'right', width: 125, render: (e) => money(e.amountFen) },
    { accessor: 'principalFen', title: t('ledger.col.principal'), textAlign: 'right', width: 125, render: (e) => money(e.principalFen) },
    { accessor: 'interestFen', title: t('ledger.col.interest'), textAlign: 'right', width: 90, render: (e) => money(e.interestFen) },
    { accessor: 'penaltyFen', title: t('ledger.col.penalty'), textAlign: 'right', width: 85, render: (e) => money(e.penaltyFen) },
    {
      accessor: 'balanceFen',
      title: t('ledger.col.balance'),
      textAlign: 'right',
      width: 125,
      render: (e) => (
        <Text span fw={600} size="sm">
          {yuan(e.balanceFen)}
        </Text>
      ),
    },
    { accessor: 'by', title: t('ledger.col.by'), width: 120, render: (e) => who(e.by) },
  ];
  return (
    <>
      <Group justify="space-between" mb="sm">
        <Text size="xs" c="dimmed" data-testid="ledger-count">
          {list.total !== null && t('portfolio.count', { count: list.total })}
        </Text>
        <Button size="xs" variant="light" loading={exportXlsx.isPending} onClick={() => exportXlsx.mutate({ loanId })}>
          {t('loan.ledger.export')}
        </Button>
      </Group>
      <VirtualTable<LedgerEntry>
        testId="ledger"
        columns={columns}
        count={list.total}
        rowAt={list.rowAt}
        onRange={list.ensure}
        rowKey={(_e, i) => i}
        rowHeight={52}
        minWidth={1100}
        maxHeight="min(600px, calc(100dvh - 240px))"
        emptyText={t('loan.ledger.empty')}
      />
    </>
  );
}
