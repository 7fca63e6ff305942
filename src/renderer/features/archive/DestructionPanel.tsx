import { Badge, Button, Group, Modal, Paper, Stack, Table, Text, Textarea } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DestructionListView } from '../../../shared/ipc/archive';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useFormState } from '../../lib/form';
import { formatDateTime, formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
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
  const [rows, setRows] = useState<DestructionListView[] | null>(null);
  const [proposing, setProposing] = useState(false);
  const load = useCallback(() => {
    invoke('archive.destructionLists').then(setRows).catch(notifyError);
  }, []);
  useEffect(load, [load]);

  async function decide(l: DestructionListView, approve: boolean) {
    try {
      await invoke('archive.approveDestruction', { listId: l.id, approve });
      notifySuccess(approve ? t('archiveUi.approvedOk') : t('archiveUi.rejectedOk'));
    } catch (e) {
      notifyError(e);
    }
    load();
  }

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
                      {mayDecide && (
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-xs" color="green" onClick={() => void decide(l, true)}>
                            {t('archiveUi.approve')}
                          </Button>
                          <Button size="compact-xs" variant="default" onClick={() => void decide(l, false)}>
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
            load();
          }}
        />
      )}
    </Stack>
  );
}

function ProposeModal({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const form = useFormState({ contracts: '', reason: '' }, (path) => (path === 'loanIds' ? 'contracts' : path.split('.')[0]));
  const [busy, setBusy] = useState(false);
  const v = form.values;
  async function submit() {
    const nos = splitContracts(v.contracts);
    const errors = { ...(nos.length ? {} : { contracts: t('validation.required') }), ...(v.reason.trim() ? {} : { reason: t('validation.required') }) };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const { loans, missing } = await resolveContracts(nos);
      if (missing.length > 0) {
        form.setErrors({ contracts: t('archiveUi.unknownContract', { nos: missing.join(t('archiveUi.listSep')) }) });
        setBusy(false);
        return;
      }
      await invoke('archive.proposeDestruction', { loanIds: loans.map((l) => l.id), reason: v.reason.trim() });
      onSaved();
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={t('archiveUi.propose')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Textarea label={t('archiveUi.contracts')} required autosize minRows={3} classNames={{ input: 'lk-mono-input' }} data-autofocus {...form.text('contracts')} />
          <Textarea label={t('archiveUi.proposeReason')} required maxLength={500} autosize minRows={2} {...form.text('reason')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('portfolio.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('archiveUi.proposeSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
