import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportedArchiveView } from '../../../shared/ipc/archive';
import { PasswordField } from '../../components/PasswordField';
import { PathField } from '../../components/PathField';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDateTime } from '../../lib/format';
import { invoke, IpcError } from '../../lib/ipc';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { useAlert } from '../../lib/useAlert';
import { ImportedArchive, ReadOnlyNote } from './ImportedArchive';

/** 导入的档案: export packages brought in as read-only copies (the auditor's or head office's view). */
export function ImportPanel() {
  const [rows, setRows] = useState<ImportedArchiveView[] | null>(null);
  const [open, setOpen] = useState<ImportedArchiveView | null>(null);
  const load = useCallback(() => {
    invoke('archive.imported').then(setRows).catch(notifyError);
  }, []);
  useEffect(load, [load]);

  if (open) return <ImportedArchive archive={open} onBack={() => setOpen(null)} />;
  return (
    <Stack gap="md" maw={1100}>
      <ReadOnlyNote />
      <ImportForm
        onImported={(a) => {
          load();
          setOpen(a);
        }}
      />
      <ImportedList rows={rows} onOpen={setOpen} />
    </Stack>
  );
}

function ImportForm({ onImported }: { onImported: (a: ImportedArchiveView) => void }) {
  const { t } = useTranslation();
  const form = useFormState({ file: '', password: '' });
  const [failure, setFailure] = useAlert();
  const [busy, setBusy] = useState(false);
  const v = form.values;

  async function submit() {
    const errors = { ...(v.file.trim() ? {} : { file: t('validation.required') }), ...(v.password ? {} : { password: t('validation.required') }) };
    form.setErrors(errors);
    setFailure(null);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const a = await invoke('archive.importPackage', { file: v.file.trim(), password: v.password });
      notifySuccess(t('importUi.imported', { institution: a.institution, count: a.loans.length }));
      form.set('password', '');
      onImported(a);
    } catch (e) {
      // Wrong password, cut-short or altered package: main words each; shown where the user is looking.
      if (e instanceof IpcError && (e.code === 'VALIDATION' || e.code === 'RULE_VIOLATION') && e.issues.length === 0) setFailure(errorMessage(e));
      else form.handleError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Title order={4} size="h5">
            {t('importUi.importTitle')}
          </Title>
          <PathField
            kind="file"
            label={t('importUi.file')}
            description={t('importUi.fileHint')}
            required
            maxLength={1000}
            pickTitle={t('pathField.packageTitle')}
            filters={[{ name: t('pathField.zipFilter'), extensions: ['zip'] }]}
            onPick={(p) => form.set('file', p)}
            {...form.text('file')}
          />
          <PasswordField label={t('importUi.password')} required maxLength={128} autoComplete="off" {...form.text('password')} />
          {failure && (
            <Alert color="red" title={t('importUi.failed')} data-testid="import-error">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              {t('importUi.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function ImportedList({ rows, onOpen }: { rows: ImportedArchiveView[] | null; onOpen: (a: ImportedArchiveView) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Title order={4} size="h5">
          {t('importUi.listTitle')}
        </Title>
        <Badge color="gray" variant="light">
          {t('importUi.readOnly')}
        </Badge>
      </Group>
      <Paper withBorder>
        {rows && rows.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="lg">
            {t('importUi.empty')}
          </Text>
        ) : (
          <Table fz="sm" verticalSpacing={6} striped highlightOnHover data-testid="imported-archives">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('archiveUi.institution')}</Table.Th>
                <Table.Th>{t('archiveUi.exportedBy')}</Table.Th>
                <Table.Th>{t('archiveUi.exportedAt')}</Table.Th>
                <Table.Th>{t('importUi.loans')}</Table.Th>
                <Table.Th ta="right">{t('importUi.files')}</Table.Th>
                <Table.Th>{t('importUi.importedBy')}</Table.Th>
                <Table.Th>{t('importUi.importedAt')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(rows ?? []).map((a) => (
                <Table.Tr key={a.id} data-archive={a.id}>
                  <Table.Td>{a.institution}</Table.Td>
                  <Table.Td>{a.exportedBy}</Table.Td>
                  <Table.Td>{formatDateTime(a.exportedAt, locale)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" lineClamp={2}>
                      {a.loans.map((l) => l.contractNo).join(t('archiveUi.listSep'))}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('importUi.loanCount', { count: a.loans.length })}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{a.files}</Table.Td>
                  <Table.Td>{a.importedBy}</Table.Td>
                  <Table.Td>{formatDateTime(a.importedAt, locale)}</Table.Td>
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" onClick={() => onOpen(a)}>
                      {t('importUi.open')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
