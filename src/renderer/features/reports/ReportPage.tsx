import { Alert, Anchor, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { ProvisionalBadge } from '../../components/ProvisionalBadge';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/ipc/contract';
import type { InspectionView } from '../../../shared/ipc/inspections';
import type { ReportView } from '../../../shared/ipc/reports';
import { Fact } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { downloadBase64 } from '../../lib/download';
import { ModalForm } from '../../components/ModalForm';
import { ipcKey, useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDay } from '../../lib/format';
import { useNav } from '../../lib/nav';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { ReportStatusBadge } from '../inspections/InspectionTable';
import { useStaffNames } from '../inspections/names';
import { Attachments } from './Attachments';
import { ReportEvents } from './ReportEvents';
import { ReportForm } from './ReportForm';
import { to } from '../../routes/links';

interface Props {
  reportId: number | null;
  inspectionId: number | null;
  loanId: number | null;
}

/**
 * One inspection's report: a new one (from its inspection) or a saved one. The author writes and submits it;
 * a supervisor returns or signs it; the risk officer files it; a filed one is corrected by a new version.
 */
export function ReportPage({ reportId, inspectionId, loanId }: Props) {
  const { t } = useTranslation();
  const nav = useNav();
  const client = useQueryClient();
  const saved = useIpcQuery('reports.get', { reportId: reportId ?? 0 }, { enabled: reportId !== null });
  const forLoan = reportId ? (saved.data?.loanId ?? null) : loanId;
  const inspections = useIpcQuery('inspections.list', { loanId: forLoan ?? 0, status: null, dueBefore: null }, { enabled: forLoan !== null });
  const report = reportId ? (saved.data ?? null) : null;
  const inspection = inspections.data?.find((i) => i.id === (report ? report.inspectionId : inspectionId)) ?? null;
  // A new report for an inspection that already has one opens that one.
  const existing = !reportId && inspection?.report ? inspection.report.id : null;
  useEffect(() => {
    if (existing) nav.replace(to.report(existing));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [existing]);

  const missing = (!reportId && !(inspectionId && loanId)) || saved.isError || inspections.isError || (inspections.data && !inspection);
  if (missing) {
    return (
      <Stack gap="md">
        <Group>
          <Button variant="subtle" size="compact-sm" onClick={nav.back}>
            {t('reports.back')}
          </Button>
        </Group>
        <Alert color="red">{t('errors.noSuchInspection')}</Alert>
      </Stack>
    );
  }
  if (!inspection || (reportId && !report) || existing) return <Loader aria-label={t('app.loading')} />;

  const changed = (r: ReportView) => {
    client.setQueryData(ipcKey('reports.get', { reportId: r.id }), r);
    if (r.id !== reportId) nav.replace(to.report(r.id));
  };
  return <ReportScreen key={`${inspection.id}-${report?.version ?? 1}`} inspection={inspection} report={report} onChange={changed} />;
}

function ReportScreen({ inspection, report, onChange }: { inspection: InspectionView; report: ReportView | null; onChange: (r: ReportView) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  const me = useSession().username;
  const name = useStaffNames();
  const canWrite = useCan('inspections.write');
  const canReview = useCan('reports.review');
  const canAccept = useCan('reports.accept');
  const form: 'first' | 'post' = report?.form ?? (inspection.kind === 'first' ? 'first' : 'post');
  const status = report?.status ?? 'draft';
  const editable = canWrite && (!report || ((status === 'draft' || status === 'returned') && report.officer === me));
  const author = !report || report.officer === me;
  const [modal, setModal] = useState<'return' | 'returnSigned' | 'sign' | 'accept' | null>(null);
  const correct = useIpcMutation('reports.correct', {
    onSuccess: (r) => {
      onChange(r);
      notifySuccess(t('reports.corrected'));
    },
    onError: notifyError,
  });
  const print = useIpcMutation('reports.pdf', { onSuccess: (pdf) => downloadBase64(pdf.base64, pdf.fileName, 'application/pdf'), onError: notifyError });

  const readOnlyNote = editable
    ? null
    : status === 'accepted'
      ? canWrite
        ? t('reports.readOnlyAccepted')
        : t('reports.readOnlyFiled')
      : status === 'superseded'
        ? t('reports.readOnlySuperseded')
        : status === 'submitted'
          ? t('reports.readOnlySubmitted')
          : status === 'signed'
            ? t('reports.readOnlySigned')
            : t('reports.readOnlyOther');

  return (
    <Stack gap="md" maw={1180}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <Button variant="subtle" size="compact-sm" onClick={nav.back}>
            {t('reports.back')}
          </Button>
          <Title order={2} size="h3" data-testid="report-title">
            {form === 'first' ? t('reports.firstTitle') : t('reports.postTitle')}
          </Title>
          {report ? (
            <span data-testid="report-status">
              <ReportStatusBadge status={report.status} />
            </span>
          ) : (
            <Badge size="sm" variant="outline" color="gray">
              {t('reports.newReport')}
            </Badge>
          )}
          {report && report.version > 1 && (
            <Badge size="sm" variant="outline" color="violet">
              {t('reports.version', { version: report.version })}
            </Badge>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {report && canReview && !author && status === 'submitted' && (
            <>
              <Button color="red" variant="light" onClick={() => setModal('return')}>
                {t('reports.return')}
              </Button>
              <Button color="green" onClick={() => setModal('sign')}>
                {t('reports.sign')}
              </Button>
            </>
          )}
          {report && canAccept && !author && status === 'signed' && (
            <>
              <Button color="red" variant="light" onClick={() => setModal('returnSigned')} data-testid="report-return-signed">
                {t('reports.returnSigned')}
              </Button>
              <Button color="green" onClick={() => setModal('accept')}>
                {t('reports.accept')}
              </Button>
            </>
          )}
          {report && canWrite && status === 'accepted' && (
            <Button variant="light" loading={correct.isPending} onClick={() => correct.mutate({ reportId: report.id })}>
              {t('reports.correct')}
            </Button>
          )}
          {report && status !== 'draft' && status !== 'returned' && (
            <Button variant="default" loading={print.isPending} onClick={() => print.mutate({ reportId: report.id })}>
              {t('reports.print')}
            </Button>
          )}
        </Group>
      </Group>

      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 3, lg: 6 }} spacing="md" verticalSpacing="sm">
          <Fact label={t('reports.loan')}>
            <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(inspection.loanId, 'inspections'))}>
              {inspection.contractNo}
            </Anchor>
          </Fact>
          <Fact label={t('reports.borrower')}>{inspection.borrowerName}</Fact>
          <Fact label={t('reports.kind')}>{t(`warnings.inspectionKind.${inspection.kind}`)}</Fact>
          <Fact label={t('reports.dueDate')}>
            <Group gap={4}>
              <Text size="sm" c={inspection.overdue ? 'red.7' : undefined}>
                {formatDay(inspection.dueDate, locale)}
              </Text>
              <ProvisionalBadge show={inspection.provisional} />
            </Group>
          </Fact>
          <Fact label={t('reports.author')}>{name(report?.officer ?? me)}</Fact>
          {report && (
            <Fact label={t('reports.reportDue')}>
              <Group gap={4}>
                <Text size="sm" c={report.reportOverdue ? 'red.7' : undefined}>
                  {formatDay(report.reportDue, locale)}
                </Text>
                {report.reportOverdue && (
                  <Badge size="xs" color="red">
                    {t('reports.overdue')}
                  </Badge>
                )}
                <ProvisionalBadge show={report.reportDueProvisional} />
              </Group>
            </Fact>
          )}
          {report?.reviewDue && report.status === 'submitted' && (
            <Fact label={t('reports.reviewDue')}>
              <Group gap={4}>
                <Text size="sm" c={report.reviewOverdue ? 'red.7' : undefined}>
                  {formatDay(report.reviewDue, locale)}
                </Text>
                {report.reviewOverdue && (
                  <Badge size="xs" color="red">
                    {t('reports.overdue')}
                  </Badge>
                )}
                <ProvisionalBadge show={report.reviewDueProvisional} />
              </Group>
            </Fact>
          )}
          {report?.reviewer && <Fact label={t('reports.reviewer')}>{name(report.reviewer)}</Fact>}
          {report?.acceptedBy && <Fact label={t('reports.acceptedBy')}>{name(report.acceptedBy)}</Fact>}
          {report?.previousId && (
            <Fact label={t('reports.version', { version: report.version })}>
              <Anchor component="button" type="button" size="sm" onClick={() => nav.navigate(to.report(report.previousId!))}>
                {t('reports.correctionOf', { id: report.previousId })}
              </Anchor>
            </Fact>
          )}
        </SimpleGrid>
      </Paper>

      {report?.status === 'returned' && report.reviewComment && (
        <Alert color="red" variant="light" data-testid="returned-banner">
          {t('reports.returnedBanner', { by: name(report.reviewer), comment: report.reviewComment })}
        </Alert>
      )}
      {readOnlyNote && (
        <Alert color={status === 'accepted' ? 'green' : 'blue'} variant="light">
          {readOnlyNote}
        </Alert>
      )}

      <ReportForm form={form} inspection={inspection} report={report} editable={editable} onChange={onChange} />
      <Attachments report={report} editable={editable} onChange={onChange} />
      {report && <ReportEvents report={report} />}

      {modal && report && (
        <DecisionModal
          kind={modal}
          onClose={() => setModal(null)}
          onDone={(r, message) => {
            setModal(null);
            onChange(r);
            notifySuccess(message);
          }}
          reportId={report.id}
        />
      )}
    </Stack>
  );
}

/** 退回 (a comment is required), 签批 (optional comment) or 归档: checked by the channel's own schema. */
function DecisionModal({ kind, reportId, onClose, onDone }: { kind: 'return' | 'returnSigned' | 'sign' | 'accept'; reportId: number; onClose: () => void; onDone: (r: ReportView, message: string) => void }) {
  const { t } = useTranslation();
  const channel = kind === 'return' ? 'reports.return' : kind === 'returnSigned' ? 'reports.returnSigned' : kind === 'sign' ? 'reports.sign' : 'reports.accept';
  const form = useContractForm<{ comment: string }, (typeof contract)[typeof channel]>(contract[channel], {
    initialValues: { comment: '' },
    fixed: { reportId },
    pick: (v) => (kind === 'accept' ? {} : v),
  });
  const decide = useIpcMutation(channel);
  const done = kind === 'return' || kind === 'returnSigned' ? t('reports.returned') : kind === 'sign' ? t('reports.signed') : t('reports.accepted');
  const title = kind === 'returnSigned' ? t('reports.returnSignedTitle') : kind === 'return' ? t('reports.returnTitle') : kind === 'sign' ? t('reports.signTitle') : t('reports.acceptTitle');
  const action = kind === 'returnSigned' ? t('reports.returnSigned') : kind === 'return' ? t('reports.return') : kind === 'sign' ? t('reports.sign') : t('reports.accept');
  return (
    <ModalForm
      title={title}
      onClose={onClose}
      form={form}
      busy={decide.isPending}
      submitLabel={action}
      submitColor={kind === 'return' || kind === 'returnSigned' ? 'red' : 'green'}
      cancelLabel={t('reports.cancel')}
      onSubmit={async () => onDone(await decide.mutateAsync(form.toInput() as never), done)}
    >
      {kind === 'accept' ? (
        <Text size="sm">{t('reports.acceptHint')}</Text>
      ) : (
        <Textarea
          label={kind === 'return' || kind === 'returnSigned' ? t('reports.returnComment') : t('reports.signComment')}
          description={kind === 'returnSigned' ? t('reports.returnSignedHint') : undefined}
          required={kind === 'return' || kind === 'returnSigned'}
          autosize
          minRows={3}
          maxLength={1000}
          data-autofocus
          {...form.getInputProps('comment')}
        />
      )}
    </ModalForm>
  );
}
