import { Alert, Button, Checkbox, Group, Paper, Radio, Select, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LEVELS, todayIn } from '../../../shared/domain';
import type { InspectionView } from '../../../shared/ipc/inspections';
import { reportLoanFacts, unsecuredOf, type ReportLoanFacts, type ReportView } from '../../../shared/ipc/reports';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { AmountField, Fact } from '../../components/Fields';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { formatDateTime } from '../../lib/format';
import { useDraft } from '../../lib/forms/drafts';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useUnsavedPrompt } from '../../lib/forms/UnsavedPrompt';
import { useContractForm } from '../../lib/forms/useContractForm';
import { IpcError } from '../../lib/ipc';
import { levelLabel } from '../../lib/labels';
import { yuan } from '../../lib/money';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useAlert } from '../../lib/useAlert';
import { amountFen, AMOUNT_KEYS, debtPermille, emptyValues, parsePercent, permilleText, valuesOf, type AmountKey, type FormKind, type ReportValues } from './reportForm';
import { reportDraftSchema } from './reportSchema';

interface Props {
  form: FormKind;
  inspection: InspectionView;
  report: ReportView | null;
  editable: boolean;
  onChange: (r: ReportView) => void;
}

/** Main's issue path (`data.fundFlows`, `visitDate`) → the form's field. */
const fieldOf = (path: string) => path.replace(/^data\./, '').split('.')[0];
const isEmpty = (x: unknown) => (Array.isArray(x) ? x.length === 0 : typeof x === 'string' ? x.trim() === '' : x === null || x === undefined);

const COLLATERAL_STATES = ['intact', 'damaged', 'missing', 'none'] as const;
const EVIDENCE = ['contract', 'invoice', 'payment-record', 'other'] as const;

/**
 * The report's fields, the right ones for its form; saving a draft and submitting when it is the author's to
 * edit. What is typed is kept as a draft by main until it is saved (useDraft), and leaving with unsaved
 * changes asks first.
 */
export function ReportForm({ form: kind, inspection, report, editable, onChange }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(() => reportDraftSchema(kind, t, locale), [kind, t, locale]);
  const form = useContractForm<ReportValues, typeof schema>(schema, {
    initialValues: report ? valuesOf(report.visitDate, report.data) : emptyValues(todayIn()),
    mapPath: fieldOf,
    // An amount says at once what is wrong with it (negative, a fraction of a fen).
    validateInputOnChange: [...AMOUNT_KEYS],
  });
  const draft = useDraft(editable ? (report ? `report:${report.id}` : `report:inspection:${inspection.id}`) : null, form);
  const unsaved = useUnsavedPrompt(editable && form.isDirty());
  const create = useIpcMutation('reports.create');
  const update = useIpcMutation('reports.update');
  const submitting = useIpcMutation('reports.submit');
  const busy = create.isPending || update.isPending || submitting.isPending;
  const [alert, setAlert] = useAlert();
  // The loan decides what the form asks (main holds the submission to the same rule) and heads the form.
  const loan = useIpcQuery('loans.get', { id: inspection.loanId, asOf: null });
  const facts: ReportLoanFacts = loan.data ? factsOf(loan.data) : { guaranteed: true, collateralised: true, personal: false };
  const v = form.values;
  const ro = !editable;
  // A report that is not the user's to edit reads as a record, not as a form.
  const look = ro ? { readOnly: true, variant: 'filled' as const } : {};

  // Messages are in the language they were made in; a switch drops them.
  useEffect(() => form.clearErrors(), [locale]); // eslint-disable-line react-hooks/exhaustive-deps

  /** Saves the draft as a report (creating it the first time); null when a field is wrong. */
  async function save(): Promise<ReportView | null> {
    if (form.validate().hasErrors) return null;
    const input = form.toInput()!;
    try {
      const r = report ? await update.mutateAsync({ reportId: report.id, ...input }) : await create.mutateAsync({ inspectionId: inspection.id, ...input });
      form.setInitialValues(form.getValues());
      form.resetDirty();
      await draft.clear();
      // Opening the report just created is not leaving unsaved work.
      unsaved.release();
      return r;
    } catch (e) {
      const { errors, rest } = serverIssues(e, Object.keys(v), fieldOf);
      form.setErrors(errors);
      if (rest.length > 0 || Object.keys(errors).length === 0) notifyError(e);
      return null;
    }
  }

  async function saveDraft() {
    setAlert(null);
    const r = await save();
    if (r) {
      onChange(r);
      notifySuccess(t('reports.saved'));
    }
  }

  async function submit() {
    setAlert(null);
    let r = report;
    if (!r || form.isDirty()) {
      r = await save();
      if (!r) return;
      onChange(r);
    }
    try {
      onChange(await submitting.mutateAsync({ reportId: r.id }));
      notifySuccess(t('reports.submitted'));
    } catch (e) {
      // Every missing or wrong field is named; each goes on its field, the count above the form.
      if (e instanceof IpcError && e.issues.length > 0) {
        const { errors, rest } = serverIssues(e, Object.keys(v), fieldOf);
        // A field left empty is simply required, whatever words main chose for the missing key.
        for (const k of Object.keys(errors)) if (isEmpty(v[k])) errors[k] = t('validation.required');
        form.setErrors(errors);
        setAlert([e.message, ...rest].join(' '));
      } else notifyError(e);
    }
  }

  const text = (key: keyof ReportValues & string, required = true, rows = 2) => (
    <Textarea label={t(`reports.field.${key}` as 'reports.field.operations')} required={required && !ro} autosize minRows={rows} maxLength={2000} {...look} {...form.getInputProps(key)} />
  );
  const amount = (key: AmountKey, required = true) => (
    <AmountField label={t(`reports.field.${key}`)} required={required && !ro} words {...look} {...form.getInputProps(key)} value={v[key]} />
  );
  const yesNo = (key: 'useMatchesPurpose' | 'conditionsMet' | 'legalDocsValid') => (
    <Radio.Group label={t(`reports.field.${key}`)} required={!ro} {...form.getInputProps(key)}>
      <Group gap="lg" mt={6}>
        <Radio value="yes" label={t('reports.yes')} disabled={ro} />
        <Radio value="no" label={t('reports.no')} disabled={ro} />
      </Group>
    </Radio.Group>
  );
  const choice = (key: 'proposedLevel' | 'collateralState') => ({
    ...form.getInputProps(key),
    value: v[key] || null,
    onChange: (x: string | null) => form.setFieldValue(key, x ?? ''),
  });
  const level = (
    <Select label={t('reports.field.proposedLevel')} required={!ro} w={220} {...look} data={LEVELS.map((l) => ({ value: l, label: levelLabel(l, locale) }))} {...choice('proposedLevel')} />
  );

  if (!draft.ready || loan.isPending) return null;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void saveDraft();
      }}
    >
      {unsaved.prompt}
      <Stack gap="md">
        {draft.restoredAt && (
          <Alert color="yellow" variant="light" data-testid="draft-restored">
            <Group justify="space-between" gap="sm">
              <Text size="sm">{t('forms.draftRestored', { time: formatDateTime(draft.restoredAt, locale) })}</Text>
              <Button size="compact-xs" variant="subtle" color="gray" onClick={draft.discard}>
                {t('forms.discardDraft')}
              </Button>
            </Group>
          </Alert>
        )}
        {alert && (
          <Alert color="red" variant="light" data-testid="report-issues">
            {alert}
          </Alert>
        )}
        {loan.data && <LoanFacts loan={loan.data} />}
        <Section title={t('reports.section.visit')}>
          <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
            <BusinessDateInput label={t('reports.visitDate')} required={!ro} {...look} {...form.getInputProps('visitDate')} value={v.visitDate} />
          </SimpleGrid>
        </Section>
        {kind === 'post' ? (
          <>
            <Section title={t('reports.section.business')}>
              {text('operations', true, 3)}
              {facts.personal ? (
                <Text size="sm" c="dimmed" data-testid="not-asked-personal">
                  {t('reports.notAsked.personal')}
                </Text>
              ) : (
                <>
                  <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
                    {amount('revenueFen')}
                    {amount('cashFen')}
                    {amount('totalAssetsFen')}
                    {amount('liabilitiesFen')}
                  </SimpleGrid>
                  <DebtRatio values={v} previous={report?.previousDebtRatio ?? null} />
                </>
              )}
              {text('fundFlows')}
            </Section>
            <Section title={t('reports.section.guarantees')}>
              {unsecuredOf(facts) ? (
                <Text size="sm" c="dimmed" data-testid="not-asked-unsecured">
                  {t('reports.notAsked.unsecured')}
                </Text>
              ) : (
                <>
                  {facts.guaranteed ? (
                    text('guarantorsCondition')
                  ) : (
                    <Text size="sm" c="dimmed" data-testid="not-asked-guarantor">
                      {t('reports.notAsked.noGuarantor')}
                    </Text>
                  )}
                  {facts.collateralised ? (
                    <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
                      <Select
                        label={t('reports.field.collateralState')}
                        required={!ro}
                        {...look}
                        data={COLLATERAL_STATES.map((s) => ({ value: s, label: t(`reports.collateralState.${s}`) }))}
                        {...choice('collateralState')}
                      />
                      {amount('collateralValueFen', false)}
                    </SimpleGrid>
                  ) : (
                    <Text size="sm" c="dimmed" data-testid="not-asked-collateral">
                      {t('reports.notAsked.noCollateral')}
                    </Text>
                  )}
                </>
              )}
            </Section>
            <Section title={t('reports.section.conclusion')}>
              {text('warningsFound', false)}
              {text('firstRepaymentSource')}
              {text('conclusion', true, 3)}
              {level}
            </Section>
          </>
        ) : (
          <>
            <Section title={t('reports.section.use')}>
              {text('loanUse', true, 3)}
              {yesNo('useMatchesPurpose')}
              <Checkbox.Group label={t('reports.field.evidence')} required={!ro} {...form.getInputProps('evidence')}>
                <Group gap="lg" mt={6}>
                  {EVIDENCE.map((e) => (
                    <Checkbox key={e} value={e} label={t(`reports.evidence.${e}`)} disabled={ro} />
                  ))}
                </Group>
              </Checkbox.Group>
              {text('evidenceNote', false)}
            </Section>
            <Section title={t('reports.section.conditions')}>
              {yesNo('conditionsMet')}
              {text('conditionsNote', false)}
              {yesNo('legalDocsValid')}
              {text('legalDocsNote', false)}
            </Section>
            <Section title={t('reports.section.conclusion')}>
              {text('conclusion', true, 3)}
              {level}
            </Section>
          </>
        )}
        {editable && (
          <Group justify="flex-end" gap="sm">
            <Button type="submit" variant="default" loading={create.isPending || update.isPending} disabled={busy}>
              {t('reports.saveDraft')}
            </Button>
            <Button type="button" loading={submitting.isPending} disabled={busy} onClick={() => void submit()}>
              {t('reports.submit')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

const factsOf = (d: LoanDetail) => reportLoanFacts({ security: d.security, borrowerKind: d.borrower.kind });

/** The loan as it stands today, at the head of the form: days past due and what is owed. */
function LoanFacts({ loan }: { loan: LoanDetail }) {
  const { t } = useTranslation();
  const s = loan.state;
  return (
    <Paper withBorder p="md" data-testid="report-loan-facts">
      <SimpleGrid cols={{ base: 3 }} spacing="sm">
        <Fact label={t('reports.loanFacts.dpd')}>
          <Text span fw={600} c={s.dpd > 0 ? 'red.7' : undefined} data-testid="report-loan-dpd">
            {t('reports.loanFacts.days', { dpd: s.dpd })}
          </Text>
        </Fact>
        <Fact label={t('reports.loanFacts.balance')}>
          <span data-testid="report-loan-balance">{yuan(s.balanceFen)}</span>
        </Fact>
        <Fact label={t('reports.loanFacts.owed')}>
          <Text span fw={600} data-testid="report-loan-owed">
            {yuan(s.balanceFen + s.overdueInterestFen + s.penaltyOutstandingFen)}
          </Text>
        </Fact>
      </SimpleGrid>
    </Paper>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

/** 资产负债率 as typed, against the last signed report's; a rise shows in red. */
function DebtRatio({ values, previous }: { values: ReportValues; previous: string | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = debtPermille(amountFen(values.liabilitiesFen, t, locale), amountFen(values.totalAssetsFen, t, locale));
  const before = parsePercent(previous);
  const diff = now !== null && before !== null ? now - before : null;
  return (
    <Paper bg="gray.0" px="sm" py={8} radius="sm">
      <Group gap="lg" wrap="wrap">
        <Text size="sm" c="dimmed">
          {t('reports.debtRatio')}
        </Text>
        {now === null ? (
          <Text size="sm" c="dimmed">
            {t('reports.debtRatioPending')}
          </Text>
        ) : (
          <Text size="lg" fw={700} data-testid="debt-ratio">
            {t('reports.debtRatioValue', { ratio: permilleText(now) })}
          </Text>
        )}
        <Text size="sm" c="dimmed" data-testid="previous-ratio">
          {previous ? t('reports.previousRatio', { ratio: previous }) : t('reports.noPrevious')}
        </Text>
        {diff !== null && (
          <Text size="sm" fw={600} c={diff > 0n ? 'red.7' : diff < 0n ? 'green.7' : 'dimmed'} data-testid="ratio-change">
            {diff > 0n ? t('reports.ratioUp', { points: permilleText(diff) }) : diff < 0n ? t('reports.ratioDown', { points: permilleText(-diff) }) : t('reports.ratioSame')}
          </Text>
        )}
      </Group>
    </Paper>
  );
}
