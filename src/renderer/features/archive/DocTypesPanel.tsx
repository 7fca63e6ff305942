import { Badge, Button, Group, NumberInput, Paper, SimpleGrid, Stack, Switch, Table, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocTypeView } from '../../../shared/ipc/archive';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { z } from 'zod';
import { contract } from '../../../shared/ipc/contract';
import { ModalForm } from '../../components/ModalForm';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';

/** The catalogue of document types; only the archivist edits it, and a type in use is deactivated, never deleted. */
export function DocTypesPanel() {
  const { t } = useTranslation();
  const canManage = useCan('archive.manage');
  // A saved type refetches the catalogue (its feature's reads).
  const rows = useIpcQuery('archive.docTypes', {}).data ?? null;
  const [editing, setEditing] = useState<DocTypeView | 'new' | null>(null);
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
          onSaved={() => {
            setEditing(null);
            notifySuccess(t('archiveUi.docTypeSaved'));
          }}
        />
      )}
    </Stack>
  );
}

const saveDocType = contract['archive.saveDocType'];

function DocTypeModal({ initial, nextSort, taken, onClose, onSaved }: { initial: DocTypeView | null; nextSort: number; taken: string[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  // The channel's schema; a new type may not take a code already in the catalogue (saving it would edit that one).
  const schema = useMemo(
    () =>
      saveDocType.extend({ code: z.string().trim().pipe(saveDocType.shape.code), sort: z.preprocess((v) => (v === '' ? undefined : v), saveDocType.shape.sort) }).superRefine((v, ctx) => {
        if (!initial && taken.includes(v.code)) ctx.addIssue({ code: 'custom', path: ['code'], message: t('archiveUi.codeTaken'), params: { worded: true } });
      }),
    [initial, taken, t],
  );
  const form = useContractForm<{ code: string; nameZh: string; nameEn: string; sort: number | string; active: boolean }, typeof schema>(schema, {
    initialValues: { code: initial?.code ?? '', nameZh: initial?.nameZh ?? '', nameEn: initial?.nameEn ?? '', sort: initial?.sort ?? nextSort, active: initial?.active ?? true },
  });
  const save = useIpcMutation('archive.saveDocType');
  return (
    <ModalForm
      title={initial ? t('archiveUi.editDocType') : t('archiveUi.addDocType')}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        await save.mutateAsync(form.toInput()!);
        onSaved();
      }}
    >
      <SimpleGrid cols={2}>
        <TextInput label={t('archiveUi.code')} description={t('archiveUi.codeHint')} required maxLength={40} disabled={!!initial} classNames={{ input: 'lk-mono-input' }} {...form.getInputProps('code')} />
        <NumberInput label={t('archiveUi.sort')} required min={0} max={1000} allowDecimal={false} allowNegative={false} {...form.getInputProps('sort')} />
        <TextInput label={t('archiveUi.nameZh')} required maxLength={50} data-autofocus {...form.getInputProps('nameZh')} />
        <TextInput label={t('archiveUi.nameEn')} required maxLength={80} {...form.getInputProps('nameEn')} />
      </SimpleGrid>
      <Switch label={t('archiveUi.active')} {...form.getInputProps('active', { type: 'checkbox' })} />
    </ModalForm>
  );
}
