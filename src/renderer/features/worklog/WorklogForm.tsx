import { Button, Group, Paper, Select, Stack, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import { WORKLOG_KINDS, type WorklogKind, type WorklogView } from '../../../shared/ipc/worklog';
import { DateField } from '../../components/Fields';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { dateError } from '../../lib/labels';
import { notifySuccess } from '../../lib/notify';

interface Props {
  borrowerId: number;
  /** The loans the entry may be about; the first is chosen to start with. */
  loans: { id: number; contractNo: string }[];
  onAdded: (entry: WorklogView) => void;
}

/** A new work-log entry: a call, a visit, something found. */
export function WorklogForm({ borrowerId, loans, onAdded }: Props) {
  const { t } = useTranslation();
  const form = useFormState({ entryDate: todayIn(), kind: 'call' as WorklogKind, content: '', loanId: loans[0] ? String(loans[0].id) : '' });
  const [busy, setBusy] = useState(false);
  const v = form.values;
  async function submit() {
    const date = dateError(v.entryDate, t);
    const errors = { ...(date ? { entryDate: date } : {}), ...(v.content.trim() ? {} : { content: t('validation.required') }) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const e = await invoke('worklog.add', { borrowerId, loanId: v.loanId ? Number(v.loanId) : null, entryDate: v.entryDate.trim(), kind: v.kind, content: v.content.trim() });
      form.setValues({ ...v, content: '' });
      notifySuccess(t('worklogUi.saved'));
      onAdded(e);
    } catch (e) {
      form.handleError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Paper withBorder p="sm" bg="gray.0">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="xs">
          <Title order={4} size="h5">
            {t('worklogUi.add')}
          </Title>
          <Group align="flex-start" gap="sm" wrap="nowrap">
            <DateField label={t('worklogUi.entryDate')} required w={150} {...form.text('entryDate')} />
            <Select
              label={t('worklogUi.kind')}
              required
              w={150}
              allowDeselect={false}
              data={WORKLOG_KINDS.map((k) => ({ value: k, label: t(`worklog.kind.${k}`) }))}
              value={v.kind}
              onChange={(x) => x && form.set('kind', x as WorklogKind)}
            />
            {loans.length > 0 && (
              <Select
                label={t('worklogUi.loan')}
                w={200}
                allowDeselect={false}
                data={[{ value: '', label: t('worklogUi.noLoan') }, ...loans.map((l) => ({ value: String(l.id), label: l.contractNo }))]}
                value={v.loanId}
                error={form.errors.loanId}
                onChange={(x) => form.set('loanId', x ?? '')}
              />
            )}
            <Textarea label={t('worklogUi.content')} required autosize minRows={1} maxLength={4000} style={{ flex: 1 }} {...form.text('content')} />
            <Button type="submit" mt={24} loading={busy}>
              {t('worklogUi.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
