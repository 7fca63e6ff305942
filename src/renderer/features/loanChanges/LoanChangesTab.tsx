import { Badge, Button, Group, List, Paper, SimpleGrid, Stack, Table, Text, Textarea, ThemeIcon, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DpdBucket } from '../../../shared/domain';
import type { CollectionStage } from '../../../shared/ipc/collections';
import { contract } from '../../../shared/ipc/contract';
import type { LoanChangeView } from '../../../shared/ipc/loanChanges';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { Fact } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { BucketBadge, NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcCall, useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { downloadBase64 } from '../../lib/download';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDateTime, formatDay } from '../../lib/format';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { ChangeFormModal, type ChangeKind } from './ChangeFormModal';
import { useUserNames } from '../../lib/userNames';

export const STATUS_COLORS: Record<LoanChangeView['status'], string> = { pending: 'yellow', 'first-approved': 'blue', approved: 'green', rejected: 'red' };
const NOWRAP = { whiteSpace: 'nowrap' } as const;

/** The loan's 展期/重组/核销 tab: its requests and their approvals, new applications, and where collection stands. */
export function LoanChangesTab({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('portfolio.write');
  const loanId = detail.loan.id;
  const active = detail.loan.status === 'active';
  // Refetched, with the loan, after an application (invalidation.ts).
  const { data: changes } = useIpcQuery('changes.forLoan', { loanId });
  const [applying, setApplying] = useState<ChangeKind | null>(null);

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4} size="h5">
            {t('changesUi.requests')}
          </Title>
          <Group gap="xs">
            {canWrite && active && (
              <>
                <Button size="xs" variant="light" onClick={() => setApplying('extension')}>
                  {t('changesUi.applyExtension')}
                </Button>
                <Button size="xs" variant="light" onClick={() => setApplying('restructuring')}>
                  {t('changesUi.applyRestructuring')}
                </Button>
                <Button size="xs" variant="light" color="orange" onClick={() => setApplying('acceleration')}>
                  {t('changesUi.applyAcceleration')}
                </Button>
                <Button size="xs" variant="light" color="red" onClick={() => setApplying('write-off')}>
                  {t('changesUi.proposeWriteOff')}
                </Button>
              </>
            )}
            <PdfButton loanId={loanId} kind="extension-application" label={t('changesUi.printApplication')} />
            <PdfButton loanId={loanId} kind="extension-agreement" label={t('changesUi.printAgreement')} />
          </Group>
        </Group>
        {changes && <ChangesTable changes={changes} locale={locale} />}
      </Stack>
      <StagePanel loanId={loanId} />
      {applying && (
        <ChangeFormModal
          kind={applying}
          detail={detail}
          onClose={() => setApplying(null)}
          onSaved={() => {
            setApplying(null);
            notifySuccess(t('changesUi.submitted'));
          }}
        />
      )}
    </Stack>
  );
}

function ChangesTable({ changes, locale }: { changes: LoanChangeView[]; locale: ReturnType<typeof useLocale> }) {
  const { t } = useTranslation();
  const who = useUserNames();
  if (changes.length === 0)
    return (
      <Text c="dimmed" size="sm" ta="center" py="sm" data-testid="loan-changes-empty">
        {t('changesUi.empty')}
      </Text>
    );
  return (
    <Table styles={{ th: { whiteSpace: 'nowrap' } }} fz="sm" verticalSpacing={5} striped data-testid="loan-changes">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('changesUi.colKind')}</Table.Th>
          <Table.Th>{t('changesUi.colAppliedOn')}</Table.Th>
          <Table.Th>{t('changesUi.colNewMaturity')}</Table.Th>
          <Table.Th>{t('changesUi.colReason')}</Table.Th>
          <Table.Th>{t('changesUi.colApplicant')}</Table.Th>
          <Table.Th>{t('changesUi.colStatus')}</Table.Th>
          <Table.Th>{t('changesUi.colApprovals')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.id} data-kind={c.kind} data-status={c.status}>
            <Table.Td style={NOWRAP}>{t(`changesUi.kind.${c.kind}`)}</Table.Td>
            <Table.Td style={NOWRAP}>{formatDay(c.appliedOn, locale)}</Table.Td>
            <Table.Td style={NOWRAP}>{c.newMaturity ? formatDay(c.newMaturity, locale) : '—'}</Table.Td>
            <Table.Td>
              {c.reason}
              {c.grounds.length > 0 && (
                <Text size="xs" c="dimmed" data-testid="change-grounds">
                  {t('changesUi.grounds')}
                  {t('app.colon')}
                  {c.grounds.map((g) => t(`changesUi.ground.${g}`)).join(locale === 'en' ? ', ' : '、')}
                </Text>
              )}
              {c.evidence && (
                <Text size="xs" c="dimmed">
                  {t('changesUi.evidence')}{t('app.colon')}{c.evidence}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{who(c.applicant)}</Table.Td>
            <Table.Td>
              <Badge size="sm" variant="light" color={STATUS_COLORS[c.status]} style={NO_SHRINK}>
                {t(`changesUi.status.${c.status}`)}
              </Badge>
            </Table.Td>
            <Table.Td>
              <ApprovalList approvals={c.approvals} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ApprovalList({ approvals }: { approvals: LoanChangeView['approvals'] }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  if (approvals.length === 0) return <>—</>;
  return (
    <Stack gap={2}>
      {approvals.map((a, i) => (
        <Text key={i} size="xs">
          {a.comment ? t('changesUi.approvalLine', { by: who(a.by), at: formatDateTime(a.at, locale), comment: a.comment }) : t('changesUi.approvalLineBare', { by: who(a.by), at: formatDateTime(a.at, locale) })}
        </Text>
      ))}
    </Stack>
  );
}

function PdfButton({ loanId, kind, label }: { loanId: number; kind: 'extension-application' | 'extension-agreement'; label: string }) {
  const print = useIpcCall('changes.extensionPdf', { onSuccess: (pdf) => downloadBase64(pdf.base64, pdf.fileName, 'application/pdf') });
  return (
    <Button size="xs" variant="default" loading={print.isPending} onClick={() => print.mutate({ loanId, kind })}>
      {label}
    </Button>
  );
}

/** 催收阶段: the bucket, the recommended next step, the evidence for litigation, and 移交诉讼. */
function StagePanel({ loanId }: { loanId: number }) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  const canTransfer = useCan('collections.write');
  const { data: stage } = useIpcQuery('collections.stage', { loanId });
  const [transferring, setTransferring] = useState(false);
  if (!stage) return null;
  return (
    <Paper withBorder p="md" data-testid="collection-stage" data-stage={stage.stage}>
      <Group justify="space-between" mb="sm">
        <Title order={4} size="h5">
          {t('changesUi.stageTitle')}
        </Title>
        {stage.transferred ? (
          <Badge color="grape" variant="filled" data-testid="legal-transferred">
            {t('changesUi.transferred', { on: formatDay(stage.transferred.on, locale), by: who(stage.transferred.by) })}
          </Badge>
        ) : (
          canTransfer && (
            <Button size="xs" color="grape" variant="light" onClick={() => setTransferring(true)}>
              {t('changesUi.transfer')}
            </Button>
          )
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="md">
        <Fact label={t('changesUi.bucket')}>
          <BucketBadge bucket={stage.bucket as DpdBucket} />
        </Fact>
        <Fact label={t('changesUi.dpd')}>{stage.dpd}</Fact>
        <Fact label={t('changesUi.nextStep')}>
          <Text size="sm" fw={600} data-testid="stage-next">
            {t(`changesUi.stage.${stage.stage}`)}
          </Text>
        </Fact>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="xs">
        {t('changesUi.done', stage.done)}
      </Text>
      <Text size="sm" fw={600} mt="sm" mb={4}>
        {t('changesUi.checklist')}
      </Text>
      <List spacing={4} size="sm" data-testid="stage-checklist" center>
        {stage.checklist.map((c) => (
          <List.Item
            key={c.item}
            data-present={c.present}
            icon={
              <ThemeIcon size={18} radius="xl" color={c.present ? 'green' : 'gray'} variant={c.present ? 'filled' : 'light'} aria-label={c.present ? t('changesUi.present') : t('changesUi.missing')}>
                <Text size="xs" fw={700} lh={1}>
                  {c.present ? '✓' : '✗'}
                </Text>
              </ThemeIcon>
            }
          >
            {t(`collectionsEvidence.${c.item}` as 'collectionsEvidence.contract')}
            {!c.present && (
              <Text span size="xs" c="red.7" ml={6}>
                {t('changesUi.missing')}
              </Text>
            )}
          </List.Item>
        ))}
      </List>
      {transferring && (
        <TransferModal
          loanId={loanId}
          onClose={() => setTransferring(false)}
          onDone={() => {
            setTransferring(false);
            notifySuccess(t('changesUi.transferDone'));
          }}
        />
      )}
    </Paper>
  );
}

const transferSchema = contract['collections.transferToLegal'];

function TransferModal({ loanId, onClose, onDone }: { loanId: number; onClose: () => void; onDone: (s: CollectionStage) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ note: string }, typeof transferSchema>(transferSchema, { initialValues: { note: '' }, fixed: { loanId } });
  const transfer = useIpcMutation('collections.transferToLegal');
  return (
    <ModalForm
      title={t('changesUi.transfer')}
      onClose={onClose}
      form={form}
      busy={transfer.isPending}
      submitLabel={t('changesUi.transfer')}
      submitColor="grape"
      cancelLabel={t('portfolio.cancel')}
      errorTestId="transfer-error"
      onSubmit={async () => onDone(await transfer.mutateAsync(form.toInput()!))}
    >
      <Textarea label={t('changesUi.transferNote')} required maxLength={1000} autosize minRows={2} data-autofocus {...form.getInputProps('note')} />
    </ModalForm>
  );
}
