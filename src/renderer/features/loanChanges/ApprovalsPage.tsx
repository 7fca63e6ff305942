import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contract } from '../../../shared/ipc/contract';
import type { LoanChangeView } from '../../../shared/ipc/loanChanges';
import { DecisionComment } from '../../components/DecisionComment';
import { ModalForm } from '../../components/ModalForm';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { PageHeader } from '../../components/PageHeader';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { invoke } from '../../lib/ipc';
import { useNav } from '../../lib/nav';
import { notifyError, notifySuccess } from '../../lib/notify';
import { ApprovalList, STATUS_COLORS } from './LoanChangesTab';
import { to } from '../../routes/links';
import { useUserNames } from '../../lib/userNames';

const NOWRAP = { whiteSpace: 'nowrap' } as const;

function stepKey(c: LoanChangeView) {
  if (c.kind !== 'write-off') return 'changesUi.singleStep' as const;
  return c.status === 'first-approved' ? ('changesUi.finalStep' as const) : ('changesUi.firstStep' as const);
}

/** 审批: the extension, restructuring and write-off requests waiting for this user's decision. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  const nav = useNav();
  const [rows, setRows] = useState<LoanChangeView[] | null>(null);
  const [deciding, setDeciding] = useState<{ change: LoanChangeView; approve: boolean } | null>(null);

  const load = useCallback(() => {
    invoke('changes.pending').then(setRows).catch(notifyError);
  }, []);
  useEffect(load, [load]);

  return (
    <Stack gap="md">
      <PageHeader title={t('changesUi.approvalsTitle')} />
      <Paper withBorder>
        <Table styles={{ th: { whiteSpace: 'nowrap' } }} striped highlightOnHover verticalSpacing={6} fz="sm" data-testid="pending-changes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('changesUi.contractNo')}</Table.Th>
              <Table.Th>{t('changesUi.colKind')}</Table.Th>
              <Table.Th>{t('changesUi.colAppliedOn')}</Table.Th>
              <Table.Th>{t('changesUi.colNewMaturity')}</Table.Th>
              <Table.Th>{t('changesUi.colReason')}</Table.Th>
              <Table.Th>{t('changesUi.colApplicant')}</Table.Th>
              <Table.Th>{t('changesUi.step')}</Table.Th>
              <Table.Th>{t('changesUi.colApprovals')}</Table.Th>
              <Table.Th>{t('portfolio.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={9}>
                  <Text c="dimmed" size="sm" ta="center" py="md">
                    {t('changesUi.approvalsEmpty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows?.map((c) => (
              <Table.Tr key={c.id} data-contract={c.contractNo} data-kind={c.kind}>
                <Table.Td>
                  <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(c.loanId, 'changes'))}>
                    {c.contractNo}
                  </Anchor>
                </Table.Td>
                <Table.Td style={NOWRAP}>{t(`changesUi.kind.${c.kind}`)}</Table.Td>
                <Table.Td style={NOWRAP}>{formatDay(c.appliedOn, locale)}</Table.Td>
                <Table.Td style={NOWRAP}>{c.newMaturity ? formatDay(c.newMaturity, locale) : '—'}</Table.Td>
                <Table.Td>
                  {c.reason}
                  {c.evidence && (
                    <Text size="xs" c="dimmed">
                      {t('changesUi.evidence')}{t('app.colon')}{c.evidence}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{who(c.applicant)}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={STATUS_COLORS[c.status]} style={NO_SHRINK}>
                    {t(stepKey(c))}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <ApprovalList approvals={c.approvals} />
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Button size="compact-xs" color="green" onClick={() => setDeciding({ change: c, approve: true })}>
                      {t('changesUi.approve')}
                    </Button>
                    <Button size="compact-xs" color="red" variant="light" onClick={() => setDeciding({ change: c, approve: false })}>
                      {t('changesUi.reject')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {deciding && (
        <DecideChangeModal
          change={deciding.change}
          approve={deciding.approve}
          onClose={() => setDeciding(null)}
          onDone={(c) => {
            setDeciding(null);
            notifySuccess(t(c.status === 'rejected' ? 'changesUi.rejectedMsg' : 'changesUi.approvedMsg'));
            load();
          }}
        />
      )}
    </Stack>
  );
}

const decideSchema = contract['changes.decide'];

function DecideChangeModal({ change, approve, onClose, onDone }: { change: LoanChangeView; approve: boolean; onClose: () => void; onDone: (c: LoanChangeView) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ comment: string }, typeof decideSchema>(decideSchema, { initialValues: { comment: '' }, fixed: { changeId: change.id, approve } });
  const decide = useIpcMutation('changes.decide');
  return (
    <ModalForm
      title={t('changesUi.decideTitle', { contractNo: change.contractNo, kind: t(`changesUi.kind.${change.kind}`) })}
      onClose={onClose}
      form={form}
      busy={decide.isPending}
      submitLabel={t(approve ? 'changesUi.approve' : 'changesUi.reject')}
      submitColor={approve ? 'green' : 'red'}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onDone(await decide.mutateAsync(form.toInput()!))}
    >
      <DecisionComment approve={approve} label={t('changesUi.comment')} maxLength={1000} {...form.getInputProps('comment')} />
    </ModalForm>
  );
}
