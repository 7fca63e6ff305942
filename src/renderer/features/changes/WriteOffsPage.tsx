import { Anchor, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { WrittenOffView } from '../../../shared/ipc/loanChanges';
import { AmountField, DateField } from '../../components/Fields';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { dateError } from '../../lib/labels';
import { parseYuan, yuan } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { to } from '../../routes/links';

const NUM = { textAlign: 'right', whiteSpace: 'nowrap' } as const;

/** 核销台账 (账销案存): written-off loans, the balance written off and what has been recovered since. */
export function WriteOffsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const canRecover = useCan('repayments.write');
  const [rows, setRows] = useState<WrittenOffView[] | null>(null);
  const [recovering, setRecovering] = useState<WrittenOffView | null>(null);

  const load = useCallback(() => {
    invoke('writeoffs.list').then(setRows).catch(notifyError);
  }, []);
  useEffect(load, [load]);

  const sum = (f: (r: WrittenOffView) => number) => (rows ?? []).reduce((n, r) => n + f(r), 0);
  const cols = canRecover ? 7 : 6;
  return (
    <Stack gap="md">
      <PageHeader title={t('changesUi.writeoffsTitle')}>
        <ExportXlsxButton run={() => invoke('writeoffs.exportXlsx', {})} />
      </PageHeader>
      <Paper withBorder>
        <Table striped highlightOnHover verticalSpacing={6} fz="sm" data-testid="writeoffs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('changesUi.contractNo')}</Table.Th>
              <Table.Th>{t('changesUi.borrower')}</Table.Th>
              <Table.Th>{t('changesUi.writtenOffOn')}</Table.Th>
              <Table.Th style={NUM}>{t('changesUi.balance')}</Table.Th>
              <Table.Th style={NUM}>{t('changesUi.recovered')}</Table.Th>
              <Table.Th style={NUM}>{t('changesUi.outstanding')}</Table.Th>
              {canRecover && <Table.Th>{t('portfolio.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={cols}>
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    {t('changesUi.writeoffsEmpty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows?.map((r) => (
              <Table.Tr key={r.loanId} data-contract={r.contractNo}>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(r.loanId, 'changes'))}>
                    {r.contractNo}
                  </Anchor>
                </Table.Td>
                <Table.Td>{r.borrowerName}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.writtenOffOn ? formatDay(r.writtenOffOn, locale) : '—'}</Table.Td>
                <Table.Td style={NUM}>{yuan(r.balanceFen)}</Table.Td>
                <Table.Td style={NUM} data-testid="writeoff-recovered">
                  {yuan(r.recoveredFen)}
                </Table.Td>
                <Table.Td style={NUM}>{yuan(Math.max(0, r.balanceFen - r.recoveredFen))}</Table.Td>
                {canRecover && (
                  <Table.Td>
                    <Button size="compact-xs" variant="light" onClick={() => setRecovering(r)}>
                      {t('changesUi.recordRecovery')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
          {rows && rows.length > 0 && (
            <Table.Tfoot>
              <Table.Tr fw={600}>
                <Table.Td colSpan={3}>{t('changesUi.total')}</Table.Td>
                <Table.Td style={NUM}>{yuan(sum((r) => r.balanceFen))}</Table.Td>
                <Table.Td style={NUM}>{yuan(sum((r) => r.recoveredFen))}</Table.Td>
                <Table.Td style={NUM}>{yuan(sum((r) => Math.max(0, r.balanceFen - r.recoveredFen)))}</Table.Td>
                {canRecover && <Table.Td />}
              </Table.Tr>
            </Table.Tfoot>
          )}
        </Table>
      </Paper>
      {recovering && (
        <RecoveryModal
          row={recovering}
          onClose={() => setRecovering(null)}
          onSaved={(next) => {
            setRows(next);
            setRecovering(null);
            notifySuccess(t('changesUi.recoverySaved'));
          }}
        />
      )}
    </Stack>
  );
}

function RecoveryModal({ row, onClose, onSaved }: { row: WrittenOffView; onClose: () => void; onSaved: (rows: WrittenOffView[]) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const form = useFormState({ paidOn: todayIn(), amount: '', note: '' }, (path) => (path === 'amountFen' ? 'amount' : path.split('.')[0]));
  const [busy, setBusy] = useState(false);
  const v = form.values;
  async function submit() {
    const d = dateError(v.paidOn, t);
    const amount = parseYuan(v.amount, t, locale);
    const errors = { ...(d ? { paidOn: d } : {}), ...(amount.error ? { amount: amount.error } : {}) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0 || amount.fen === null) return;
    setBusy(true);
    try {
      onSaved(await invoke('writeoffs.recover', { loanId: row.loanId, paidOn: v.paidOn.trim(), amountFen: amount.fen, note: v.note.trim() }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={t('changesUi.recoveryTitle', { contractNo: row.contractNo })} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <DateField label={t('changesUi.paidOn')} required {...form.text('paidOn')} />
            <AmountField label={t('changesUi.amount')} required words data-autofocus {...form.text('amount')} />
          </SimpleGrid>
          <TextInput label={t('changesUi.note')} maxLength={300} {...form.text('note')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('portfolio.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('portfolio.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
