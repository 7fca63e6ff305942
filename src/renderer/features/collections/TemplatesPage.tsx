import { Badge, Button, Code, Grid, Group, NavLink, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { MessageKey } from '../../../shared/i18n';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoticeDocType, NoticeTemplateView, TemplateBlocksView } from '../../../shared/ipc/collections';
import { PageHeader } from '../../components/PageHeader';
import { PdfViewer } from '../../components/pdf/PdfViewer';
import { useLocale } from '../../lib/appInfo';
import { downloadBase64 } from '../../lib/download';
import { formatDateTime } from '../../lib/format';
import { contract } from '../../../shared/ipc/contract';
import { useIpcCall, useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { applyRefusal } from '../../lib/forms/refusal';
import { useContractForm } from '../../lib/forms/useContractForm';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useUserNames } from '../../lib/userNames';
import { docTypeLabel } from './NoticePrintModal';

const BLOCKS = ['title', 'body', 'consequences', 'receipt'] as const;

/** 通知书模板: the risk officer's wording of each notice, block by block, with a preview on sample data. */
export function TemplatesPage() {
  const { t } = useTranslation();
  // A saved template refetches the list (its feature's reads); the editor opens afresh on the saved version.
  const templates = useIpcQuery('notices.templates', {}).data ?? null;
  const [picked, setSelected] = useState<NoticeDocType | null>(null);
  const selected = picked ?? templates?.[0]?.docType ?? null;

  const current = templates?.find((x) => x.docType === selected) ?? null;
  return (
    <Stack gap="md">
      <PageHeader title={t('templatesUi.title')} />
      <Grid>
        <Grid.Col span={3}>
          <Paper withBorder p={4}>
            <nav aria-label={t('templatesUi.docType')} data-testid="template-list">
              {templates?.map((x) => (
                <NavLink
                  key={x.docType}
                  component="button"
                  label={docTypeLabel(t, x.docType)}
                  active={x.docType === selected}
                  onClick={() => setSelected(x.docType)}
                  rightSection={
                    x.customised ? (
                      <Badge size="xs" variant="light" color="orange">
                        {t('templatesUi.customised')}
                      </Badge>
                    ) : undefined
                  }
                  style={{ borderRadius: 'var(--mantine-radius-sm)' }}
                />
              ))}
            </nav>
          </Paper>
        </Grid.Col>
        <Grid.Col span={9}>{current && <TemplateEditor key={current.docType + (current.updatedAt ?? '')} template={current} />}</Grid.Col>
      </Grid>
    </Stack>
  );
}

/** The blocks as notices.saveTemplate takes them (required title and body, lengths, trimmed). */
const blocksSchema = contract['notices.saveTemplate'].shape.blocks;
/** Main names `blocks.title`; the form's field is `title`. */
const fieldOf = (path: string) => path.replace(/^blocks\./, '');

function TemplateEditor({ template }: { template: NoticeTemplateView }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  const form = useContractForm<TemplateBlocksView & Record<string, unknown>, typeof blocksSchema>(blocksSchema, { initialValues: { ...template.blocks } });
  const saving = useIpcMutation('notices.saveTemplate');
  const previewing = useIpcCall('notices.previewTemplate', { onError: () => {} }) // showPreview() puts a refusal on its field;
  const [restoring, setRestoring] = useState(false);
  const [preview, setPreview] = useState<string | null>(null);
  const busy = saving.isPending || previewing.isPending;

  async function save(blocks: TemplateBlocksView, kind: 'save' | 'restore') {
    setRestoring(kind === 'restore');
    try {
      await saving.mutateAsync({ docType: template.docType, blocks });
      notifySuccess(t(kind === 'save' ? 'templatesUi.saved' : 'templatesUi.restored'));
    } catch (e) {
      if (applyRefusal(form, e, fieldOf)) notifyError(e);
    }
  }

  async function showPreview() {
    if (form.validate().hasErrors) return;
    try {
      setPreview((await previewing.mutateAsync({ docType: template.docType, blocks: form.toInput()! })).base64);
    } catch (e) {
      if (applyRefusal(form, e, fieldOf)) notifyError(e);
    }
  }

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Group gap="xs">
            <Title order={3} size="h4" data-testid="template-doc-type">
              {docTypeLabel(t, template.docType)}
            </Title>
            {template.customised && (
              <Badge variant="light" color="orange">
                {t('templatesUi.customised')}
              </Badge>
            )}
          </Group>
          {template.updatedBy && template.updatedAt && (
            <Text size="xs" c="dimmed">
              {t('templatesUi.updated', { by: who(template.updatedBy), at: formatDateTime(template.updatedAt, locale) })}
            </Text>
          )}
        </Group>
        <form noValidate onSubmit={form.onSubmit(() => void save(form.toInput()!, 'save'))}>
          <Stack gap="sm">
            {BLOCKS.map((k) =>
              k === 'title' ? (
                <TextInput key={k} label={t(`templatesUi.blocks.${k}`)} required maxLength={60} {...form.getInputProps(k)} />
              ) : (
                <Textarea key={k} label={t(`templatesUi.blocks.${k}`)} required={k === 'body'} maxLength={k === 'body' ? 3000 : 2000} autosize minRows={k === 'body' ? 5 : 2} maxRows={14} {...form.getInputProps(k)} />
              ),
            )}
            <div>
              <Text size="sm" fw={500}>
                {t('templatesUi.placeholders')}
              </Text>
              <Text size="xs" c="dimmed" mb={4}>
                {t('templatesUi.placeholdersHint')}
              </Text>
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing={6} verticalSpacing={4} data-testid="template-placeholders">
                {template.placeholders.map((p) => (
                  <Group key={p} gap={6} wrap="nowrap">
                    <Code>{`{{${p}}}`}</Code>
                    <Text size="xs" c="dimmed">
                      {t(`templatesUi.placeholderMeaning.${p}` as MessageKey)}
                    </Text>
                  </Group>
                ))}
              </SimpleGrid>
            </div>
            <Group justify="flex-end">
              <Button variant="default" loading={saving.isPending && restoring} disabled={busy && !(saving.isPending && restoring)} onClick={() => {
                form.setValues({ ...template.builtIn });
                void save(template.builtIn, 'restore');
              }}>
                {t('templatesUi.restore')}
              </Button>
              <Button variant="light" loading={previewing.isPending} disabled={busy && !previewing.isPending} onClick={() => void showPreview()}>
                {t('templatesUi.preview')}
              </Button>
              <Button type="submit" loading={saving.isPending && !restoring} disabled={busy && !(saving.isPending && !restoring)}>
                {t('templatesUi.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {preview && (
        <Paper withBorder p="md" data-testid="template-preview">
          <Group justify="space-between" mb="sm">
            <Text fw={600}>{t('templatesUi.previewTitle')}</Text>
            <Button size="xs" variant="default" onClick={() => downloadBase64(preview, `${docTypeLabel(t, template.docType)}-preview.pdf`, 'application/pdf')}>
              {t('templatesUi.download')}
            </Button>
          </Group>
          <PdfViewer base64={preview} title={t('templatesUi.previewTitle')} height={640} />
        </Paper>
      )}
    </Stack>
  );
}
