import { Badge, Button, Group, Modal, NumberInput, Paper, SimpleGrid, Stack, Switch, Table, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocTypeView } from '../../../shared/ipc/archive';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';

const CODE = /^[a-z0-9-]{2,40}$/;

/** The catalogue of document types; only the archivist edits it, and a type in use is deactivated, never deleted. */
export function DocTypesPanel() {
  const { t } = useTranslation();
  const canManage = useCan('archive.manage');
  const [rows, setRows] = useState<DocTypeView[] | null>(null);
  const [editing, setEditing] = useState<DocTypeView | 'new' | null>(null);
  useEffect(() => {
    invoke('archive.docTypes').then(setRows).catch(notifyError);
  }, []);
  const list = [...(rows ?? [])].sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  return (
    <Stack gap="sm">
      {canManage && (
        <Group justify="flex-end">
          <Button onClick={() => setEditing('new')}>{t('archiveUi.addDocType')}</Button>
        </Group>
      )}
      <Paper withBorder>
        <Table fz="sm" verticalSpacing={5} striped data-testid="doc-types">
          <Table.Thead>
            <Table.Tr>
              <Table.Th ta="right" w={70}>
                {t('archiveUi.sort')}
              </Table.Th>
              <Table.Th>{t('archiveUi.code')}</Table.Th>
              <Table.Th>{t('archiveUi.nameZh')}</Table.Th>
              <Table.Th>{t('archiveUi.nameEn')}</Table.Th>
              <Table.Th>{t('archiveUi.state')}</Table.Th>
              {canManage && <Table.Th>{t('portfolio.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((d) => (
              <Table.Tr key={d.code} c={d.active ? undefined : 'dimmed'}>
                <Table.Td ta="right">{d.sort}</Table.Td>
                <Table.Td ff="monospace">{d.code}</Table.Td>
                <Table.Td>{d.nameZh}</Table.Td>
                <Table.Td>{d.nameEn}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={d.active ? 'green' : 'gray'} style={NO_SHRINK}>
                    {d.active ? t('archiveUi.active') : t('archiveUi.inactive')}
                  </Badge>
                </Table.Td>
                {canManage && (
                  <Table.Td>
                    <Button size="compact-xs" variant="light" onClick={() => setEditing(d)}>
                      {t('archiveUi.edit')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {editing && (
        <DocTypeModal
          initial={editing === 'new' ? null : editing}
          nextSort={(list.at(-1)?.sort ?? 0) + 10}
          taken={list.map((d) => d.code)}
          onClose={() => setEditing(null)}
          onSaved={(r) => {
            setRows(r);
            setEditing(null);
            notifySuccess(t('archiveUi.docTypeSaved'));
          }}
        />
      )}
    </Stack>
  );
}

function DocTypeModal({ initial, nextSort, taken, onClose, onSaved }: { initial: DocTypeView | null; nextSort: number; taken: string[]; onClose: () => void; onSaved: (rows: DocTypeView[]) => void }) {
  const { t } = useTranslation();
  const form = useFormState({ code: initial?.code ?? '', nameZh: initial?.nameZh ?? '', nameEn: initial?.nameEn ?? '', sort: initial?.sort ?? nextSort, active: initial?.active ?? true });
  const [busy, setBusy] = useState(false);
  const v = form.values;
  async function submit() {
    const code = v.code.trim();
    const errors = {
      ...(!CODE.test(code) ? { code: t('archiveUi.codeHint') } : !initial && taken.includes(code) ? { code: t('archiveUi.codeTaken') } : {}),
      ...(v.nameZh.trim() ? {} : { nameZh: t('validation.required') }),
      ...(v.nameEn.trim() ? {} : { nameEn: t('validation.required') }),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      onSaved(await invoke('archive.saveDocType', { code, nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), sort: v.sort, active: v.active }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={initial ? t('archiveUi.editDocType') : t('archiveUi.addDocType')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <SimpleGrid cols={2}>
            <TextInput label={t('archiveUi.code')} description={t('archiveUi.codeHint')} required maxLength={40} disabled={!!initial} classNames={{ input: 'lk-mono-input' }} {...form.text('code')} />
            <NumberInput label={t('archiveUi.sort')} required min={0} max={1000} allowDecimal={false} allowNegative={false} value={v.sort} onChange={(x) => form.set('sort', typeof x === 'number' ? x : Number(x) || 0)} />
            <TextInput label={t('archiveUi.nameZh')} required maxLength={50} data-autofocus {...form.text('nameZh')} />
            <TextInput label={t('archiveUi.nameEn')} required maxLength={80} {...form.text('nameEn')} />
          </SimpleGrid>
          <Switch label={t('archiveUi.active')} checked={v.active} onChange={(e) => form.set('active', e.currentTarget.checked)} />
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
