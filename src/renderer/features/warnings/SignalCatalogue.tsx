import { Badge, Button, Group, Modal, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SIGNAL_CATEGORIES, WARNING_LEVELS, type SignalCategory, type SignalView, type WarningLevel } from '../../../shared/ipc/warnings';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDateTime } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useStaffNames } from '../inspections/names';
import { WarningLevelBadge } from './badges';

/** The catalogue of warning signals; the risk officer adds, renames, re-grades and switches them off. */
export function SignalCatalogue() {
  const { t } = useTranslation();
  const locale = useLocale();
  const name = useStaffNames();
  const canEdit = useCan('warnings.catalogue');
  const [signals, setSignals] = useState<SignalView[] | null>(null);
  const [editing, setEditing] = useState<SignalView | 'new' | null>(null);
  const load = useCallback(() => {
    invoke('warnings.catalogue').then(setSignals).catch(notifyError);
  }, []);
  useEffect(load, [load]);

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
            load();
          }}
        />
      )}
    </Stack>
  );
}

function SignalModal({ signal, onClose, onSaved }: { signal: SignalView | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useFormState({
    nameZh: signal?.nameZh ?? '',
    nameEn: signal?.nameEn ?? '',
    level: (signal?.level ?? 'medium') as WarningLevel,
    category: (signal?.category ?? 'borrower') as SignalCategory,
    active: signal?.active ?? true,
  });
  const [busy, setBusy] = useState(false);
  const v = form.values;
  async function save() {
    const errors = { ...(v.nameZh.trim() ? {} : { nameZh: t('validation.required') }), ...(v.nameEn.trim() ? {} : { nameEn: t('validation.required') }) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      await invoke('warnings.saveSignal', { id: signal?.id ?? null, nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), level: v.level, category: v.category, active: v.active });
      onSaved();
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={signal ? t('warningsUi.editSignal') : t('warningsUi.addSignal')} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <TextInput label={t('warningsUi.nameZh')} required maxLength={60} data-autofocus {...form.text('nameZh')} />
            <TextInput label={t('warningsUi.nameEn')} required maxLength={120} {...form.text('nameEn')} />
            <Select
              label={t('warningsUi.category')}
              allowDeselect={false}
              data={SIGNAL_CATEGORIES.map((c) => ({ value: c, label: t(`warnings.category.${c}`) }))}
              value={v.category}
              onChange={(x) => x && form.set('category', x as SignalCategory)}
            />
            <Select
              label={t('warningsUi.level')}
              allowDeselect={false}
              data={WARNING_LEVELS.map((l) => ({ value: l, label: t(`warnings.level.${l}`) }))}
              value={v.level}
              onChange={(x) => x && form.set('level', x as WarningLevel)}
            />
          </SimpleGrid>
          <Switch label={t('warningsUi.active')} checked={v.active} onChange={(e) => form.set('active', e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('warningsUi.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('warningsUi.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
