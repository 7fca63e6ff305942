import { Badge, Button, Group, Paper, Stack, Table, Text, Textarea } from '@mantine/core';
import { downloadBase64 } from '../../lib/download';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { DestructionListView } from '../../../shared/ipc/archive';
import { contract } from '../../../shared/ipc/contract';
import { msg } from '../../../shared/ipc/fields';
import { ModalForm } from '../../components/ModalForm';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDateTime, formatDay } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { useUserNames } from '../../lib/userNames';
import { resolveContracts, splitContracts } from './loanLookup';

const STATUS_COLORS: Record<DestructionListView['status'], string> = { proposed: 'orange', 'approved-once': 'yellow', approved: 'green', rejected: 'gray', destroyed: 'dark' };

/** Files past their retention: the archivist proposes a list, two other people approve it. */
export function DestructionPanel() {
  const { t } = useTranslation();
  const name = useUserNames();
  const locale = useLocale();
  const me = useSession().username;
  const canManage = useCan('archive.manage');
  const canApprove = useCan('archive.approveDestruction');
  // A proposal or a decision refetches the lists (the archive feature's reads).
  const rows = useIpcQuery('archive.destructionLists', {}).data ?? null;
  const [proposing, setProposing] = useState(false);
  const approving = useIpcMutation('archive.approveDestruction', {
    onSuccess: (_r, { approve }) => notifySuccess(approve ? t('archiveUi.approvedOk') : t('archiveUi.rejectedOk')),
    onError: notifyError,
  });
  const decide = (l: DestructionListView, approve: boolean) => approving.mutate({ listId: l.id, approve });
  // Carrying a list out deletes files: a second click confirms.
  const [confirming, setConfirming] = useState<number | null>(null);
  const executing = useIpcMutation('archive.executeDestruction', {
    onSuccess: (r) => {
      setConfirming(null);
      notifySuccess(t('archiveUi.destroyedOk', { files: r.destroyed?.files ?? 0 }));
    },
    onError: notifyError,
  });
  const printing = useIpcMutation('archive.destructionPdf', { onSuccess: (pdf) => downloadBase64(pdf.base64, pdf.fileName, 'application/pdf'), onError: notifyError });

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('archiveUi.destructionHint')}
        </Text>
        {canManage && <Button onClick={() => setProposing(true)}>{t('archiveUi.propose')}</Button>}
      </Group>
      <Paper withBorder>
        {rows && rows.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="lg">
            {t('archiveUi.destructionEmpty')}
          </Text>
        ) : (
          <Table fz="sm" verticalSpacing={6} striped data-testid="destruction-lists">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('archiveUi.state')}</Table.Th>
                <Table.Th>{t('archiveUi.proposeReason')}</Table.Th>
                <Table.Th>{t('archiveUi.loans')}</Table.Th>
                <Table.Th>{t('archiveUi.createdBy')}</Table.Th>
                <Table.Th>{t('archiveUi.approvals')}</Table.Th>
                <Table.Th>{t('portfolio.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(rows ?? []).map((l) => {
                const open = l.status === 'proposed' || l.status === 'approved-once';
                const mayDecide = canApprove && open && l.createdBy !== me && !l.approvals.some((a) => a.by === me);
                return (
                  <Table.Tr key={l.id}>
                    <Table.Td>{l.id}</Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={STATUS_COLORS[l.status]} style={NO_SHRINK}>
                        {t(`archiveUi.destructionStatus.${l.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td maw={260}>{l.reason}</Table.Td>
                    <Table.Td>
                      {l.loans.map((x) => (
                        <Text key={x.loanId} size="xs" ff="monospace">
                          {x.contractNo} · {t('archiveUi.retentionUntil')} {x.retentionUntil ? formatDay(x.retentionUntil, locale) : '—'}
                        </Text>
                      ))}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{name(l.createdBy)}</Text>
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(l.createdAt, locale)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {l.approvals.length === 0
                        ? '—'
                        : l.approvals.map((a) => (
                            <Text key={a.by} size="xs" style={{ whiteSpace: 'nowrap' }}>
                              {name(a.by)} · {formatDateTime(a.at, locale)}
                            </Text>
                          ))}
                    </Table.Td>
                    <Table.Td>
                      {canManage && l.status === 'approved' && (
                        <Group gap={4} wrap="nowrap">
                          {confirming === l.id ? (
                            <>
                              <Button size="compact-xs" color="red" loading={executing.isPending} onClick={() => executing.mutate({ listId: l.id })} data-testid="destruction-confirm">
                                {t('archiveUi.executeConfirm')}
                              </Button>
                              <Button size="compact-xs" variant="default" onClick={() => setConfirming(null)}>
                                {t('reports.cancel')}
                              </Button>
                            </>
                          ) : (
                            <Button size="compact-xs" color="red" variant="light" onClick={() => setConfirming(l.id)} data-testid="destruction-execute">
                              {t('archiveUi.execute')}
                            </Button>
                          )}
                        </Group>
                      )}
                      {l.destroyed && (
                        <Stack gap={2}>
                          <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                            {t('archiveUi.destroyedBy', { name: name(l.destroyed.by), at: formatDateTime(l.destroyed.at, locale), files: l.destroyed.files })}
                          </Text>
                          <Button size="compact-xs" variant="default" loading={printing.isPending} onClick={() => printing.mutate({ listId: l.id })}>
                            {t('archiveUi.printCertificate')}
                          </Button>
                        </Stack>
                      )}
                      {mayDecide && (
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-xs" color="green" onClick={() => decide(l, true)}>
                            {t('archiveUi.approve')}
                          </Button>
                          <Button size="compact-xs" variant="default" onClick={() => decide(l, false)}>
                            {t('archiveUi.reject')}
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      {proposing && (
        <ProposeModal
          onClose={() => setProposing(false)}
          onSaved={() => {
            setProposing(false);
            notifySuccess(t('archiveUi.proposed'));
          }}
        />
      )}
    </Stack>
  );
}

const propose = contract['archive.proposeDestruction'];
/** The contract numbers as typed (resolved to loans before the call) and the channel's own reason rule. */
const proposeSchema = z.object({ contracts: z.string().refine((s) => splitContracts(s).length > 0, msg('validation.required')), reason: propose.shape.reason });
/** Main names `loanIds`; the form's field is the contract numbers. */
const fieldOf = (path: string) => (path === 'loanIds' ? 'contracts' : path.split('.')[0]);

function ProposeModal({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ contracts: string; reason: string }, typeof proposeSchema>(proposeSchema, { initialValues: { contracts: '', reason: '' }, mapPath: fieldOf });
  const save = useIpcMutation('archive.proposeDestruction');
  // The contract numbers are looked up first; the whole is pending until the list is proposed.
  const submitting = useMutation({
    mutationFn: async (v: { contracts: string; reason: string }) => {
      const { loans, missing } = await resolveContracts(splitContracts(v.contracts));
      if (missing.length > 0) {
        form.setErrors({ contracts: t('archiveUi.unknownContract', { nos: missing.join(t('archiveUi.listSep')) }) });
        return false;
      }
      await save.mutateAsync({ loanIds: loans.map((l) => l.id), reason: form.toInput()!.reason });
      return true;
    },
  });
  return (
    <ModalForm
      title={t('archiveUi.propose')}
      onClose={onClose}
      form={form}
      busy={submitting.isPending}
      mapPath={fieldOf}
      submitLabel={t('archiveUi.proposeSubmit')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async (v) => {
        if (await submitting.mutateAsync(v)) onSaved();
      }}
    >
      <Textarea label={t('archiveUi.contracts')} required autosize minRows={3} classNames={{ input: 'lk-mono-input' }} data-autofocus {...form.getInputProps('contracts')} />
      <Textarea label={t('archiveUi.proposeReason')} required maxLength={500} autosize minRows={2} {...form.getInputProps('reason')} />
    </ModalForm>
  );
}
