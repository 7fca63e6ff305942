import { Alert, Button, Group, Paper, Select, Stack, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { SIGNAL_CATEGORIES, type SignalView, type WarningView } from '../../../shared/ipc/warnings';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { WarningDrawer } from './WarningDrawer';
import { WarningTable } from './WarningTable';

/** The loan page's 预警信号 tab: all of the loan's warnings, and raising one by hand from the catalogue. */
export function WarningsTab({ detail }: { detail: LoanDetail }) {
  const loanId = detail.loan.id;
  const canRaise = useCan('warnings.raise') && detail.loan.status === 'active';
  const [rows, setRows] = useState<WarningView[] | null>(null);
  const [opened, setOpened] = useState<WarningView | null>(null);
  const load = useCallback(() => {
    invoke('warnings.list', { loanId, status: 'all' }).then(setRows).catch(notifyError);
  }, [loanId]);
  useEffect(load, [load]);
  return (
    <Stack gap="md">
      {canRaise && (
        <RaiseForm
          loanId={loanId}
          onRaised={(w) => {
            load();
            setOpened(w);
          }}
        />
      )}
      <WarningTable rows={rows ?? []} withLoan={false} onOpen={setOpened} testId="loan-warnings" />
      {opened && (
        <WarningDrawer
          warning={opened}
          onClose={() => setOpened(null)}
          onChange={(w, escalation) => {
            setOpened(escalation ?? w);
            load();
          }}
        />
      )}
    </Stack>
  );
}

function RaiseForm({ loanId, onRaised }: { loanId: number; onRaised: (w: WarningView) => void }) {
  const { t } = useTranslation();
  const [signals, setSignals] = useState<SignalView[]>([]);
  const form = useFormState({ signalId: '', detail: '' });
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    invoke('warnings.catalogue')
      .then((s) => setSignals(s.filter((x) => x.active)))
      .catch(notifyError);
  }, []);
  const chosen = signals.find((s) => String(s.id) === form.values.signalId);

  async function submit() {
    const errors = { ...(form.values.signalId ? {} : { signalId: t('validation.required') }), ...(form.values.detail.trim() ? {} : { detail: t('validation.required') }) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const w = await invoke('warnings.raise', { loanId, signalId: Number(form.values.signalId), detail: form.values.detail.trim() });
      form.setValues({ signalId: '', detail: '' });
      notifySuccess(t('warningsUi.raised'));
      onRaised(w);
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
            {t('warningsUi.raiseTitle')}
          </Title>
          <Group align="flex-start" gap="sm" wrap="nowrap">
            <Select
              label={t('warningsUi.signal')}
              required
              searchable
              w={300}
              data={SIGNAL_CATEGORIES.map((c) => ({
                group: t(`warnings.category.${c}`),
                items: signals.filter((s) => s.category === c).map((s) => ({ value: String(s.id), label: t('warningsUi.signalOption', { name: s.name, level: t(`warnings.level.${s.level}`) }) })),
              })).filter((g) => g.items.length > 0)}
              value={form.values.signalId || null}
              error={form.errors.signalId}
              onChange={(x) => form.set('signalId', x ?? '')}
            />
            <Textarea label={t('warningsUi.detail')} required autosize minRows={1} maxLength={1000} style={{ flex: 1 }} {...form.text('detail')} />
            <Button type="submit" mt={24} loading={busy}>
              {t('warningsUi.raise')}
            </Button>
          </Group>
          {chosen?.level === 'serious' && (
            <Alert color="orange" variant="light" py={6}>
              {t('warningsUi.seriousHint')}
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
