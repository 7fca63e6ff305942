import { Alert, Badge, Button, Code, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportedArchiveView, ImportedFileView } from '../../../shared/ipc/archive';
import { FilePreviewModal } from '../../components/FilePreviewModal';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';
import { formatBytes } from '../documents/files';
import { Fact } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { formatDateTime } from '../../lib/format';
import { useUserNames } from '../../lib/userNames';

/** One imported package: its loans and their files, to look at and download. Nothing here changes anything. */
export function ImportedArchive({ archive, onBack }: { archive: ImportedArchiveView; onBack: () => void }) {
  const { t } = useTranslation();
  const [files, setFiles] = useState<ImportedFileView[] | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    invoke('archive.importedFiles', { archiveId: archive.id }).then(setFiles).catch(notifyError);
  }, [archive.id]);
  const load = useCallback(() => invoke('archive.importedFile', { archiveId: archive.id, path: preview! }), [archive.id, preview]);
  const close = useCallback(() => setPreview(null), []);

  const groups = archive.loans.map((l) => ({ key: l.folder, title: `${l.contractNo} ${l.borrower}`, folder: l.folder, files: (files ?? []).filter((f) => f.path.startsWith(`${l.folder}/`)) }));
  const rest = (files ?? []).filter((f) => !archive.loans.some((l) => f.path.startsWith(`${l.folder}/`)));
  if (rest.length > 0) groups.push({ key: '', title: t('importUi.otherFiles'), folder: '', files: rest });

  return (
    <Stack gap="md" maw={1100} data-testid="imported-archive">
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={3} size="h4">
            {t('importUi.title', { institution: archive.institution })}
          </Title>
          <Badge color="gray" variant="filled">
            {t('importUi.readOnly')}
          </Badge>
        </Group>
        <Button variant="default" onClick={onBack}>
          {t('importUi.back')}
        </Button>
      </Group>
      <ReadOnlyNote />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <ImportedFacts archive={archive} />
          <Text size="xs" c="dimmed">
            {t('importUi.source')} <Code>{archive.fileName}</Code>
          </Text>
        </Stack>
      </Paper>
      <Paper withBorder>
        <Table fz="sm" verticalSpacing={5} data-testid="imported-files">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('importUi.path')}</Table.Th>
              <Table.Th ta="right">{t('importUi.size')}</Table.Th>
              <Table.Th>SHA-256</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((g) => (
              <Fragment key={g.key}>
                <Table.Tr bg="gray.0" data-loan-folder={g.folder}>
                  <Table.Td colSpan={4}>
                    <Group gap="xs">
                      <Text size="sm" fw={600} ff={g.folder ? 'monospace' : undefined}>
                        {g.title}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t('importUi.loanFiles', { count: g.files.length })}
                      </Text>
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {g.files.map((f) => (
                  <Table.Tr key={f.path} data-path={f.path}>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{g.folder ? f.path.slice(g.folder.length + 1) : f.path}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatBytes(f.size)}
                    </Table.Td>
                    <Table.Td ff="monospace" fz="xs" title={f.sha256}>
                      {f.sha256.slice(0, 16)}…
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button size="compact-xs" variant="light" onClick={() => setPreview(f.path)}>
                        {t('documentsUi.preview')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {preview && <FilePreviewModal title={preview.split('/').pop()!} load={load} onClose={close} />}
    </Stack>
  );
}

export function ReadOnlyNote() {
  const { t } = useTranslation();
  return (
    <Alert color="blue" variant="light" title={t('importUi.readOnlyTitle')} data-testid="read-only-note">
      {t('importUi.readOnlyHint')}
    </Alert>
  );
}

function ImportedFacts({ archive }: { archive: ImportedArchiveView }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md">
      <Fact label={t('archiveUi.institution')}>{archive.institution}</Fact>
      <Fact label={t('archiveUi.exportedBy')}>{who(archive.exportedBy)}</Fact>
      <Fact label={t('archiveUi.exportedAt')}>{formatDateTime(archive.exportedAt, locale)}</Fact>
      <Fact label={t('importUi.importedAt')}>{`${formatDateTime(archive.importedAt, locale)} · ${who(archive.importedBy)}`}</Fact>
    </SimpleGrid>
  );
}
