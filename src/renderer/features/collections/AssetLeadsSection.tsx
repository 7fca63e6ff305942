import { Badge, Button, Checkbox, Group, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import { ASSET_KINDS, ASSET_STATUSES, type AssetKind, type AssetLeadView, type AssetStatus } from '../../../shared/ipc/collections';
import { contract } from '../../../shared/ipc/contract';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { ModalForm } from '../../components/ModalForm';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDay } from '../../lib/format';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';

const STATUS_COLORS: Record<AssetStatus, string> = { open: 'blue', preserved: 'green', realized: 'teal', dismissed: 'gray' };

/** 财产线索: what, where, who holds it, whether others have seized it; shown on the 诉讼 tab, or on 催收 when there is no case. */
export function AssetLeadsSection({ loanId }: { loanId: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('collections.write');
  const { data: rows } = useIpcQuery('collections.assetLeads', { loanId });
  const [adding, setAdding] = useState(false);
  const [updating, setUpdating] = useState<AssetLeadView | null>(null);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4} size="h5">
          {t('assetLeads.title')}
        </Title>
        {canWrite && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('assetLeads.add')}
          </Button>
        )}
      </Group>
      {rows && rows.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="sm">
          {t('assetLeads.empty')}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={5} striped data-testid="asset-leads">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('assetLeads.foundOn')}</Table.Th>
              <Table.Th>{t('assetLeads.kind')}</Table.Th>
              <Table.Th>{t('assetLeads.description')}</Table.Th>
              <Table.Th>{t('assetLeads.location')}</Table.Th>
              <Table.Th>{t('assetLeads.holder')}</Table.Th>
              <Table.Th>{t('assetLeads.source')}</Table.Th>
              <Table.Th>{t('assetLeads.status')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(rows ?? []).map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(l.foundOn, locale)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`assetLeads.kindLabel.${l.kind}`)}</Table.Td>
                <Table.Td>
                  {l.description}
                  {l.seizedByOthers && (
                    <Text size="xs" c="red">
                      {t('assetLeads.seized')}：{l.seizedNote}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{l.location || '—'}</Table.Td>
                <Table.Td>{l.holder || '—'}</Table.Td>
                <Table.Td>{l.source || '—'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge size="sm" variant="light" color={STATUS_COLORS[l.status]} style={NO_SHRINK}>
                    {t(`assetLeads.statusLabel.${l.status}`)}
                  </Badge>{' '}
                  <Text span size="xs" c="dimmed">
                    {formatDay(l.statusOn, locale)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {canWrite && (
                    <Button size="compact-xs" variant="subtle" onClick={() => setUpdating(l)}>
                      {t('assetLeads.update')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {adding && (
        <AddLeadModal
          loanId={loanId}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            notifySuccess(t('assetLeads.saved'));
          }}
        />
      )}
      {updating && (
        <UpdateLeadModal
          lead={updating}
          onClose={() => setUpdating(null)}
          onSaved={() => {
            setUpdating(null);
            notifySuccess(t('assetLeads.saved'));
          }}
        />
      )}
    </Stack>
  );
}

const addSchema = contract['collections.addAssetLead'];

function AddLeadModal({ loanId, onClose, onSaved }: { loanId: number; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<
    { kind: AssetKind; description: string; location: string; holder: string; seizedByOthers: boolean; seizedNote: string; source: string; foundOn: string },
    typeof addSchema
  >(addSchema, {
    initialValues: { kind: 'real-estate', description: '', location: '', holder: '', seizedByOthers: false, seizedNote: '', source: '', foundOn: todayIn() },
    fixed: { loanId },
  });
  const add = useIpcMutation('collections.addAssetLead');
  const v = form.values;
  return (
    <ModalForm
      title={t('assetLeads.add')}
      onClose={onClose}
      form={form}
      busy={add.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await add.mutateAsync(form.toInput()!);
        onSaved();
      }}
    >
      <SimpleGrid cols={2}>
        <Select label={t('assetLeads.kind')} required data={ASSET_KINDS.map((k) => ({ value: k, label: t(`assetLeads.kindLabel.${k}`) }))} allowDeselect={false} {...form.getInputProps('kind')} />
        <BusinessDateInput label={t('assetLeads.foundOn')} required {...form.getInputProps('foundOn')} value={v.foundOn} />
      </SimpleGrid>
      <TextInput label={t('assetLeads.description')} required maxLength={300} data-autofocus {...form.getInputProps('description')} />
      <SimpleGrid cols={2}>
        <TextInput label={t('assetLeads.location')} maxLength={200} {...form.getInputProps('location')} />
        <TextInput label={t('assetLeads.holder')} maxLength={100} {...form.getInputProps('holder')} />
      </SimpleGrid>
      <TextInput label={t('assetLeads.source')} maxLength={200} {...form.getInputProps('source')} />
      <Checkbox label={t('assetLeads.seizedByOthers')} {...form.getInputProps('seizedByOthers', { type: 'checkbox' })} />
      {v.seizedByOthers && <Textarea label={t('assetLeads.seizedNote')} required maxLength={300} autosize minRows={1} {...form.getInputProps('seizedNote')} />}
    </ModalForm>
  );
}

const updateSchema = contract['collections.updateAssetLead'];

function UpdateLeadModal({ lead, onClose, onSaved }: { lead: AssetLeadView; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ status: AssetStatus; statusOn: string; seizedByOthers: boolean; seizedNote: string }, typeof updateSchema>(updateSchema, {
    initialValues: { status: lead.status, statusOn: todayIn(), seizedByOthers: lead.seizedByOthers, seizedNote: lead.seizedNote },
    fixed: { leadId: lead.id },
  });
  const update = useIpcMutation('collections.updateAssetLead');
  const v = form.values;
  return (
    <ModalForm
      title={t('assetLeads.updateTitle')}
      onClose={onClose}
      form={form}
      busy={update.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await update.mutateAsync(form.toInput()!);
        onSaved();
      }}
    >
      <Text size="sm">{lead.description}</Text>
      <SimpleGrid cols={2}>
        <Select label={t('assetLeads.status')} required data={ASSET_STATUSES.map((s) => ({ value: s, label: t(`assetLeads.statusLabel.${s}`) }))} allowDeselect={false} {...form.getInputProps('status')} />
        <BusinessDateInput label={t('assetLeads.statusOn')} required {...form.getInputProps('statusOn')} value={v.statusOn} />
      </SimpleGrid>
      <Checkbox label={t('assetLeads.seizedByOthers')} {...form.getInputProps('seizedByOthers', { type: 'checkbox' })} />
      {v.seizedByOthers && <Textarea label={t('assetLeads.seizedNote')} required maxLength={300} autosize minRows={1} {...form.getInputProps('seizedNote')} />}
    </ModalForm>
  );
}
