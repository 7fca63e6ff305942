import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InspectionView } from '../../../shared/ipc/inspections';
import type { ReportView } from '../../../shared/ipc/reports';
import { Fact } from '../../components/Fields';
import { useLocale } from '../../lib/appInfo';
import { downloadBase64 } from '../../lib/download';
import { useFormState } from '../../lib/form';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
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
  const [report, setReport] = useState<ReportView | null>(null);
  const [inspection, setInspection] = useState<InspectionView | null>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    let stale = false;
    (async () => {
      if (reportId) {
        // Just created on this page: report and inspection are already here.
        if (report?.id === reportId) return;
        const r = await invoke('reports.get', { reportId });
        const list = await invoke('inspections.list', { loanId: r.loanId, status: null, dueBefore: null });
        if (stale) return;
        setReport(r);
        setInspection(list.find((i) => i.id === r.inspectionId) ?? null);
      } else if (inspectionId && loanId) {
        const list = await invoke('inspections.list', { loanId, status: null, dueBefore: null });
        if (stale) return;
        const i = list.find((x) => x.id === inspectionId) ?? null;
        if (i?.report) return nav.replace(to.report(i.report.id));
        setInspection(i);
        setMissing(!i);
      } else {
        setMissing(true);
      }
    })().catch((e: unknown) => {
      notifyError(e);
      if (!stale) setMissing(true);
    });
    return () => {
      stale = true;
    };
    // `report` is read only to skip a reload of the report this page just created.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reportId, inspectionId, loanId]);

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
  if (!inspection || (reportId && !report)) return <Loader aria-label={t('app.loading')} />;

  const changed = (r: ReportView) => {
    const created = !report;
    setReport(r);
    if (created || r.id !== report?.id) nav.replace(to.report(r.id));
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
  const [modal, setModal] = useState<'return' | 'sign' | 'accept' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function act(key: string, run: () => Promise<ReportView>, done: string) {
    setBusy(key);
    try {
      onChange(await run());
      notifySuccess(done);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(null);
    }
  }

  async function print() {
    if (!report) return;
    setBusy('print');
    try {
      const pdf = await invoke('reports.pdf', { reportId: report.id });
      downloadBase64(pdf.base64, pdf.fileName, 'application/pdf');
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(null);
    }
  }

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
            <Button color="green" onClick={() => setModal('accept')}>
              {t('reports.accept')}
            </Button>
          )}
          {report && canWrite && status === 'accepted' && (
            <Button variant="light" loading={busy === 'correct'} onClick={() => void act('correct', () => invoke('reports.correct', { reportId: report.id }), t('reports.corrected'))}>
              {t('reports.correct')}
            </Button>
          )}
          {report && status !== 'draft' && status !== 'returned' && (
            <Button variant="default" loading={busy === 'print'} onClick={() => void print()}>
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
            <Text size="sm" c={inspection.overdue ? 'red.7' : undefined}>
              {formatDay(inspection.dueDate, locale)}
            </Text>
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

/** 退回 (a comment is required), 签批 (optional comment) or 归档. */
function DecisionModal({ kind, reportId, onClose, onDone }: { kind: 'return' | 'sign' | 'accept'; reportId: number; onClose: () => void; onDone: (r: ReportView, message: string) => void }) {
  const { t } = useTranslation();
  const form = useFormState({ comment: '' });
  const [busy, setBusy] = useState(false);
  async function submit() {
    const comment = form.values.comment.trim();
    if (kind === 'return' && !comment) return form.setErrors({ comment: t('validation.required') });
    setBusy(true);
    try {
      if (kind === 'return') onDone(await invoke('reports.return', { reportId, comment }), t('reports.returned'));
      else if (kind === 'sign') onDone(await invoke('reports.sign', { reportId, comment }), t('reports.signed'));
      else onDone(await invoke('reports.accept', { reportId }), t('reports.accepted'));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  const title = kind === 'return' ? t('reports.returnTitle') : kind === 'sign' ? t('reports.signTitle') : t('reports.acceptTitle');
  const action = kind === 'return' ? t('reports.return') : kind === 'sign' ? t('reports.sign') : t('reports.accept');
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          {kind === 'accept' ? (
            <Text size="sm">{t('reports.acceptHint')}</Text>
          ) : (
            <Textarea
              label={kind === 'return' ? t('reports.returnComment') : t('reports.signComment')}
              required={kind === 'return'}
              autosize
              minRows={3}
              maxLength={1000}
              data-autofocus
              {...form.text('comment')}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('reports.cancel')}
            </Button>
            <Button type="submit" color={kind === 'return' ? 'red' : 'green'} loading={busy}>
              {action}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

