import { Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/ipc/contract';
import { SIGNAL_CATEGORIES, WARNING_LEVELS, type SignalCategory, type SignalView, type WarningLevel } from '../../../shared/ipc/warnings';
import { useLocale } from '../../lib/appInfo';
import { ModalForm } from '../../components/ModalForm';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDateTime } from '../../lib/format';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useStaffNames } from '../inspections/names';
import { WarningLevelBadge } from './badges';

/** The catalogue of warning signals; the risk officer adds, renames, re-grades and switches them off. */
export function SignalCatalogue() {
  const { t } = useTranslation();
  const locale = useLocale();
  const name = useStaffNames();
  const canEdit = useCan('warnings.catalogue');
  const { data: signals } = useIpcQuery('warnings.catalogue', {});
  const [editing, setEditing] = useState<SignalView | 'new' | null>(null);

  return (
    <Stack gap="sm">
      {canEdit && (
        <Group justify="flex-end">
          <Button onClick={() => setEditing('new')}>{t('warningsUi.addSignal')}</Button>
        </Group>
      )}
      <Paper withBorder>
        <Table.ScrollContainer minWidth={980}>
          <Table fz="sm" verticalSpacing={6} striped data-testid="signal-catalogue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('warningsUi.code')}</Table.Th>
                <Table.Th>{t('warningsUi.signal')}</Table.Th>
                <Table.Th>{t('warningsUi.category')}</Table.Th>
                <Table.Th>{t('warningsUi.level')}</Table.Th>
                <Table.Th>{t('warningsUi.autoRule')}</Table.Th>
                <Table.Th>{t('warningsUi.active')}</Table.Th>
                <Table.Th>{t('warningsUi.updated')}</Table.Th>
                {canEdit && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {signals?.map((s) => (
                <Table.Tr key={s.id} c={s.active ? undefined : 'dimmed'}>
                  <Table.Td ff="monospace">{s.code}</Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm">{s.name}</Text>
                      <Text size="xs" c="dimmed">
                        {locale === 'en' ? '' : s.nameEn}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`warnings.category.${s.category}`)}</Table.Td>
                  <Table.Td>
                    <WarningLevelBadge level={s.level} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{s.autoRule ? t(`warningsUi.autoRules.${s.autoRule}`) : t('warningsUi.manual')}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={s.active ? 'green' : 'gray'}>
                      {s.active ? t('warningsUi.active') : t('warningsUi.inactive')}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="xs">{name(s.updatedBy)}</Text>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(s.updatedAt, locale)}
                    </Text>
                  </Table.Td>
                  {canEdit && (
                    <Table.Td>
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(s)}>
                        {t('warningsUi.edit')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {editing && (
        <SignalModal
          signal={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            notifySuccess(t('warningsUi.signalSaved'));
          }}
        />
      )}
    </Stack>
  );
}

type SignalValues = { nameZh: string; nameEn: string; level: WarningLevel; category: SignalCategory; active: boolean };
const signalSchema = contract['warnings.saveSignal'];

function SignalModal({ signal, onClose, onSaved }: { signal: SignalView | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<SignalValues, typeof signalSchema>(signalSchema, {
    initialValues: { nameZh: signal?.nameZh ?? '', nameEn: signal?.nameEn ?? '', level: signal?.level ?? 'medium', category: signal?.category ?? 'borrower', active: signal?.active ?? true },
    fixed: { id: signal?.id ?? null },
  });
  const save = useIpcMutation('warnings.saveSignal');
  return (
    <ModalForm
      title={signal ? t('warningsUi.editSignal') : t('warningsUi.addSignal')}
      size="lg"
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('warningsUi.save')}
      cancelLabel={t('warningsUi.cancel')}
      onSubmit={async () => {
        await save.mutateAsync(form.toInput()!);
        onSaved();
      }}
    >
      <SimpleGrid cols={2}>
        <TextInput label={t('warningsUi.nameZh')} required maxLength={60} data-autofocus {...form.getInputProps('nameZh')} />
        <TextInput label={t('warningsUi.nameEn')} required maxLength={120} {...form.getInputProps('nameEn')} />
        <Select label={t('warningsUi.category')} allowDeselect={false} data={SIGNAL_CATEGORIES.map((c) => ({ value: c, label: t(`warnings.category.${c}`) }))} {...form.getInputProps('category')} />
        <Select label={t('warningsUi.level')} allowDeselect={false} data={WARNING_LEVELS.map((l) => ({ value: l, label: t(`warnings.level.${l}`) }))} {...form.getInputProps('level')} />
      </SimpleGrid>
      <Switch label={t('warningsUi.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
    </ModalForm>
  );
}
