import { Alert, Button, Checkbox, Group, Paper, Radio, Select, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LEVELS, todayIn } from '../../../shared/domain';
import type { InspectionView } from '../../../shared/ipc/inspections';
import type { ReportView } from '../../../shared/ipc/reports';
import { AmountField, DateField } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { IpcError, invoke } from '../../lib/ipc';
import { levelLabel } from '../../lib/labels';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useAlert } from '../../lib/useAlert';
import { amountError, amountFen, debtPermille, draftOf, emptyValues, parsePercent, permilleText, valuesOf, type AmountKey, type FormKind, type ReportValues } from './reportForm';

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

/** The report's fields, the right ones for its form; saving a draft and submitting when it is the author's to edit. */
export function ReportForm({ form: kind, inspection, report, editable, onChange }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const initial = report ? valuesOf(report.visitDate, report.data) : emptyValues(todayIn());
  const form = useFormState<ReportValues>(initial, fieldOf);
  const [saved, setSaved] = useState(() => JSON.stringify(initial));
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [alert, setAlert] = useAlert();
  const v = form.values;
  const dirty = JSON.stringify(v) !== saved;
  const ro = !editable;
  // A report that is not the user's to edit reads as a record, not as a form.
  const look = ro ? { readOnly: true, variant: 'filled' as const } : {};

  /** Saves the draft (creating the report the first time); null when a field is wrong. */
  async function save(): Promise<ReportView | null> {
    const { data, errors } = draftOf(kind, v, t, locale);
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return null;
    const visitDate = v.visitDate.trim();
    try {
      const r = report
        ? await invoke('reports.update', { reportId: report.id, visitDate, data })
        : await invoke('reports.create', { inspectionId: inspection.id, visitDate, data });
      setSaved(JSON.stringify(v));
      return r;
    } catch (e) {
      form.handleError(e);
      return null;
    }
  }

  async function saveDraft() {
    setAlert(null);
    setBusy('save');
    const r = await save();
    setBusy(null);
    if (r) {
      onChange(r);
      notifySuccess(t('reports.saved'));
    }
  }

  async function submit() {
    setAlert(null);
    setBusy('submit');
    try {
      let r = report;
      if (!r || dirty) {
        r = await save();
        if (!r) return;
        onChange(r);
      }
      onChange(await invoke('reports.submit', { reportId: r.id }));
      notifySuccess(t('reports.submitted'));
    } catch (e) {
      // Every missing or wrong field is named; each goes on its field, the count above the form.
      if (e instanceof IpcError && e.issues.length > 0) {
        const rest = form.applyIssues(e);
        // A field left empty is simply required, whatever words main chose for the missing key.
        const empty = e.issues.map((i) => fieldOf(i.path)).filter((k): k is keyof ReportValues & string => k in v && isEmpty(v[k]));
        if (empty.length > 0) form.setErrors((prev) => ({ ...prev, ...Object.fromEntries(empty.map((k) => [k, t('validation.required')])) }));
        setAlert([e.message, ...rest.map((i) => i.message)].join(' '));
      } else notifyError(e);
    } finally {
      setBusy(null);
    }
  }

  const text = (key: keyof ReportValues & string, required = true, rows = 2) => (
    <Textarea label={t(`reports.field.${key}` as 'reports.field.operations')} required={required && !ro} autosize minRows={rows} maxLength={2000} {...look} {...form.text(key)} />
  );
  const amount = (key: AmountKey, required = true) => (
    <AmountField
      label={t(`reports.field.${key}`)}
      required={required && !ro}
      words
      {...look}
      {...form.text(key)}
      error={form.errors[key] ?? amountError(v[key], t, locale) ?? undefined}
    />
  );
  const yesNo = (key: 'useMatchesPurpose' | 'conditionsMet' | 'legalDocsValid') => (
    <Radio.Group label={t(`reports.field.${key}`)} required={!ro} value={v[key]} onChange={(x) => form.set(key, x)} error={form.errors[key]}>
      <Group gap="lg" mt={6}>
        <Radio value="yes" label={t('reports.yes')} disabled={ro} />
        <Radio value="no" label={t('reports.no')} disabled={ro} />
      </Group>
    </Radio.Group>
  );
  const level = (
    <Select
      label={t('reports.field.proposedLevel')}
      required={!ro}
      w={220}
      {...look}
      data={LEVELS.map((l) => ({ value: l, label: levelLabel(l, locale) }))}
      value={v.proposedLevel || null}
      error={form.errors.proposedLevel}
      onChange={(x) => form.set('proposedLevel', x ?? '')}
    />
  );

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void saveDraft();
      }}
    >
      <Stack gap="md">
        {alert && (
          <Alert color="red" variant="light" data-testid="report-issues">
            {alert}
          </Alert>
        )}
        <Section title={t('reports.section.visit')}>
          <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
            <DateField label={t('reports.visitDate')} required={!ro} {...look} {...form.text('visitDate')} />
          </SimpleGrid>
        </Section>
        {kind === 'post' ? (
          <>
            <Section title={t('reports.section.business')}>
              {text('operations', true, 3)}
              <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
                {amount('revenueFen')}
                {amount('cashFen')}
                {amount('totalAssetsFen')}
                {amount('liabilitiesFen')}
              </SimpleGrid>
              <DebtRatio values={v} previous={report?.previousDebtRatio ?? null} />
              {text('fundFlows')}
            </Section>
            <Section title={t('reports.section.guarantees')}>
              {text('guarantorsCondition')}
              <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
                <Select
                  label={t('reports.field.collateralState')}
                  required={!ro}
                  {...look}
                  data={COLLATERAL_STATES.map((s) => ({ value: s, label: t(`reports.collateralState.${s}`) }))}
                  value={v.collateralState || null}
                  error={form.errors.collateralState}
                  onChange={(x) => form.set('collateralState', x ?? '')}
                />
                {amount('collateralValueFen', false)}
              </SimpleGrid>
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
              <Checkbox.Group label={t('reports.field.evidence')} required={!ro} value={v.evidence} onChange={(x) => form.set('evidence', x)} error={form.errors.evidence}>
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
            <Button type="submit" variant="default" loading={busy === 'save'} disabled={busy !== null}>
              {t('reports.saveDraft')}
            </Button>
            <Button type="button" loading={busy === 'submit'} disabled={busy !== null} onClick={() => void submit()}>
              {t('reports.submit')}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
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
