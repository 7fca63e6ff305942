import { Alert, Anchor, Badge, Button, Drawer, Group, Paper, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import type { FormErrors } from '@mantine/form';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, todayIn } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import { PLAN_DUE_DAYS, type WarningView } from '../../../shared/ipc/warnings';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation } from '../../lib/data/useIpc';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useContractForm } from '../../lib/forms/useContractForm';
import { useWarningWords } from '../../lib/warningWords';
import { formatDateTime, formatDay } from '../../lib/format';
import type { IpcError } from '../../lib/ipc';
import { useNav } from '../../lib/nav';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { useStaffNames } from '../inspections/names';
import { WarningLevelBadge, WarningStatusBadge } from './badges';
import { to } from '../../routes/links';

interface Props {
  warning: WarningView;
  onClose: () => void;
  /** The warning after a step; after an escalation also the new serious warning. */
  onChange: (w: WarningView, escalation: WarningView | null) => void;
}

/**
 * One warning's loop: raised → the owner's plan → the owner's feedback → a supervisor other than the owner
 * clears it (after feedback) or escalates it (at any open step), each with who and when.
 */
export function WarningDrawer({ warning: w, onClose, onChange }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const words = useWarningWords();
  const nav = useNav();
  const me = useSession().username;
  const name = useStaffNames();
  const canHandle = useCan('warnings.handle') && w.owner === me;
  const canConfirm = useCan('warnings.confirm');
  const byAt = (by: string | null, at: string | null) => (by && at ? t('warningsUi.byAt', { name: name(by), at: formatDateTime(at, locale) }) : '');
  const [revising, setRevising] = useState(false);
  // The owner writes the plan once raised, and may revise it until the feedback is in.
  const planning = canHandle && (w.status === 'raised' || (w.status === 'planned' && revising));
  const reached = w.open ? { raised: 0, planned: 1, feedback: 2, confirmed: 3, cleared: 3, escalated: 3 }[w.status] : 3;
  const reporting = canHandle && w.status === 'planned';
  const closed = !w.open;

  return (
    <Drawer opened onClose={onClose} position="right" size={560} title={<Title order={3} size="h4">{t('warningsUi.drawerTitle', { id: w.id })}</Title>}>
      <Stack gap="md" data-testid="warning-drawer">
        <Group gap="xs">
          <Text fw={600}>{words.signal(w.signalNames)}</Text>
          <WarningLevelBadge level={w.level} />
          <WarningStatusBadge status={w.status} />
          {w.planOverdue && (
            <Badge size="sm" color="red">
              {t('warningsUi.planOverdue')}
            </Badge>
          )}
        </Group>
        <Group gap="md">
          <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(w.loanId, 'warnings'))}>
            {w.contractNo}
          </Anchor>
          <Text size="sm">{w.borrowerName}</Text>
          <Text size="sm" c="dimmed">
            {t('warningsUi.ownerIs', { name: name(w.owner) })}
          </Text>
        </Group>
        {w.reviewSuggested && (
          <Alert color="orange" variant="light" py={6}>
            {t('warnings.reviewSuggested')}
          </Alert>
        )}
        <Timeline active={reached} bulletSize={16} lineWidth={2}>
          <Timeline.Item title={t('warningsUi.step.raised')}>
            <Text size="xs" c="dimmed">
              {byAt(w.raisedBy, w.raisedAt)} · {t(`warnings.source.${w.source}`)}
            </Text>
            <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
              {words.detail(w.detail)}
            </Text>
            {w.escalatedFrom && (
              <Text size="xs" c="dimmed">
                {t('warningsUi.escalatedFrom', { id: w.escalatedFrom })}
              </Text>
            )}
            {w.inspectionId && (
              <Anchor component="button" type="button" size="xs" onClick={() => nav.navigate(to.loan(w.loanId, 'inspections'))}>
                {t('warningsUi.openInspection')}
              </Anchor>
            )}
          </Timeline.Item>
          <Timeline.Item title={t('warningsUi.step.plan')}>
            {w.plan && (
              <Stack gap={2}>
                <Text size="xs" c="dimmed">
                  {byAt(w.planBy, w.planAt)}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="warning-plan">
                  {w.plan}
                </Text>
                {w.planDue && (
                  <Text size="xs" c={w.planOverdue ? 'red.7' : 'dimmed'}>
                    {t('warningsUi.planDueIs', { date: formatDay(w.planDue, locale) })}
                  </Text>
                )}
              </Stack>
            )}
            {canHandle && w.status === 'planned' && !revising && (
              <Button size="compact-xs" variant="subtle" px={0} onClick={() => setRevising(true)}>
                {t('warningsUi.revisePlan')}
              </Button>
            )}
            {planning && (
              <PlanForm
                warning={w}
                onChange={(x, e) => {
                  setRevising(false);
                  onChange(x, e);
                }}
              />
            )}
            {!w.plan && !planning && !closed && (
              <Text size="xs" c="dimmed">
                {t('warningsUi.waitingOwner', { owner: name(w.owner) })}
              </Text>
            )}
          </Timeline.Item>
          <Timeline.Item title={t('warningsUi.step.feedback')}>
            {w.feedback && (
              <Stack gap={2}>
                <Text size="xs" c="dimmed">
                  {byAt(w.feedbackBy, w.feedbackAt)}
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="warning-feedback">
                  {w.feedback}
                </Text>
              </Stack>
            )}
            {reporting && <FeedbackForm warning={w} onChange={onChange} />}
            {!w.feedback && !reporting && w.status === 'planned' && (
              <Text size="xs" c="dimmed">
                {t('warningsUi.waitingFeedback', { owner: name(w.owner) })}
              </Text>
            )}
          </Timeline.Item>
          <Timeline.Item title={t('warningsUi.step.confirm')}>
            {closed && (
              <Stack gap={2}>
                <Text size="xs" c="dimmed">
                  {byAt(w.closedBy, w.closedAt)}
                </Text>
                <Text size="sm" fw={600}>
                  {t(`warnings.status.${w.status}`)}
                </Text>
                {w.closedNote && (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {t('warningsUi.closedNoteIs', { note: w.closedNote })}
                  </Text>
                )}
              </Stack>
            )}
            {!closed && canConfirm && w.owner !== me && <ConfirmForm warning={w} onChange={onChange} />}
            {!closed && canConfirm && w.owner === me && (
              <Text size="xs" c="dimmed">
                {t('warningsUi.ownWarning')}
              </Text>
            )}
            {!closed && !canConfirm && (
              <Text size="xs" c="dimmed">
                {t('warningsUi.waitingConfirm')}
              </Text>
            )}
          </Timeline.Item>
        </Timeline>
      </Stack>
    </Drawer>
  );
}

function StepForm({ children, onSubmit }: { children: ReactNode; onSubmit: (e?: FormEvent<HTMLFormElement>) => void }) {
  return (
    <Paper withBorder p="sm" mt={6} bg="gray.0">
      <form noValidate onSubmit={onSubmit}>
        <Stack gap="xs">{children}</Stack>
      </form>
    </Paper>
  );
}

/** Main's field issues go on the form's fields; anything else is a notification. */
function refusedOn(form: { getValues: () => object; setErrors: (e: FormErrors) => void }) {
  return (e: IpcError) => {
    const { errors, rest } = serverIssues(e, Object.keys(form.getValues()));
    form.setErrors(errors);
    if (rest.length > 0 || Object.keys(errors).length === 0) notifyError(e);
  };
}

const planSchema = contract['warnings.plan'];

function PlanForm({ warning: w, onChange }: { warning: WarningView; onChange: Props['onChange'] }) {
  const { t } = useTranslation();
  const form = useContractForm<{ plan: string; dueDate: string }, typeof planSchema>(planSchema, {
    initialValues: { plan: w.plan ?? '', dueDate: w.plan ? w.planDue : addDays(todayIn(), PLAN_DUE_DAYS) },
    fixed: { warningId: w.id },
  });
  const save = useIpcMutation('warnings.plan');
  const submit = form.onSubmit(() =>
    save.mutate(form.toInput()!, {
      onSuccess: (x) => {
        onChange(x, null);
        notifySuccess(t('warningsUi.planSaved'));
      },
      onError: refusedOn(form),
    }),
  );
  return (
    <StepForm onSubmit={submit}>
      <Textarea label={t('warningsUi.plan')} required autosize minRows={2} maxLength={2000} {...form.getInputProps('plan')} />
      <Group align="flex-end" justify="space-between">
        <BusinessDateInput label={t('warningsUi.planDueDate')} required w={180} {...form.getInputProps('dueDate')} value={form.values.dueDate} />
        <Button type="submit" loading={save.isPending}>
          {t('warningsUi.savePlan')}
        </Button>
      </Group>
    </StepForm>
  );
}

const feedbackSchema = contract['warnings.feedback'];

function FeedbackForm({ warning: w, onChange }: { warning: WarningView; onChange: Props['onChange'] }) {
  const { t } = useTranslation();
  const form = useContractForm<{ feedback: string }, typeof feedbackSchema>(feedbackSchema, { initialValues: { feedback: '' }, fixed: { warningId: w.id } });
  const save = useIpcMutation('warnings.feedback');
  const submit = form.onSubmit(() =>
    save.mutate(form.toInput()!, {
      onSuccess: (x) => {
        onChange(x, null);
        notifySuccess(t('warningsUi.feedbackSaved'));
      },
      onError: refusedOn(form),
    }),
  );
  return (
    <StepForm onSubmit={submit}>
      <Textarea label={t('warningsUi.feedback')} required autosize minRows={2} maxLength={2000} {...form.getInputProps('feedback')} />
      <Group justify="flex-end">
        <Button type="submit" loading={save.isPending}>
          {t('warningsUi.saveFeedback')}
        </Button>
      </Group>
    </StepForm>
  );
}

const confirmSchema = contract['warnings.confirm'];
type Outcome = 'clear' | 'escalate';

function ConfirmForm({ warning: w, onChange }: { warning: WarningView; onChange: Props['onChange'] }) {
  const { t } = useTranslation();
  // The outcome is the button pressed; either is a valid one while the note is checked.
  const form = useContractForm<{ note: string }, typeof confirmSchema>(confirmSchema, { initialValues: { note: '' }, fixed: { warningId: w.id, outcome: 'clear' } });
  const confirm = useIpcMutation('warnings.confirm');
  const pending = confirm.isPending ? confirm.variables?.outcome : null;
  function run(outcome: Outcome) {
    if (form.validate().hasErrors) return;
    confirm.mutate(
      { ...form.toInput()!, outcome },
      {
        onSuccess: (r) => {
          onChange(r.warning, r.escalation);
          notifySuccess(r.escalation ? t('warningsUi.escalated', { id: r.escalation.id }) : t('warningsUi.cleared'));
        },
        onError: refusedOn(form),
      },
    );
  }
  return (
    <StepForm
      onSubmit={(e) => {
        e?.preventDefault();
        run('clear');
      }}
    >
      <Textarea label={t('warningsUi.note')} required autosize minRows={2} maxLength={1000} {...form.getInputProps('note')} />
      <Group justify="flex-end" gap="xs">
        <Button color="red" variant="light" loading={pending === 'escalate'} disabled={confirm.isPending} onClick={() => run('escalate')}>
          {t('warningsUi.escalate')}
        </Button>
        <Button type="submit" color="green" loading={pending === 'clear'} disabled={confirm.isPending || w.status !== 'feedback'}>
          {t('warningsUi.clear')}
        </Button>
      </Group>
    </StepForm>
  );
}
