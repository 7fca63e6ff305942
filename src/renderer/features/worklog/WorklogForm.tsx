import { Button, Group, Paper, Select, Stack, Textarea, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { todayIn } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import { WORKLOG_KINDS, type WorklogKind, type WorklogView } from '../../../shared/ipc/worklog';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useDraft } from '../../lib/forms/drafts';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useUnsavedPrompt } from '../../lib/forms/UnsavedPrompt';
import { useContractForm } from '../../lib/forms/useContractForm';
import { notifyError, notifySuccess } from '../../lib/notify';

interface Props {
  borrowerId: number;
  /** The loans the entry may be about; the first is chosen to start with. */
  loans: { id: number; contractNo: string }[];
  onAdded: (entry: WorklogView) => void;
}

type Values = { entryDate: string; kind: WorklogKind; content: string; loanId: string };

/** worklog.add's own schema; the loan is chosen as text ('' for none). */
const schema = contract['worklog.add'].extend({ loanId: z.string().transform((s) => (s ? Number(s) : null)).pipe(contract['worklog.add'].shape.loanId) });

/** A new work-log entry: a call, a visit, something found. What is typed is kept as a draft until added. */
export function WorklogForm({ borrowerId, loans, onAdded }: Props) {
  const { t } = useTranslation();
  const initialValues = useMemo<Values>(() => ({ entryDate: todayIn(), kind: 'call', content: '', loanId: loans[0] ? String(loans[0].id) : '' }), [loans]);
  const form = useContractForm<Values, typeof schema>(schema, { initialValues, fixed: { borrowerId } });
  const draft = useDraft(`worklog:borrower:${borrowerId}`, form);
  const unsaved = useUnsavedPrompt(form.isDirty());
  const add = useIpcMutation('worklog.add');

  const submit = form.onSubmit(() => {
    add.mutate(form.toInput()!, {
      onSuccess: (e) => {
        // The next entry starts from the same day, kind and loan.
        const next = { ...form.getValues(), content: '' };
        form.setInitialValues(next);
        form.setValues(next);
        void draft.clear();
        notifySuccess(t('worklogUi.saved'));
        onAdded(e);
      },
      onError: (e) => {
        const { errors, rest } = serverIssues(e, Object.keys(initialValues));
        form.setErrors(errors);
        if (rest.length > 0 || Object.keys(errors).length === 0) notifyError(e);
      },
    });
  });

  if (!draft.ready) return null;
  return (
    <Paper withBorder p="sm" bg="gray.0">
      {unsaved.prompt}
      <form noValidate onSubmit={submit}>
        <Stack gap="xs">
          <Title order={4} size="h5">
            {t('worklogUi.add')}
          </Title>
          <Group align="flex-start" gap="sm" wrap="nowrap">
            <BusinessDateInput label={t('worklogUi.entryDate')} required w={150} {...form.getInputProps('entryDate')} value={form.values.entryDate} />
            <Select
              label={t('worklogUi.kind')}
              required
              w={150}
              allowDeselect={false}
              data={WORKLOG_KINDS.map((k) => ({ value: k, label: t(`worklog.kind.${k}`) }))}
              {...form.getInputProps('kind')}
            />
            {loans.length > 0 && (
              <Select
                label={t('worklogUi.loan')}
                w={200}
                allowDeselect={false}
                data={[{ value: '', label: t('worklogUi.noLoan') }, ...loans.map((l) => ({ value: String(l.id), label: l.contractNo }))]}
                {...form.getInputProps('loanId')}
                onChange={(x) => form.setFieldValue('loanId', x ?? '')}
              />
            )}
            <Textarea label={t('worklogUi.content')} required autosize minRows={1} maxLength={4000} style={{ flex: 1 }} {...form.getInputProps('content')} />
            <Button type="submit" mt={24} loading={add.isPending}>
              {t('worklogUi.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
