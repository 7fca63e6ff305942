import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REPAYMENT_METHODS, type RepaymentMethod } from '../../../shared/domain';
import type { LoanChangeView } from '../../../shared/ipc/loanChanges';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { DateField } from '../../components/Fields';
import { useAlert } from '../../lib/useAlert';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDay } from '../../lib/format';
import { invoke, IpcError } from '../../lib/ipc';
import { dateError, methodLabel } from '../../lib/labels';
import { errorMessage, notifyError } from '../../lib/notify';

export type ChangeKind = LoanChangeView['kind'];

const TITLE_KEYS = { extension: 'changesUi.applyExtension', restructuring: 'changesUi.applyRestructuring', 'write-off': 'changesUi.proposeWriteOff' } as const;

/**
 * 展期 / 重组 / 核销 applications. Main's rules (lead time, maximum term, non-performing only…) come back as
 * messages: on the field they name, or otherwise in the alert at the top of the form.
 */
export function ChangeFormModal({ kind, detail, onClose, onSaved }: { kind: ChangeKind; detail: LoanDetail; onClose: () => void; onSaved: (c: LoanChangeView) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { loan } = detail;
  const form = useFormState({ newMaturity: '', newRate: loan.annualRate, newMethod: loan.method as RepaymentMethod, reason: '', evidence: '' });
  const [alert, setAlert] = useAlert();
  const [busy, setBusy] = useState(false);
  const v = form.values;

  async function submit() {
    setAlert(null);
    const errors: Record<string, string> = {};
    if (kind !== 'write-off') {
      const d = dateError(v.newMaturity, t);
      if (d) errors.newMaturity = d;
    }
    if (kind === 'restructuring' && !/^\d{1,2}(\.\d{1,4})?$/.test(v.newRate.trim())) errors.newRate = t('validation.rate');
    if (!v.reason.trim()) errors.reason = t('validation.required');
    if (kind === 'write-off' && !v.evidence.trim()) errors.evidence = t('validation.required');
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const reason = v.reason.trim();
      const saved =
        kind === 'extension'
          ? await invoke('changes.applyExtension', { loanId: loan.id, newMaturity: v.newMaturity.trim(), reason })
          : kind === 'restructuring'
            ? await invoke('changes.applyRestructuring', { loanId: loan.id, newMaturity: v.newMaturity.trim(), newRate: v.newRate.trim(), newMethod: v.newMethod, reason })
            : await invoke('changes.proposeWriteOff', { loanId: loan.id, reason, evidence: v.evidence.trim() });
      onSaved(saved);
    } catch (e) {
      if (e instanceof IpcError && e.code !== 'LOCKED') {
        const rest = e.issues.length > 0 ? form.applyIssues(e) : [];
        // A rule that names no field (too late to extend, not non-performing, already pending…) is shown here.
        if (e.issues.length === 0 || rest.length > 0) setAlert(errorMessage(e));
      } else notifyError(e);
      setBusy(false);
    }
  }

  return (
    <Modal opened onClose={onClose} title={t(TITLE_KEYS[kind])} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          {alert && (
            <Alert color="red" variant="light" data-testid="change-rule-error">
              {alert}
            </Alert>
          )}
          {kind !== 'write-off' && (
            <Text size="sm" c="dimmed">
              {t('changesUi.currentMaturity', { date: formatDay(loan.maturityDate, locale) })}
            </Text>
          )}
          {kind !== 'write-off' && (
            <SimpleGrid cols={kind === 'restructuring' ? 3 : 2}>
              <DateField label={t('changesUi.newMaturity')} required data-autofocus {...form.text('newMaturity')} />
              {kind === 'restructuring' && <TextInput label={t('changesUi.newRate')} required maxLength={8} inputMode="decimal" {...form.text('newRate')} />}
              {kind === 'restructuring' && (
                <Select
                  label={t('changesUi.newMethod')}
                  required
                  allowDeselect={false}
                  data={REPAYMENT_METHODS.map((m) => ({ value: m, label: methodLabel(m, locale) }))}
                  value={v.newMethod}
                  error={form.errors.newMethod}
                  onChange={(x) => x && form.set('newMethod', x as RepaymentMethod)}
                />
              )}
            </SimpleGrid>
          )}
          <Textarea label={t('changesUi.reason')} required maxLength={1000} autosize minRows={2} data-autofocus={kind === 'write-off' || undefined} {...form.text('reason')} />
          {kind === 'write-off' && <Textarea label={t('changesUi.evidence')} required maxLength={2000} autosize minRows={3} placeholder={t('changesUi.evidenceHint')} {...form.text('evidence')} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('portfolio.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('changesUi.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
