import { Button, Card, Group, Loader, SimpleGrid, Table, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { fractionAsPercent } from '../../../shared/domain/decimal';
import { contract } from '../../../shared/ipc/contract';
import type { ConcentrationLimits } from '../../../shared/ipc/managementReports';
import { ModalForm } from '../../components/ModalForm';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { bpAsPercent, percentBpField } from './Provisioning';

type LimitValues = { debtorMaxBp: string; relatedMaxBp: string };
const asText = (bp: number) => fractionAsPercent(String(bp / 10_000));

/** The administrator's form for the 205号 factoring concentration limits, typed in per cent. */
function ConcentrationLimitsModal({ limits, onClose }: { limits: ConcentrationLimits; onClose: () => void }) {
  const { t } = useTranslation();
  const contractSchema = contract['managementReports.setConcentrationLimits'];
  const schema = useMemo(
    () => z.object({ debtorMaxBp: percentBpField(contractSchema.shape.debtorMaxBp, t), relatedMaxBp: percentBpField(contractSchema.shape.relatedMaxBp, t) }).strict(),
    [contractSchema, t],
  );
  const form = useContractForm<LimitValues, typeof schema>(schema, { initialValues: { debtorMaxBp: asText(limits.debtorMaxBp), relatedMaxBp: asText(limits.relatedMaxBp) } });
  const save = useIpcMutation('managementReports.setConcentrationLimits');
  return (
    <ModalForm
      title={t('managementReports.limits.title')}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('managementReports.provisioning.save')}
      onSubmit={async () => {
        await save.mutateAsync(form.toInput()!);
        onClose();
      }}
    >
      <Text size="sm" c="dimmed">
        {t('managementReports.limits.hint')}
      </Text>
      <SimpleGrid cols={2} spacing="sm">
        <TextInput label={t('managementReports.limits.debtor')} rightSection="%" data-autofocus data-testid="limit-debtor" {...form.getInputProps('debtorMaxBp')} />
        <TextInput label={t('managementReports.limits.related')} rightSection="%" data-testid="limit-related" {...form.getInputProps('relatedMaxBp')} />
      </SimpleGrid>
    </ModalForm>
  );
}

/** On the settings page: the factoring concentration limits in force, and the administrator's form. */
export function ConcentrationLimitsCard() {
  const { t } = useTranslation();
  const q = useIpcQuery('managementReports.concentrationLimits', {});
  const [editing, setEditing] = useState(false);
  return (
    <Card withBorder padding="lg" maw={560} data-testid="concentration-limits">
      <Group justify="space-between" mb="sm">
        <Title order={5}>{t('managementReports.limits.title')}</Title>
        <Button size="xs" variant="light" disabled={!q.data} onClick={() => setEditing(true)} data-testid="concentration-limits-edit">
          {t('managementReports.limits.set')}
        </Button>
      </Group>
      {!q.data ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : (
        <Table fz="sm" verticalSpacing={2}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>{t('managementReports.limits.debtor')}</Table.Td>
              <Table.Td ta="right" data-testid="limit-debtor-value">
                {bpAsPercent(q.data.debtorMaxBp)}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>{t('managementReports.limits.related')}</Table.Td>
              <Table.Td ta="right" data-testid="limit-related-value">
                {bpAsPercent(q.data.relatedMaxBp)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        {t('managementReports.limits.hint')}
      </Text>
      {editing && q.data && <ConcentrationLimitsModal limits={q.data} onClose={() => setEditing(false)} />}
    </Card>
  );
}
