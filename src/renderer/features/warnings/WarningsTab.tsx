import { Alert, Button, Group, Paper, Select, Stack, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/ipc/contract';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { SIGNAL_CATEGORIES, type WarningView } from '../../../shared/ipc/warnings';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useContractForm } from '../../lib/forms/useContractForm';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { WarningDrawer } from './WarningDrawer';
import { WarningTable } from './WarningTable';

/** The loan page's 预警信号 tab: all of the loan's warnings, and raising one by hand from the catalogue. */
export function WarningsTab({ detail }: { detail: LoanDetail }) {
  const loanId = detail.loan.id;
  const canRaise = useCan('warnings.raise') && detail.loan.status === 'active';
  // Refetched after a warning is raised or handled (invalidation.ts).
  const { data: rows } = useIpcQuery('warnings.list', { loanId, status: 'all' });
  const [opened, setOpened] = useState<WarningView | null>(null);
  return (
    <Stack gap="md">
      {canRaise && (
        <RaiseForm
          loanId={loanId}
          onRaised={setOpened}
        />
      )}
      <WarningTable rows={rows ?? []} withLoan={false} onOpen={setOpened} testId="loan-warnings" />
      {opened && (
        <WarningDrawer
          warning={opened}
          onClose={() => setOpened(null)}
          onChange={(w, escalation) => setOpened(escalation ?? w)}
        />
      )}
    </Stack>
  );
}

type RaiseValues = { signalId: string; detail: string };
const raiseSchema = contract['warnings.raise'];
/** The signal is chosen as text ('' for none yet). */
const pickRaise = (v: RaiseValues) => ({ ...v, signalId: v.signalId ? Number(v.signalId) : undefined });

function RaiseForm({ loanId, onRaised }: { loanId: number; onRaised: (w: WarningView) => void }) {
  const { t } = useTranslation();
  const { data: signals = [] } = useIpcQuery('warnings.catalogue', {}, { select: (all) => all.filter((x) => x.active) });
  const form = useContractForm<RaiseValues, typeof raiseSchema>(raiseSchema, { initialValues: { signalId: '', detail: '' }, fixed: { loanId }, pick: pickRaise });
  const raise = useIpcMutation('warnings.raise');
  const chosen = signals.find((s) => String(s.id) === form.values.signalId);

  const submit = form.onSubmit(() => {
    raise.mutate(form.toInput()!, {
      onSuccess: (w) => {
        form.reset();
        notifySuccess(t('warningsUi.raised'));
        onRaised(w);
      },
      onError: (e) => {
        const { errors, rest } = serverIssues(e, Object.keys(form.getValues()));
        form.setErrors(errors);
        if (rest.length > 0 || Object.keys(errors).length === 0) notifyError(e);
      },
    });
  });

  return (
    <Paper withBorder p="sm" bg="gray.0">
      <form noValidate onSubmit={submit}>
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
              {...form.getInputProps('signalId')}
              value={form.values.signalId || null}
              onChange={(x) => form.setFieldValue('signalId', x ?? '')}
            />
            <Textarea label={t('warningsUi.detail')} required autosize minRows={1} maxLength={1000} style={{ flex: 1 }} {...form.getInputProps('detail')} />
            <Button type="submit" mt={24} loading={raise.isPending}>
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
