import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/ipc/contract';
import type { DebtorView } from '../../../shared/ipc/factoring';
import { AmountField } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { PageHeader } from '../../components/PageHeader';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { fenToInput, yuan } from '../../lib/money';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';

const NUM = { textAlign: 'right', whiteSpace: 'nowrap' } as const;

/** 应收账款债务人: every account debtor with its limit, the company's exposure across sellers, and the headroom. */
export function DebtorsPage() {
  const { t } = useTranslation();
  const canLimit = useCan('portfolio.reports');
  const { data: rows } = useIpcQuery('factoring.debtors', {});
  const [editing, setEditing] = useState<DebtorView | null>(null);
  const cols = canLimit ? 9 : 8;
  return (
    <Stack gap="md">
      <PageHeader title={t('factoring.debtorsTitle')} />
      <Text size="sm" c="dimmed">
        {t('factoring.debtorsHint')}
      </Text>
      <Paper withBorder>
        <Table striped highlightOnHover verticalSpacing={6} fz="sm" data-testid="debtors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>
                {t('factoring.debtorName')} / {t('factoring.debtorCode')}
              </Table.Th>
              <Table.Th style={NUM}>{t('factoring.limit')}</Table.Th>
              <Table.Th style={NUM}>{t('factoring.exposure')}</Table.Th>
              <Table.Th style={NUM}>{t('factoring.headroom')}</Table.Th>
              <Table.Th style={NUM}>{t('factoring.sellers')}</Table.Th>
              <Table.Th style={NUM}>{t('factoring.openReceivables')}</Table.Th>
              <Table.Th style={NUM}>{t('factoring.unconfirmed')}</Table.Th>
              <Table.Th style={NUM}>{t('factoring.disputed')}</Table.Th>
              {canLimit && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={cols}>
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    {t('factoring.debtorsEmpty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows?.map((d) => (
              <Table.Tr key={d.id} data-debtor={d.name}>
                <Table.Td miw={220}>
                  <Group gap={6}>
                    <Text size="sm">{d.name}</Text>
                    {d.relatedParty && (
                      <Badge size="xs" color="orange" variant="light">
                        {t('factoring.relatedParty')}
                      </Badge>
                    )}
                    {d.breach && (
                      <Badge size="xs" color="red" variant="filled" data-testid="debtor-breach">
                        {t('factoring.overLimit')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {d.creditCode}
                  </Text>
                </Table.Td>
                <Table.Td style={NUM}>{d.limitFen === null ? <Text c="dimmed" size="sm">{t('factoring.noLimit')}</Text> : yuan(d.limitFen)}</Table.Td>
                <Table.Td style={NUM} fw={600} data-testid="debtor-exposure">
                  {yuan(d.exposureFen)}
                </Table.Td>
                <Table.Td style={NUM} c={d.breach ? 'red' : undefined}>
                  {d.headroomFen === null ? '—' : yuan(d.headroomFen)}
                </Table.Td>
                <Table.Td style={NUM}>{d.sellers}</Table.Td>
                <Table.Td style={NUM}>{d.receivables}</Table.Td>
                <Table.Td style={NUM}>{yuan(d.unconfirmedFen)}</Table.Td>
                <Table.Td style={NUM}>{yuan(d.disputedFen)}</Table.Td>
                {canLimit && (
                  <Table.Td>
                    <Button size="compact-xs" variant="light" onClick={() => setEditing(d)}>
                      {t('factoring.setLimit')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {editing && <LimitModal debtor={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

const limitSchema = contract['factoring.setDebtorLimit'];

function LimitModal({ debtor, onClose }: { debtor: DebtorView; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => limitSchema.extend({ limitFen: yuanField(limitSchema.shape.limitFen, { t, locale, emptyAs: null, allowZero: true }) }), [t, locale]);
  const form = useContractForm<{ limitFen: string }, typeof schema>(schema, { initialValues: { limitFen: fenToInput(debtor.limitFen) }, fixed: { debtorId: debtor.id } });
  const save = useIpcMutation('factoring.setDebtorLimit');
  return (
    <ModalForm
      title={t('factoring.limitTitle', { name: debtor.name })}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await save.mutateAsync(form.toInput()!);
        notifySuccess(t('factoring.limitSaved'));
        onClose();
      }}
    >
      <Text size="sm">{t('factoring.limitExposure', { exposure: yuan(debtor.exposureFen) })}</Text>
      <AmountField label={t('factoring.limitYuan')} description={t('factoring.limitEmptyHint')} data-autofocus {...form.getInputProps('limitFen')} value={form.values.limitFen} />
    </ModalForm>
  );
}
