import { Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AmountField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { useNav } from '../../lib/nav';
import { parseYuan } from '../../lib/money';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useSession } from '../../lib/session';
import { BorrowerSelect, type PickedBorrower } from './BorrowerSelect';
import { initialTerms, LoanTermsFields, SchedulePreview, termsField, validateTerms, type TermsValues } from './loanTerms';
import { to } from '../../routes/links';

/** The default holder of a new loan: the user, when an officer or supervisor. */
export function useDefaultOfficer(): string {
  const session = useSession();
  return session.roles.some((r) => r === 'officer' || r === 'supervisor') ? session.username : '';
}

/** Loads the borrower a form was opened for. */
export function usePrefilledBorrower(borrowerId: number | null): [PickedBorrower | null, (b: PickedBorrower | null) => void] {
  const [borrower, setBorrower] = useState<PickedBorrower | null>(null);
  useEffect(() => {
    if (borrowerId === null) return;
    invoke('borrowers.get', { id: borrowerId })
      .then((b) => setBorrower({ id: b.id, name: b.name, idNumber: b.idNumber, kind: b.kind }))
      .catch(notifyError);
  }, [borrowerId]);
  return [borrower, setBorrower];
}

export function LoanFormPage({ borrowerId }: { borrowerId: number | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const form = useFormState<TermsValues>(initialTerms(useDefaultOfficer()), termsField);
  const [borrower, setBorrower] = usePrefilledBorrower(borrowerId);
  const [borrowerError, setBorrowerError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // 分次放款: the contract amount, when the loan amount above is only the first drawdown.
  const contract = useFormState({ contractAmount: '' });

  async function save() {
    const { input, errors } = validateTerms(form.values, t, locale);
    form.setErrors(errors);
    setBorrowerError(borrower ? undefined : t('validation.required'));
    const text = contract.values.contractAmount.trim();
    const parsed = text ? parseYuan(text, t, locale) : null;
    const contractError = parsed?.error ?? (parsed && input && parsed.fen! < input.principalFen ? t('errors.contractBelowFirstDrawdown') : undefined);
    contract.setErrors(contractError ? { contractAmount: contractError } : {});
    if (!input || !borrower || contractError) return;
    setBusy(true);
    try {
      const detail = await invoke('loans.create', { ...input, borrowerId: borrower.id, contractAmountFen: parsed?.fen ?? null });
      notifySuccess(t('loans.saved', { no: detail.loan.contractNo }));
      nav.replace(to.loan(detail.loan.id));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }

  return (
    <Stack gap="md" maw={1100}>
      <Group gap="sm">
        <Button variant="subtle" size="compact-sm" onClick={nav.back}>
          {t('portfolio.back')}
        </Button>
        <Title order={2} size="h3">
          {t('loans.new')}
        </Title>
      </Group>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Paper withBorder p="md">
          <Stack gap="md">
            <BorrowerSelect
              label={t('loans.borrower')}
              required
              value={borrower}
              error={borrowerError}
              onChange={(b) => {
                setBorrower(b);
                setBorrowerError(undefined);
              }}
            />
            <LoanTermsFields form={form} />
            <AmountField label={t('loans.contractAmount')} description={t('loans.contractAmountHint')} words maw={360} {...contract.text('contractAmount')} />
            <SchedulePreview form={form} />
            <Group justify="flex-end">
              <Button variant="default" onClick={nav.back}>
                {t('portfolio.cancel')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('loans.save')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      </form>
    </Stack>
  );
}
