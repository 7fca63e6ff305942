import { Alert, Button, Group, Loader, Paper, Stack, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loanCreateInput } from '../../../shared/ipc/loans';
import { AmountField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { DraftNotice } from '../../lib/forms/DraftNotice';
import { useDraft } from '../../lib/forms/drafts';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useUnsavedPrompt } from '../../lib/forms/UnsavedPrompt';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { useNav } from '../../lib/nav';
import { notifySuccess } from '../../lib/notify';
import { useSession } from '../../lib/session';
import { BorrowerSelect, type PickedBorrower } from './BorrowerSelect';
import { initialTerms, LoanTermsFields, pickTerms, SchedulePreview, termsField, termsSchema, type TermsForm, type TermsValues } from './loanTerms';
import { to } from '../../routes/links';

/** The default holder of a new loan: the user, when an officer or supervisor. */
export function useDefaultOfficer(): string {
  const session = useSession();
  return session.roles.some((r) => r === 'officer' || r === 'supervisor') ? session.username : '';
}

/** The borrower a form was opened for, once read (null: opened without one); undefined while it is being read. */
export function usePrefilledBorrower(borrowerId: number | null): PickedBorrower | null | undefined {
  const q = useIpcQuery('borrowers.get', { id: borrowerId ?? 0 }, { enabled: borrowerId !== null });
  if (borrowerId === null) return null;
  if (q.isError) return null;
  const b = q.data;
  return b ? { id: b.id, name: b.name, idNumber: b.idNumber, kind: b.kind } : undefined;
}

type Values = TermsValues & {
  /** 分次放款: the contract amount, when the loan amount above is only the first drawdown (yuan as typed). */
  contractAmountFen: string;
};

/** A new loan. The form opens once the borrower it was opened for is read, so that its draft starts from it. */
export function LoanFormPage({ borrowerId }: { borrowerId: number | null }) {
  const { t } = useTranslation();
  const borrower = usePrefilledBorrower(borrowerId);
  if (borrower === undefined) return <Loader aria-label={t('app.loading')} />;
  return <LoanForm borrowerId={borrowerId} borrower={borrower} />;
}

function LoanForm({ borrowerId, borrower }: { borrowerId: number | null; borrower: PickedBorrower | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const officer = useDefaultOfficer();
  const schema = useMemo(() => termsSchema(t, locale).extend({ contractAmountFen: yuanField(loanCreateInput.shape.contractAmountFen, { t, locale, emptyAs: null }) }), [t, locale]);
  const form = useContractForm<Values, typeof schema>(schema, {
    initialValues: { ...initialTerms(officer, { borrower }), contractAmountFen: '' },
    pick: (v) => ({ ...pickTerms(v), contractAmountFen: v.contractAmountFen }),
    mapPath: termsField,
  });
  // A long form: what is typed is kept as a draft (per borrower it was opened for), and leaving asks first.
  const draft = useDraft(`loan:new:${borrowerId ?? 'any'}`, form);
  const unsaved = useUnsavedPrompt(form.isDirty());
  const create = useIpcMutation('loans.create');
  const [failure, setFailure] = useState<string | null>(null);

  const submit = form.onSubmit(() => {
    setFailure(null);
    create.mutate(form.toInput()!, {
      onSuccess: async (detail) => {
        await draft.clear();
        notifySuccess(t('loans.saved', { no: detail.loan.contractNo }));
        unsaved.release();
        nav.replace(to.loan(detail.loan.id));
      },
      onError: (e) => {
        const { errors, rest } = serverIssues(e, Object.keys(form.getValues()), termsField);
        form.setErrors(errors);
        if (rest.length > 0 || Object.keys(errors).length === 0) setFailure([e.message, ...rest].join(' '));
      },
    });
  });

  if (!draft.ready) return null;
  return (
    <Stack gap="md" maw={1100}>
      {unsaved.prompt}
      <Group gap="sm">
        <Button variant="subtle" size="compact-sm" onClick={nav.back}>
          {t('portfolio.back')}
        </Button>
        <Title order={2} size="h3">
          {t('loans.new')}
        </Title>
      </Group>
      <form noValidate onSubmit={submit}>
        <Paper withBorder p="md">
          <Stack gap="md">
            <DraftNotice draft={draft} />
            {failure && (
              <Alert color="red" variant="light" data-testid="form-error">
                {failure}
              </Alert>
            )}
            <BorrowerSelect label={t('loans.borrower')} required {...form.getInputProps('borrower')} value={form.values.borrower} onChange={(b) => form.setFieldValue('borrower', b)} />
            <LoanTermsFields form={form as unknown as TermsForm} />
            <AmountField label={t('loans.contractAmount')} description={t('loans.contractAmountHint')} words maw={360} {...form.getInputProps('contractAmountFen')} value={form.values.contractAmountFen} />
            <SchedulePreview form={form as unknown as TermsForm} />
            <Group justify="flex-end">
              <Button variant="default" onClick={nav.back}>
                {t('portfolio.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('loans.save')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      </form>
    </Stack>
  );
}
