import { Alert, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { amountInWords, todayIn } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import { checkLegalCase, LEGAL_COST_KINDS, LEGAL_OUTCOMES, LEGAL_RECOVERY_SOURCES, legalCaseFields, NPL_METHODS, type LegalCaseView, type LegalView, type NplPlanView, type PreservationView } from '../../../shared/ipc/legal';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { DecisionComment } from '../../components/DecisionComment';
import { AmountField, Fact } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { fenToInput, yuan } from '../../lib/money';
import { notifySuccess } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { formatDateTime, formatDay } from '../../lib/format';
import { useUserNames } from '../../lib/userNames';
import { AssetLeadsSection } from '../collections/AssetLeadsSection';

type Modal = 'open' | 'edit' | 'preservation' | 'cost' | 'recovery' | 'close' | 'plan' | { release: PreservationView } | { decide: NplPlanView; approve: boolean } | null;

/** The loan's 诉讼 tab: the case a transfer to legal opens — court, dates, judgment, deadlines, preservations, costs, recoveries. */
export function LegalTab({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('collections.write');
  const loanId = detail.loan.id;
  const { data: view } = useIpcQuery('legal.get', { loanId });
  const [modal, setModal] = useState<Modal>(null);
  if (!view) return null;
  const open = view.cases.find((c) => c.status === 'open') ?? null;
  const shown = open ?? view.cases[0] ?? null;
  const canDecide = useCan('classification.approve');
  const me = useSession().username;
  const done = (key: 'open' | 'update' | 'preservation' | 'cost' | 'recovery' | 'close' | 'release' | 'plan' | 'decided') => () => {
    setModal(null);
    notifySuccess(t(`legalUi.saved.${key}`));
  };
  return (
    <Stack gap="md" data-testid="legal-tab">
      {!view.transferredOn ? (
        <Text c="dimmed">{t('legalUi.notTransferred')}</Text>
      ) : (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('legalUi.transferredOn', { date: formatDay(view.transferredOn, locale) })}
          </Text>
          {canWrite && !open && (
            <Button size="xs" onClick={() => setModal('open')} data-testid="legal-open">
              {t('legalUi.open')}
            </Button>
          )}
        </Group>
      )}
      {shown && <CaseView c={shown} canWrite={canWrite && shown.status === 'open'} onModal={setModal} />}
      {view.cases.filter((c) => c !== shown).length > 0 && (
        <Text size="xs" c="dimmed">
          {t('legalUi.earlier', { cases: view.cases.filter((c) => c !== shown).map((c) => `${c.caseNo || c.court || '—'}（${c.closedOn ?? ''}）`).join('；') })}
        </Text>
      )}
      {modal === 'open' && <OpenModal loanId={loanId} onClose={() => setModal(null)} onSaved={done('open')} />}
      {modal === 'edit' && open && <EditModal c={open} onClose={() => setModal(null)} onSaved={done('update')} />}
      {modal === 'preservation' && <PreservationModal loanId={loanId} onClose={() => setModal(null)} onSaved={done('preservation')} />}
      {modal === 'cost' && <MoneyModal kind="cost" loanId={loanId} onClose={() => setModal(null)} onSaved={done('cost')} />}
      {modal === 'recovery' && <MoneyModal kind="recovery" loanId={loanId} onClose={() => setModal(null)} onSaved={done('recovery')} />}
      {modal === 'close' && <CloseModal loanId={loanId} onClose={() => setModal(null)} onSaved={done('close')} />}
      {modal && typeof modal === 'object' && 'release' in modal && <ReleaseModal loanId={loanId} p={modal.release} onClose={() => setModal(null)} onSaved={done('release')} />}
      <Plans
        view={view}
        canPropose={canWrite && view.npl && !view.plans.some((p) => p.status === 'pending')}
        canDecide={(p) => canDecide && p.status === 'pending' && p.proposedBy !== me}
        onModal={setModal}
      />
      {modal === 'plan' && <PlanModal loanId={loanId} onClose={() => setModal(null)} onSaved={done('plan')} />}
      {modal && typeof modal === 'object' && 'decide' in modal && <DecidePlanModal plan={modal.decide} approve={modal.approve} onClose={() => setModal(null)} onSaved={done('decided')} />}
      <AssetLeadsSection loanId={loanId} />
    </Stack>
  );
}

function Money({ fen }: { fen: number }) {
  const locale = useLocale();
  return (
    <>
      ¥{yuan(fen)}
      {locale === 'zh-CN' && fen > 0 && (
        <Text span size="xs" c="dimmed">
          {' '}
          （{amountInWords(fen)}）
        </Text>
      )}
    </>
  );
}

function CaseView({ c, canWrite, onModal }: { c: LegalCaseView; canWrite: boolean; onModal: (m: Modal) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const day = (d: string | null) => (d ? formatDay(d, locale) : '—');
  const left = c.deadlines.enforcementDaysLeft;
  const urgent = left !== null && left <= 90;
  return (
    <Stack gap="md">
      <Paper withBorder p="md" data-testid="legal-case" data-status={c.status}>
        <Group justify="space-between" mb="sm">
          <Group gap="xs">
            <Title order={4} size="h5">
              {c.court || t('legalUi.courtUnknown')} {c.caseNo && `· ${c.caseNo}`}
            </Title>
            <Badge variant="light" color={c.status === 'open' ? 'grape' : 'gray'} style={NO_SHRINK}>
              {t(`legalUi.status.${c.status}`)}
            </Badge>
          </Group>
          {canWrite && (
            <Group gap="xs">
              <Button size="xs" variant="light" onClick={() => onModal('edit')} data-testid="legal-edit">
                {t('legalUi.edit')}
              </Button>
              <Button size="xs" variant="default" onClick={() => onModal('close')}>
                {t('legalUi.close')}
              </Button>
            </Group>
          )}
        </Group>
        <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="sm">
          <Fact label={t('legalUi.filedOn')}>
            <span data-testid="legal-filed-on">{day(c.filedOn)}</span>
          </Fact>
          <Fact label={t('legalUi.hearingOn')}>{day(c.hearingOn)}</Fact>
          <Fact label={t('legalUi.outcome')}>{c.outcome ? `${t(`legalUi.outcomes.${c.outcome}`)} · ${day(c.outcomeOn)}` : '—'}</Fact>
          <Fact label={t('legalUi.judgment')}>{c.judgmentFen === null ? '—' : <Money fen={c.judgmentFen} />}</Fact>
          <Fact label={t('legalUi.performanceDue')}>{day(c.performanceDue)}</Fact>
          <Fact label={t('legalUi.enforcementBy')}>
            {c.deadlines.enforcementBy ? (
              <Group gap={6} wrap="nowrap">
                <Text span size="sm" fw={600} c={urgent ? 'red.8' : undefined} data-testid="legal-enforcement-by" data-date={c.deadlines.enforcementBy}>
                  {day(c.deadlines.enforcementBy)}
                </Text>
                {left !== null && (
                  <Badge size="xs" variant="light" color={urgent ? 'red' : 'blue'} style={NO_SHRINK}>
                    {left >= 0 ? t('legalUi.daysLeft', { count: left }) : t('legalUi.daysPassed', { count: -left })}
                  </Badge>
                )}
              </Group>
            ) : (
              <Text span size="sm" c="dimmed">
                {t('legalUi.enforcementByHint')}
              </Text>
            )}
          </Fact>
          <Fact label={t('legalUi.enforcementAppliedOn')}>{c.enforcementAppliedOn ? `${day(c.enforcementAppliedOn)} ${c.enforcementCaseNo}` : '—'}</Fact>
          {c.status === 'closed' && <Fact label={t('legalUi.closedOn')}>{`${day(c.closedOn)} ${c.closeNote}`}</Fact>}
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt="xs">
          {t('legalUi.deadlineRule')}
        </Text>
      </Paper>

      <Section title={t('legalUi.preservations')} add={canWrite ? () => onModal('preservation') : null} addLabel={t('legalUi.addPreservation')} testId="legal-add-preservation">
        {c.preservations.length === 0 ? (
          <Empty />
        ) : (
          <Table fz="sm" verticalSpacing={5} striped data-testid="legal-preservations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('legalUi.what')}</Table.Th>
                <Table.Th>{t('legalUi.rulingNo')}</Table.Th>
                <Table.Th>{t('legalUi.period')}</Table.Th>
                <Table.Th>{t('legalUi.state')}</Table.Th>
                {canWrite && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {c.preservations.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.what}</Table.Td>
                  <Table.Td>{p.rulingNo || '—'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {day(p.fromDate)} – {day(p.untilDate)}
                  </Table.Td>
                  <Table.Td>
                    {p.releasedOn ? (
                      <Badge size="sm" variant="light" color="gray" style={NO_SHRINK}>
                        {t('legalUi.releasedOn', { date: day(p.releasedOn) })}
                      </Badge>
                    ) : (
                      <Badge size="sm" variant={p.alert ? 'filled' : 'light'} color={p.alert === 'lapsed' ? 'red' : p.alert === 'soon' ? 'orange' : 'green'} style={NO_SHRINK} data-testid="legal-preservation-state" data-alert={p.alert ?? 'none'}>
                        {p.daysLeft !== null && p.daysLeft < 0 ? t('legalUi.lapsed', { count: -p.daysLeft }) : t('legalUi.endsIn', { count: p.daysLeft ?? 0 })}
                      </Badge>
                    )}
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      {!p.releasedOn && (
                        <Button size="compact-xs" variant="subtle" onClick={() => onModal({ release: p })}>
                          {t('legalUi.release')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {c.preservations.some((p) => p.alert) && (
          <Alert color="orange" variant="light" p="xs">
            {t('legalUi.renewAdvice')}
          </Alert>
        )}
      </Section>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Section title={t('legalUi.costs')} add={canWrite ? () => onModal('cost') : null} addLabel={t('legalUi.addCost')} testId="legal-add-cost">
          {c.costs.length === 0 ? (
            <Empty />
          ) : (
            <Table fz="sm" verticalSpacing={4} striped>
              <Table.Tbody>
                {c.costs.map((x) => (
                  <Table.Tr key={x.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{day(x.paidOn)}</Table.Td>
                    <Table.Td>{t(`legalUi.costKinds.${x.kind}`)}</Table.Td>
                    <Table.Td ta="right">¥{yuan(x.amountFen)}</Table.Td>
                    <Table.Td c="dimmed">{x.note}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Text size="sm">
            {t('legalUi.total')}{t('app.colon')}<Money fen={c.costsFen} />
          </Text>
        </Section>
        <Section title={t('legalUi.recoveries')} add={canWrite ? () => onModal('recovery') : null} addLabel={t('legalUi.addRecovery')} testId="legal-add-recovery">
          {c.recoveries.length === 0 ? (
            <Empty />
          ) : (
            <Table fz="sm" verticalSpacing={4} striped>
              <Table.Tbody>
                {c.recoveries.map((x) => (
                  <Table.Tr key={x.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{day(x.receivedOn)}</Table.Td>
                    <Table.Td>{t(`legalUi.sources.${x.source}`)}</Table.Td>
                    <Table.Td ta="right">¥{yuan(x.amountFen)}</Table.Td>
                    <Table.Td c="dimmed">{x.note}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Text size="sm">
            {t('legalUi.total')}{t('app.colon')}<Money fen={c.recoveredFen} />
          </Text>
          {Object.keys(c.recoveredBySource).length > 1 && (
            <Text size="xs" c="dimmed">
              {LEGAL_RECOVERY_SOURCES.filter((s) => c.recoveredBySource[s])
                .map((s) => `${t(`legalUi.sources.${s}`)} ¥${yuan(c.recoveredBySource[s]!)}`)
                .join(' · ')}
            </Text>
          )}
        </Section>
      </SimpleGrid>
    </Stack>
  );
}

function Section({ title, add, addLabel, testId, children }: { title: string; add: (() => void) | null; addLabel: string; testId: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4} size="h5">
          {title}
        </Title>
        {add && (
          <Button size="xs" variant="light" onClick={add} data-testid={testId}>
            {addLabel}
          </Button>
        )}
      </Group>
      {children}
    </Stack>
  );
}

function Empty() {
  const { t } = useTranslation();
  return (
    <Text c="dimmed" size="sm" ta="center" py="xs">
      {t('legalUi.none')}
    </Text>
  );
}

interface ModalProps {
  loanId: number;
  onClose: () => void;
  onSaved: (v: LegalView) => void;
}

const openSchema = contract['legal.open'];

function OpenModal({ loanId, onClose, onSaved }: ModalProps) {
  const { t } = useTranslation();
  const form = useContractForm<{ court: string; caseNo: string }, typeof openSchema>(openSchema, { initialValues: { court: '', caseNo: '' }, fixed: { loanId } });
  const run = useIpcMutation('legal.open');
  return (
    <ModalForm title={t('legalUi.open')} onClose={onClose} form={form} busy={run.isPending} submitLabel={t('portfolio.save')} cancelLabel={t('portfolio.cancel')} onSubmit={async () => onSaved(await run.mutateAsync(form.toInput()!))}>
      <TextInput label={t('legalUi.court')} maxLength={60} data-autofocus {...form.getInputProps('court')} />
      <TextInput label={t('legalUi.caseNo')} maxLength={60} placeholder="(2026)京0105民初1234号" {...form.getInputProps('caseNo')} />
    </ModalForm>
  );
}

type CaseValues = {
  court: string;
  caseNo: string;
  filedOn: string;
  hearingOn: string;
  outcome: string;
  outcomeOn: string;
  judgmentFen: string;
  performanceDue: string;
  enforcementAppliedOn: string;
  enforcementCaseNo: string;
};
const emptyNull = (v: unknown) => (v === '' ? null : v);

function EditModal({ c, onClose, onSaved }: { c: LegalCaseView; onClose: () => void; onSaved: (v: LegalView) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const f = legalCaseFields.shape;
  const schema = useMemo(
    () =>
      z
        .object({
          ...f,
          filedOn: z.preprocess(emptyNull, f.filedOn),
          hearingOn: z.preprocess(emptyNull, f.hearingOn),
          outcome: z.preprocess(emptyNull, f.outcome),
          outcomeOn: z.preprocess(emptyNull, f.outcomeOn),
          performanceDue: z.preprocess(emptyNull, f.performanceDue),
          enforcementAppliedOn: z.preprocess(emptyNull, f.enforcementAppliedOn),
          judgmentFen: yuanField(f.judgmentFen, { t, locale, emptyAs: null, allowZero: true }),
        })
        .strict()
        .superRefine(checkLegalCase),
    [f, t, locale],
  );
  const form = useContractForm<CaseValues, typeof schema>(schema, {
    initialValues: {
      court: c.court,
      caseNo: c.caseNo,
      filedOn: c.filedOn ?? '',
      hearingOn: c.hearingOn ?? '',
      outcome: c.outcome ?? '',
      outcomeOn: c.outcomeOn ?? '',
      judgmentFen: c.judgmentFen === null ? '' : fenToInput(c.judgmentFen),
      performanceDue: c.performanceDue ?? '',
      enforcementAppliedOn: c.enforcementAppliedOn ?? '',
      enforcementCaseNo: c.enforcementCaseNo,
    },
    fixed: { loanId: c.loanId },
  });
  const run = useIpcMutation('legal.update');
  const v = form.values;
  const date = (key: keyof CaseValues, label: string) => <BusinessDateInput label={label} clearable {...form.getInputProps(key)} value={v[key]} data-testid={`legal-${key}`} />;
  return (
    <ModalForm title={t('legalUi.edit')} size="lg" onClose={onClose} form={form} busy={run.isPending} submitLabel={t('portfolio.save')} cancelLabel={t('portfolio.cancel')} onSubmit={async () => onSaved(await run.mutateAsync(form.toInput()!))}>
      <SimpleGrid cols={2}>
        <TextInput label={t('legalUi.court')} maxLength={60} {...form.getInputProps('court')} />
        <TextInput label={t('legalUi.caseNo')} maxLength={60} {...form.getInputProps('caseNo')} />
        {date('filedOn', t('legalUi.filedOn'))}
        {date('hearingOn', t('legalUi.hearingOn'))}
        <Select
          label={t('legalUi.outcome')}
          clearable
          data={LEGAL_OUTCOMES.map((o) => ({ value: o, label: t(`legalUi.outcomes.${o}`) }))}
          {...form.getInputProps('outcome')}
          value={v.outcome || null}
          onChange={(x) => form.setFieldValue('outcome', x ?? '')}
        />
        {date('outcomeOn', t('legalUi.outcomeOn'))}
        <AmountField label={t('legalUi.judgment')} {...form.getInputProps('judgmentFen')} value={v.judgmentFen} />
        {date('performanceDue', t('legalUi.performanceDue'))}
        {date('enforcementAppliedOn', t('legalUi.enforcementAppliedOn'))}
        <TextInput label={t('legalUi.enforcementCaseNo')} maxLength={60} {...form.getInputProps('enforcementCaseNo')} />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('legalUi.deadlineRule')}
      </Text>
    </ModalForm>
  );
}

const preservationSchema = contract['legal.addPreservation'];

function PreservationModal({ loanId, onClose, onSaved }: ModalProps) {
  const { t } = useTranslation();
  const form = useContractForm<{ what: string; rulingNo: string; fromDate: string; untilDate: string }, typeof preservationSchema>(preservationSchema, {
    initialValues: { what: '', rulingNo: '', fromDate: todayIn(), untilDate: '' },
    fixed: { loanId },
  });
  const run = useIpcMutation('legal.addPreservation');
  return (
    <ModalForm title={t('legalUi.addPreservation')} onClose={onClose} form={form} busy={run.isPending} submitLabel={t('portfolio.save')} cancelLabel={t('portfolio.cancel')} onSubmit={async () => onSaved(await run.mutateAsync(form.toInput()!))}>
      <TextInput label={t('legalUi.what')} required maxLength={200} placeholder={t('legalUi.whatHint')} data-autofocus {...form.getInputProps('what')} />
      <TextInput label={t('legalUi.rulingNo')} maxLength={60} {...form.getInputProps('rulingNo')} />
      <SimpleGrid cols={2}>
        <BusinessDateInput label={t('legalUi.from')} required {...form.getInputProps('fromDate')} value={form.values.fromDate} data-testid="legal-fromDate" />
        <BusinessDateInput label={t('legalUi.until')} required {...form.getInputProps('untilDate')} value={form.values.untilDate} data-testid="legal-untilDate" />
      </SimpleGrid>
    </ModalForm>
  );
}

const costSchema = contract['legal.addCost'];
const recoverySchema = contract['legal.addRecovery'];

function MoneyModal({ kind, loanId, onClose, onSaved }: ModalProps & { kind: 'cost' | 'recovery' }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const base = kind === 'cost' ? costSchema : recoverySchema;
  const schema = useMemo(() => (base as typeof costSchema).extend({ amountFen: yuanField(costSchema.shape.amountFen, { t, locale }) }), [base, t, locale]);
  const dateKey = kind === 'cost' ? 'paidOn' : 'receivedOn';
  const typeKey = kind === 'cost' ? 'kind' : 'source';
  const form = useContractForm<Record<string, string>, typeof schema>(schema as never, {
    initialValues: { [typeKey]: kind === 'cost' ? 'court_fee' : 'enforcement', amountFen: '', [dateKey]: todayIn(), note: '' },
    fixed: { loanId },
  });
  const cost = useIpcMutation('legal.addCost');
  const recovery = useIpcMutation('legal.addRecovery');
  const options = kind === 'cost' ? LEGAL_COST_KINDS.map((k) => ({ value: k, label: t(`legalUi.costKinds.${k}`) })) : LEGAL_RECOVERY_SOURCES.map((s) => ({ value: s, label: t(`legalUi.sources.${s}`) }));
  return (
    <ModalForm
      title={t(kind === 'cost' ? 'legalUi.addCost' : 'legalUi.addRecovery')}
      onClose={onClose}
      form={form}
      busy={cost.isPending || recovery.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => {
        const input = form.toInput() as never;
        onSaved(kind === 'cost' ? await cost.mutateAsync(input) : await recovery.mutateAsync(input));
      }}
    >
      <SimpleGrid cols={2}>
        <Select label={t(kind === 'cost' ? 'legalUi.costKind' : 'legalUi.source')} required allowDeselect={false} data={options} {...form.getInputProps(typeKey)} />
        <BusinessDateInput label={t(kind === 'cost' ? 'legalUi.paidOn' : 'legalUi.receivedOn')} required {...form.getInputProps(dateKey)} value={form.values[dateKey]} />
      </SimpleGrid>
      <AmountField label={t('legalUi.amount')} required data-autofocus {...form.getInputProps('amountFen')} value={form.values.amountFen} />
      <TextInput label={t('legalUi.note')} maxLength={200} {...form.getInputProps('note')} />
    </ModalForm>
  );
}

const releaseSchema = contract['legal.releasePreservation'];

function ReleaseModal({ loanId, p, onClose, onSaved }: ModalProps & { p: PreservationView }) {
  const { t } = useTranslation();
  const form = useContractForm<{ releasedOn: string }, typeof releaseSchema>(releaseSchema, { initialValues: { releasedOn: todayIn() }, fixed: { loanId, preservationId: p.id } });
  const run = useIpcMutation('legal.releasePreservation');
  return (
    <ModalForm title={`${t('legalUi.release')} · ${p.what}`} onClose={onClose} form={form} busy={run.isPending} submitLabel={t('portfolio.save')} cancelLabel={t('portfolio.cancel')} onSubmit={async () => onSaved(await run.mutateAsync(form.toInput()!))}>
      <BusinessDateInput label={t('legalUi.releasedOnLabel')} required {...form.getInputProps('releasedOn')} value={form.values.releasedOn} />
    </ModalForm>
  );
}

const closeSchema = contract['legal.close'];

function CloseModal({ loanId, onClose, onSaved }: ModalProps) {
  const { t } = useTranslation();
  const form = useContractForm<{ closedOn: string; note: string }, typeof closeSchema>(closeSchema, { initialValues: { closedOn: todayIn(), note: '' }, fixed: { loanId } });
  const run = useIpcMutation('legal.close');
  return (
    <ModalForm title={t('legalUi.close')} onClose={onClose} form={form} busy={run.isPending} submitLabel={t('portfolio.save')} cancelLabel={t('portfolio.cancel')} onSubmit={async () => onSaved(await run.mutateAsync(form.toInput()!))}>
      <BusinessDateInput label={t('legalUi.closedOn')} required {...form.getInputProps('closedOn')} value={form.values.closedOn} />
      <Textarea label={t('legalUi.closeNote')} required maxLength={500} autosize minRows={2} data-autofocus {...form.getInputProps('note')} />
    </ModalForm>
  );
}

/** 责任认定与处置方案 (non-performing loans): proposed by the officer, decided by another supervisor. */
function Plans({ view, canPropose, canDecide, onModal }: { view: LegalView; canPropose: boolean; canDecide: (p: NplPlanView) => boolean; onModal: (m: Modal) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const who = useUserNames();
  if (!view.npl && view.plans.length === 0) return null;
  return (
    <Section title={t('legalUi.plans')} add={canPropose ? () => onModal('plan') : null} addLabel={t('legalUi.proposePlan')} testId="legal-propose-plan">
      {view.plans.length === 0 ? (
        <Empty />
      ) : (
        view.plans.map((p) => (
          <Paper key={p.id} withBorder p="sm" data-testid="legal-plan" data-status={p.status}>
            <Group justify="space-between" mb={4}>
              <Group gap="xs">
                <Badge variant="light" color="grape" style={NO_SHRINK}>
                  {t(`legalUi.methods.${p.method}`)}
                </Badge>
                <Badge variant={p.status === 'pending' ? 'outline' : 'light'} color={p.status === 'approved' ? 'green' : p.status === 'rejected' ? 'red' : 'orange'} style={NO_SHRINK}>
                  {t(`legalUi.planStatus.${p.status}`)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {t('legalUi.proposedBy', { name: who(p.proposedBy), at: formatDateTime(p.proposedAt, locale) })}
                </Text>
              </Group>
              {canDecide(p) && (
                <Group gap="xs">
                  <Button size="compact-xs" color="green" variant="light" onClick={() => onModal({ decide: p, approve: true })}>
                    {t('legalUi.approve')}
                  </Button>
                  <Button size="compact-xs" color="red" variant="subtle" onClick={() => onModal({ decide: p, approve: false })}>
                    {t('legalUi.reject')}
                  </Button>
                </Group>
              )}
            </Group>
            <Text size="sm">
              <Text span fw={600}>
                {t('legalUi.accountability')}
                {t('app.colon')}
              </Text>
              {p.accountability}
            </Text>
            <Text size="sm">
              <Text span fw={600}>
                {t('legalUi.plan')}
                {t('app.colon')}
              </Text>
              {p.plan}
            </Text>
            {p.decidedBy && (
              <Text size="xs" c="dimmed">
                {t('legalUi.decidedBy', { name: who(p.decidedBy), at: formatDateTime(p.decidedAt!, locale) })}
                {p.decisionComment ? ` · ${p.decisionComment}` : ''}
              </Text>
            )}
          </Paper>
        ))
      )}
    </Section>
  );
}

const planSchema = contract['legal.proposePlan'];

function PlanModal({ loanId, onClose, onSaved }: ModalProps) {
  const { t } = useTranslation();
  const form = useContractForm<{ accountability: string; method: string; plan: string }, typeof planSchema>(planSchema, {
    initialValues: { accountability: '', method: 'litigation', plan: '' },
    fixed: { loanId },
  });
  const run = useIpcMutation('legal.proposePlan');
  return (
    <ModalForm title={t('legalUi.proposePlan')} size="lg" onClose={onClose} form={form} busy={run.isPending} submitLabel={t('legalUi.submitPlan')} cancelLabel={t('portfolio.cancel')} onSubmit={async () => onSaved(await run.mutateAsync(form.toInput()!))}>
      <Textarea label={t('legalUi.accountability')} description={t('legalUi.accountabilityHint')} required maxLength={2000} autosize minRows={3} data-autofocus {...form.getInputProps('accountability')} />
      <Select label={t('legalUi.method')} required allowDeselect={false} data={NPL_METHODS.map((m) => ({ value: m, label: t(`legalUi.methods.${m}`) }))} {...form.getInputProps('method')} />
      <Textarea label={t('legalUi.plan')} description={t('legalUi.planHint')} required maxLength={2000} autosize minRows={3} {...form.getInputProps('plan')} />
    </ModalForm>
  );
}

const decideSchema = contract['legal.decidePlan'];

function DecidePlanModal({ plan, approve, onClose, onSaved }: { plan: NplPlanView; approve: boolean; onClose: () => void; onSaved: (v: LegalView) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ comment: string }, typeof decideSchema>(decideSchema, { initialValues: { comment: '' }, fixed: { planId: plan.id, approve } });
  const run = useIpcMutation('legal.decidePlan');
  return (
    <ModalForm
      title={t('legalUi.decideTitle')}
      onClose={onClose}
      form={form}
      busy={run.isPending}
      submitLabel={approve ? t('legalUi.approve') : t('legalUi.reject')}
      submitColor={approve ? 'green' : 'red'}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onSaved(await run.mutateAsync(form.toInput()!))}
    >
      <Text size="sm">{plan.plan}</Text>
      <DecisionComment approve={approve} label={t('legalUi.comment')} maxLength={500} {...form.getInputProps('comment')} />
    </ModalForm>
  );
}
