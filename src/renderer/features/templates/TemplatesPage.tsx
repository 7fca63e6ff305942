import { Badge, Button, Code, Grid, Group, NavLink, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoticeDocType, NoticeTemplateView, TemplateBlocksView } from '../../../shared/ipc/collections';
import { PageHeader } from '../../components/PageHeader';
import { PdfViewer } from '../../components/pdf/PdfViewer';
import { useLocale } from '../../lib/appInfo';
import { downloadBase64 } from '../../lib/download';
import { useFormState } from '../../lib/form';
import { formatDateTime } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { notifyError, notifySuccess } from '../../lib/notify';
import { docTypeLabel } from '../collections/NoticePrintModal';

const BLOCKS = ['title', 'body', 'consequences', 'receipt'] as const;

/** 通知书模板: the risk officer's wording of each notice, block by block, with a preview on sample data. */
export function TemplatesPage() {
  const { t } = useTranslation();
  const [templates, setTemplates] = useState<NoticeTemplateView[] | null>(null);
  const [selected, setSelected] = useState<NoticeDocType | null>(null);

  const load = useCallback(() => {
    invoke('notices.templates')
      .then((list) => {
        setTemplates(list);
        setSelected((s) => s ?? list[0]?.docType ?? null);
      })
      .catch(notifyError);
  }, []);
  useEffect(load, [load]);

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
        <Grid.Col span={9}>{current && <TemplateEditor key={current.docType + (current.updatedAt ?? '')} template={current} onSaved={setTemplates} />}</Grid.Col>
      </Grid>
    </Stack>
  );
}

function TemplateEditor({ template, onSaved }: { template: NoticeTemplateView; onSaved: (list: NoticeTemplateView[]) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const form = useFormState<TemplateBlocksView & Record<string, unknown>>({ ...template.blocks });
  const [busy, setBusy] = useState<'save' | 'restore' | 'preview' | null>(null);
  const [preview, setPreview] = useState<string | null>(null);

  const blocks = (): TemplateBlocksView => ({ title: form.values.title.trim(), body: form.values.body.trim(), consequences: form.values.consequences.trim(), receipt: form.values.receipt.trim() });

  function required(b: TemplateBlocksView): boolean {
    const errors = { ...(b.title ? {} : { title: t('validation.required') }), ...(b.body ? {} : { body: t('validation.required') }) };
    form.setErrors(errors);
    return Object.keys(errors).length === 0;
  }

  async function save(b: TemplateBlocksView, kind: 'save' | 'restore') {
    if (!required(b)) return;
    setBusy(kind);
    try {
      const list = await invoke('notices.saveTemplate', { docType: template.docType, blocks: b });
      notifySuccess(t(kind === 'save' ? 'templatesUi.saved' : 'templatesUi.restored'));
      onSaved(list);
    } catch (e) {
      form.handleError(e);
      setBusy(null);
    }
  }

  async function showPreview() {
    const b = blocks();
    if (!required(b)) return;
    setBusy('preview');
    try {
      const { base64 } = await invoke('notices.previewTemplate', { docType: template.docType, blocks: b });
      setPreview(base64);
    } catch (e) {
      form.handleError(e);
    } finally {
      setBusy(null);
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
              {t('templatesUi.updated', { by: template.updatedBy, at: formatDateTime(template.updatedAt, locale) })}
            </Text>
          )}
        </Group>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save(blocks(), 'save');
          }}
        >
          <Stack gap="sm">
            {BLOCKS.map((k) =>
              k === 'title' ? (
                <TextInput key={k} label={t(`templatesUi.blocks.${k}`)} required maxLength={60} {...form.text(k)} />
              ) : (
                <Textarea key={k} label={t(`templatesUi.blocks.${k}`)} required={k === 'body'} maxLength={k === 'body' ? 3000 : 2000} autosize minRows={k === 'body' ? 5 : 2} maxRows={14} {...form.text(k)} />
              ),
            )}
            <div>
              <Text size="sm" fw={500}>
                {t('templatesUi.placeholders')}
              </Text>
              <Text size="xs" c="dimmed" mb={4}>
                {t('templatesUi.placeholdersHint')}
              </Text>
              <Group gap={6} data-testid="template-placeholders">
                {template.placeholders.map((p) => (
                  <Code key={p}>{`{{${p}}}`}</Code>
                ))}
              </Group>
            </div>
            <Group justify="flex-end">
              <Button variant="default" loading={busy === 'restore'} disabled={busy !== null && busy !== 'restore'} onClick={() => {
                form.setValues({ ...template.builtIn });
                void save(template.builtIn, 'restore');
              }}>
                {t('templatesUi.restore')}
              </Button>
              <Button variant="light" loading={busy === 'preview'} disabled={busy !== null && busy !== 'preview'} onClick={() => void showPreview()}>
                {t('templatesUi.preview')}
              </Button>
              <Button type="submit" loading={busy === 'save'} disabled={busy !== null && busy !== 'save'}>
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
