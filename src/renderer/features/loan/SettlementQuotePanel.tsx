import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { amountInWords, todayIn } from '../../../shared/domain';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { useLocale } from '../../lib/appInfo';
import { useIpcCall, useIpcQuery } from '../../lib/data/useIpc';
import { downloadBase64 } from '../../lib/download';
import { yuan } from '../../lib/money';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 提前结清测算: what settling the loan in full on a date takes, item by item, as main computes it for the post
 * and the printed quote (the borrower signs the printed one).
 */
export function SettlementQuotePanel({ loanId }: { loanId: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [date, setDate] = useState(todayIn());
  const valid = DATE.test(date);
  const quote = useIpcQuery('repayments.quote', { loanId, date }, { enabled: valid });
  const print = useIpcCall('repayments.quotePdf', { onSuccess: (pdf) => downloadBase64(pdf.base64, pdf.fileName, 'application/pdf') });
  const q = valid ? quote.data : undefined;
  const rows: [string, number][] = q
    ? [
        [t('servicing.preview.principal'), q.principalFen],
        [t('servicing.preview.interest'), q.interestFen],
        [t('servicing.preview.penalty'), q.penaltyFen],
        [t('servicing.preview.fee'), q.feeFen],
        [t('servicing.quote.total'), q.totalFen],
        ...(q.creditFen > 0 ? ([[t('servicing.quote.lessCredit'), q.creditFen]] as [string, number][]) : []),
      ]
    : [];
  return (
    <Paper withBorder p="md" data-testid="settlement-quote">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={4} size="h5">
            {t('servicing.quote.title')}
          </Title>
          <Group align="flex-end">
            <BusinessDateInput label={t('servicing.quote.date')} value={date} onChange={setDate} w={160} />
            <Button variant="light" disabled={!q} loading={print.isPending} onClick={() => print.mutate({ loanId, date })}>
              {t('servicing.quote.print')}
            </Button>
          </Group>
        </Group>
        {q && (
          <>
            <Table withTableBorder data-testid="settlement-quote-items">
              <Table.Tbody>
                {rows.map(([label, fen]) => (
                  <Table.Tr key={label}>
                    <Table.Td w={160}>{label}</Table.Td>
                    <Table.Td ta="right" ff="monospace" w={160}>
                      {yuan(fen)}
                    </Table.Td>
                    {locale === 'zh-CN' && <Table.Td c="dimmed">{amountInWords(fen)}</Table.Td>}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text fw={700} data-testid="settlement-quote-payable">
              {t('servicing.quote.payable', { amount: yuan(q.payableFen) })}
              {locale === 'zh-CN' ? `（${amountInWords(q.payableFen)}）` : ''}
            </Text>
            <Text size="sm" c="dimmed">
              {t('servicing.quote.hint')}
            </Text>
          </>
        )}
      </Stack>
    </Paper>
  );
}
