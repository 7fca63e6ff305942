import { Alert, Button, Checkbox, Group, Modal, Paper, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { amountInWords } from '../../../shared/domain/amountInWords';
import type { PaymentPreview } from '../../../shared/domain/settlement';
import { contract } from '../../../shared/ipc/contract';
import { useLocale } from '../../lib/appInfo';
import { useIpcQuery } from '../../lib/data/useIpc';
import { formatDay } from '../../lib/format';
import { yuan } from '../../lib/money';

export type Excess = 'credit' | 'settle';

/** Money beyond what is due: held as 溢收款, or settle the loan early. */
export function ExcessChoice({ value, onChange }: { value: Excess; onChange: (v: Excess) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {t('servicing.excess.label')}
      </Text>
      <SegmentedControl
        size="xs"
        value={value}
        onChange={(v) => onChange(v as Excess)}
        data={[
          { value: 'credit', label: t('servicing.excess.credit') },
          { value: 'settle', label: t('servicing.excess.settle') },
        ]}
      />
    </Stack>
  );
}

/**
 * The split the post would make, asked of main (the same replay the post runs) a moment after the inputs stop
 * changing; null while they are not a payment the channel takes. A refused preview is simply not shown.
 */
export function usePreview(loanId: number, paidOn: string, amountFen: number | null, excess: Excess): PaymentPreview | null {
  const [input] = useDebouncedValue({ loanId, paidOn, amountFen: amountFen ?? 0, excess }, 250);
  const valid = contract['repayments.preview'].safeParse(input).success;
  const q = useIpcQuery('repayments.preview', input, { enabled: valid, quiet: true, placeholderData: keepPreviousData });
  return valid && !q.isError ? (q.data ?? null) : null;
}

/** What needs saying before the post: more than is due, the loan paid off, money held over. */
export function previewWarnings(p: PaymentPreview, t: TFunction): string[] {
  const out: string[] = [];
  if (p.exceedsDue) out.push(t('servicing.exceedsDue', { amount: yuan(p.amountFen), due: yuan(p.dueFen) }));
  if (p.paysOff) out.push(t('servicing.paysOff'));
  if (p.creditFen > 0) out.push(t('servicing.leavesCredit', { credit: yuan(p.creditFen) }));
  return out;
}

export function PreviewPanel({ preview }: { preview: PaymentPreview }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const q = preview.quote;
  const rows: [string, number][] = [
    [t('servicing.preview.penalty'), preview.penaltyFen],
    [t('servicing.preview.interest'), preview.interestFen],
    [t('servicing.preview.principal'), preview.principalFen],
    ...(preview.feeFen > 0 ? ([[t('servicing.preview.fee'), preview.feeFen]] as [string, number][]) : []),
    [t('servicing.preview.credit'), preview.creditFen],
  ];
  return (
    <Paper withBorder p="xs" data-testid="repayment-preview">
      <Stack gap={4}>
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            {t('servicing.preview.title')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('servicing.preview.due')}{t('app.colon')}{yuan(preview.dueFen)}
          </Text>
        </Group>
        <Table fz="xs" verticalSpacing={2} withRowBorders={false}>
          <Table.Tbody>
            {rows.map(([label, fen]) => (
              <Table.Tr key={label}>
                <Table.Td>{label}</Table.Td>
                <Table.Td ta="right">{yuan(fen)}</Table.Td>
                <Table.Td c="dimmed">{fen > 0 ? amountInWords(fen) : ''}</Table.Td>
              </Table.Tr>
            ))}
            {preview.periods.map((p) => (
              <Table.Tr key={`p${p.period}`}>
                <Table.Td c="dimmed">{t('servicing.preview.period', { period: p.period, date: formatDay(p.dueDate, locale) })}</Table.Td>
                <Table.Td ta="right" c="dimmed" colSpan={2}>
                  {t('servicing.preview.penalty')} {yuan(p.penaltyFen)} · {t('servicing.preview.interest')} {yuan(p.interestFen)} · {t('servicing.preview.principal')} {yuan(p.principalFen)}
                </Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td>{t('servicing.preview.balanceAfter')}</Table.Td>
              <Table.Td ta="right">{yuan(preview.balanceAfterFen)}</Table.Td>
              <Table.Td />
            </Table.Tr>
          </Table.Tbody>
        </Table>
        {q && (
          <Text size="xs" c={preview.settles ? 'dimmed' : 'red'}>
            {t('servicing.preview.settleQuote', { principal: yuan(q.principalFen), interest: yuan(q.interestFen), penalty: yuan(q.penaltyFen), fee: yuan(q.feeFen), total: yuan(q.totalFen) })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** Asked before a post that exceeds what is due, pays the loan off or leaves money held. */
export function ConfirmPostModal({ preview, busy, onCancel, onConfirm }: { preview: PaymentPreview; busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const { t } = useTranslation();
  const [checked, setChecked] = useState(false);
  return (
    <Modal opened onClose={onCancel} title={t('servicing.preview.title')} centered size="lg">
      <Stack gap="sm">
        <Alert color="orange" data-testid="repayment-warnings">
          <Stack gap={2}>
            {previewWarnings(preview, t).map((w) => (
              <Text key={w} size="sm">
                {w}
              </Text>
            ))}
          </Stack>
        </Alert>
        <PreviewPanel preview={preview} />
        <Checkbox label={t('servicing.preview.confirm')} checked={checked} onChange={(e) => setChecked(e.currentTarget.checked)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('portfolio.cancel')}
          </Button>
          <Button disabled={!checked} loading={busy} onClick={onConfirm}>
            {t('loan.repayments.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
