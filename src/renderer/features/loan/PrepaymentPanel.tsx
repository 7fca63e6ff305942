import { Button, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { amountInWords, todayIn, type PrepayMode } from '../../../shared/domain';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { formatDay } from '../../lib/format';
import { parseYuan, wordsOf, yuan } from '../../lib/money';
import { notifySuccess } from '../../lib/notify';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 部分提前还款: the principal to repay early and what follows (a shorter term or lower instalments), worked out by
 * main with the function the post uses; confirming posts the money and the new schedule together.
 */
export function PrepaymentPanel({ detail, onChange }: { detail: LoanDetail; onChange: (d: LoanDetail) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const loanId = detail.loan.id;
  const [text, setText] = useState('');
  const [date, setDate] = useState(todayIn());
  const [mode, setMode] = useState<PrepayMode>(detail.loan.method === 'bullet' || detail.loan.method === 'monthly-interest' ? 'lower' : 'shorten');
  const parsed = parseYuan(text, t, locale, { optional: true });
  const input = parsed.fen !== null && DATE.test(date) ? { loanId, paidOn: date, principalFen: parsed.fen, mode } : null;
  const quote = useIpcQuery('repayments.prepayQuote', input ?? { loanId, paidOn: date, principalFen: 1, mode }, { enabled: input !== null, retry: false });
  const post = useIpcMutation('repayments.prepay');
  const q = input ? quote.data : undefined;
  const problem = parsed.error ?? (input && quote.error ? quote.error.message : null);
  const rows: [string, number][] = q
    ? [
        [t('servicing.prepay.due'), q.dueFen],
        [t('servicing.preview.principal'), q.principalFen],
        [t('servicing.prepay.prepaidInterest'), q.interestFen],
        [t('servicing.preview.fee'), q.feeFen],
        [t('servicing.prepay.total'), q.totalFen],
      ]
    : [];
  const words = wordsOf(text);
  return (
    <Paper withBorder p="md" data-testid="prepayment">
      <Stack gap="sm">
        <Title order={4} size="h5">
          {t('servicing.prepay.title')}
        </Title>
        <Group align="flex-start">
          <TextInput
            label={t('servicing.prepay.principal')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            inputMode="decimal"
            w={200}
            error={text.trim() ? parsed.error : null}
            description={locale === 'zh-CN' && words ? words : undefined}
          />
          <BusinessDateInput label={t('servicing.prepay.date')} value={date} onChange={setDate} w={160} />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('servicing.prepay.mode')}
            </Text>
            <SegmentedControl
              value={mode}
              onChange={(v) => setMode(v as PrepayMode)}
              data={[
                { value: 'shorten', label: t('servicing.prepay.shorten') },
                { value: 'lower', label: t('servicing.prepay.lower') },
              ]}
            />
          </Stack>
        </Group>
        {problem && text.trim() && (
          <Text c="red" size="sm" data-testid="prepayment-error">
            {problem}
          </Text>
        )}
        {q && (
          <>
            <Table withTableBorder data-testid="prepayment-items">
              <Table.Tbody>
                {rows.map(([label, fen]) => (
                  <Table.Tr key={label}>
                    <Table.Td w={260}>{label}</Table.Td>
                    <Table.Td ta="right" ff="monospace" w={160}>
                      {yuan(fen)}
                    </Table.Td>
                    {locale === 'zh-CN' && <Table.Td c="dimmed">{amountInWords(fen)}</Table.Td>}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group gap="xl" data-testid="prepayment-effect">
              <Text size="sm">{t('servicing.prepay.maturity', { before: formatDay(q.maturityBefore, locale), after: formatDay(q.maturityAfter, locale) })}</Text>
              <Text size="sm">{t('servicing.prepay.periods', { before: q.periodsBefore, after: q.periodsAfter })}</Text>
              <Text size="sm">{t('servicing.prepay.instalment', { before: yuan(q.instalmentBeforeFen), after: yuan(q.instalmentAfterFen) })}</Text>
              <Text size="sm">
                {t('servicing.prepay.remaining')}
                {t('app.colon')}
                {yuan(q.remainingAfterFen)}
              </Text>
            </Group>
            <Text size="sm" c="dimmed">
              {t('servicing.prepay.hint')}
            </Text>
            <Group justify="flex-end">
              <Button
                loading={post.isPending}
                onClick={async () => {
                  const d = await post.mutateAsync({ loanId, paidOn: date, principalFen: q.principalFen, mode, note: '', confirm: true });
                  setText('');
                  notifySuccess(t('servicing.prepay.done'));
                  onChange(d);
                }}
              >
                {t('servicing.prepay.confirm')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
