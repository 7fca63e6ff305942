import { Button, Group, Loader, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoanDetail } from '../../../shared/ipc/loans';
import type { LedgerEntry } from '../../../shared/ipc/repayments';
import { useLocale } from '../../lib/appInfo';
import { downloadBase64 } from '../../lib/download';
import { localizeReasons } from '../../lib/floorReasons';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { yuan } from '../../lib/money';
import { notifyError } from '../../lib/notify';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function LedgerTab({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [entries, setEntries] = useState<LedgerEntry[] | null>(null);
  const [busy, setBusy] = useState(false);
  const loanId = detail.loan.id;

  // Reloaded whenever the loan changes (a repayment, a reversal…).
  useEffect(() => {
    invoke('ledger.get', { loanId })
      .then((l) => setEntries(l.entries))
      .catch(notifyError);
  }, [loanId, detail]);

  async function exportXlsx() {
    setBusy(true);
    try {
      const file = await invoke('ledger.exportXlsx', { loanId });
      downloadBase64(file.base64, file.fileName, XLSX);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  }

  const money = (fen: number) => (fen === 0 ? '' : yuan(fen));
  return (
    <>
      <Group justify="flex-end" mb="sm">
        <Button size="xs" variant="light" loading={busy} onClick={() => void exportXlsx()}>
          {t('loan.ledger.export')}
        </Button>
      </Group>
      {entries === null ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : entries.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="md">
          {t('loan.ledger.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={1000}>
          <Table fz="sm" verticalSpacing={5} striped data-testid="ledger">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ledger.col.date')}</Table.Th>
                <Table.Th>{t('ledger.col.kind')}</Table.Th>
                <Table.Th>{t('ledger.col.description')}</Table.Th>
                <Table.Th ta="right">{t('ledger.col.amount')}</Table.Th>
                <Table.Th ta="right">{t('ledger.col.principal')}</Table.Th>
                <Table.Th ta="right">{t('ledger.col.interest')}</Table.Th>
                <Table.Th ta="right">{t('ledger.col.penalty')}</Table.Th>
                <Table.Th ta="right">{t('ledger.col.balance')}</Table.Th>
                <Table.Th>{t('ledger.col.by')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e, i) => (
                <Table.Tr key={i}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(e.date, locale)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`ledger.kind.${e.kind}`)}</Table.Td>
                  <Table.Td>{e.kind === 'classification' ? localizeReasons(e.description, locale, t) : e.description}</Table.Td>
                  <Table.Td ta="right">{money(e.amountFen)}</Table.Td>
                  <Table.Td ta="right">{money(e.principalFen)}</Table.Td>
                  <Table.Td ta="right">{money(e.interestFen)}</Table.Td>
                  <Table.Td ta="right">{money(e.penaltyFen)}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {yuan(e.balanceFen)}
                  </Table.Td>
                  <Table.Td>{e.by}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
