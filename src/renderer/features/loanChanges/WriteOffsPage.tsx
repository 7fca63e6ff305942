import { Anchor, Button, Paper, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import type { WrittenOffView } from '../../../shared/ipc/loanChanges';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { AmountField } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { yuan } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { to } from '../../routes/links';

const NUM = { textAlign: 'right', whiteSpace: 'nowrap' } as const;

/** 核销台账 (账销案存): written-off loans, the balance written off and what has been recovered since. */
export function WriteOffsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const canRecover = useCan('repayments.write');
  const { data: rows } = useIpcQuery('writeoffs.list', {});
  const [recovering, setRecovering] = useState<WrittenOffView | null>(null);

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
          onSaved={() => {
            setRecovering(null);
            notifySuccess(t('changesUi.recoverySaved'));
          }}
        />
      )}
    </Stack>
  );
}

const recoverSchema = contract['writeoffs.recover'];

function RecoveryModal({ row, onClose, onSaved }: { row: WrittenOffView; onClose: () => void; onSaved: (rows: WrittenOffView[]) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => recoverSchema.extend({ amountFen: yuanField(recoverSchema.shape.amountFen, { t, locale }) }), [t, locale]);
  const form = useContractForm<{ paidOn: string; amountFen: string; note: string }, typeof schema>(schema, {
    initialValues: { paidOn: todayIn(), amountFen: '', note: '' },
    fixed: { loanId: row.loanId },
  });
  const recover = useIpcMutation('writeoffs.recover');
  return (
    <ModalForm
      title={t('changesUi.recoveryTitle', { contractNo: row.contractNo })}
      onClose={onClose}
      form={form}
      busy={recover.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onSaved(await recover.mutateAsync(form.toInput()!))}
    >
      <SimpleGrid cols={2}>
        <BusinessDateInput label={t('changesUi.paidOn')} required {...form.getInputProps('paidOn')} value={form.values.paidOn} />
        <AmountField label={t('changesUi.amount')} required words data-autofocus {...form.getInputProps('amountFen')} value={form.values.amountFen} />
      </SimpleGrid>
      <TextInput label={t('changesUi.note')} maxLength={300} {...form.getInputProps('note')} />
    </ModalForm>
  );
}
