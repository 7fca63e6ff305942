import { Alert, Badge, Button, Group, Paper, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { proposableLevels, type ClassificationLevel } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import type { ClassificationView, LoanDetail } from '../../../shared/ipc/loans';
import { LevelBadge, NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useFloorReasons } from '../../lib/floorReasons';
import { useIpcMutation } from '../../lib/data/useIpc';
import { serverIssues } from '../../lib/forms/serverIssues';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDateTime } from '../../lib/format';
import { levelLabel } from '../../lib/labels';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan, useSession } from '../../lib/session';
import { DecideModal } from '../repayments/DecideModal';
import { useUserNames } from '../../lib/userNames';

interface Props {
  detail: LoanDetail;
  onChange: (detail: LoanDetail) => void;
}

const STATUS_COLORS: Record<ClassificationView['status'], string> = { system: 'gray', pending: 'orange', approved: 'green', rejected: 'red' };

export function ClassificationTab({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const who = useUserNames();
  const locale = useLocale();
  const me = useSession().username;
  const canPropose = useCan('classification.propose');
  const canApprove = useCan('classification.approve');
  const [deciding, setDeciding] = useState<{ row: ClassificationView; approve: boolean } | null>(null);
  const reasons = useFloorReasons();
  const rows = [...detail.classifications].sort((a, b) => (a.proposedAt < b.proposedAt ? 1 : a.proposedAt > b.proposedAt ? -1 : b.id - a.id));
  const pending = rows.some((r) => r.status === 'pending');
  return (
    <Stack gap="md">
      {canPropose && !pending && <ProposeForm detail={detail} onChange={onChange} />}
      <Title order={4} size="h5">
        {t('loan.classification.history')}
      </Title>
      <Table.ScrollContainer minWidth={1000}>
        <Table styles={{ th: { whiteSpace: 'nowrap' } }} fz="sm" verticalSpacing={5} striped data-testid="classifications">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('loan.classification.proposedAt')}</Table.Th>
              <Table.Th>{t('loan.classification.level')}</Table.Th>
              <Table.Th>{t('loan.classification.floor')}</Table.Th>
              <Table.Th>{t('loan.classification.status')}</Table.Th>
              <Table.Th>{t('loan.classification.reason')}</Table.Th>
              <Table.Th>{t('loan.classification.proposer')}</Table.Th>
              <Table.Th>{t('loan.classification.decider')}</Table.Th>
              <Table.Th>{t('loan.classification.comment')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.proposedAt, locale)}</Table.Td>
                <Table.Td>
                  <LevelBadge level={r.level} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{levelLabel(r.floorLevel, locale)}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={STATUS_COLORS[r.status]} style={NO_SHRINK}>
                    {t(`loan.classification.statusLabel.${r.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td maw={360}>{r.status === 'system' ? reasons.join(r.floorReasons) : r.reason}</Table.Td>
                <Table.Td>{who(r.proposedBy)}</Table.Td>
                <Table.Td>
                  {r.decidedBy && (
                    <Stack gap={0}>
                      <Text size="sm">{who(r.decidedBy)}</Text>
                      {r.decidedAt && (
                        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(r.decidedAt, locale)}
                        </Text>
                      )}
                    </Stack>
                  )}
                  {r.status === 'pending' && canApprove && r.proposedBy !== me && (
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" color="green" onClick={() => setDeciding({ row: r, approve: true })}>
                        {t('loan.classification.approve')}
                      </Button>
                      <Button size="compact-xs" color="red" variant="light" onClick={() => setDeciding({ row: r, approve: false })}>
                        {t('loan.classification.reject')}
                      </Button>
                    </Group>
                  )}
                  {r.status === 'pending' && r.proposedBy === me && (
                    <Text size="xs" c="dimmed">
                      {t('loan.classification.pendingOwn')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{r.decisionComment}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {deciding && (
        <DecideModal
          proposal={deciding.row}
          contractNo={detail.loan.contractNo}
          approve={deciding.approve}
          onClose={() => setDeciding(null)}
          onDone={(d) => {
            setDeciding(null);
            onChange(d);
            notifySuccess(t('loan.classification.decided'));
          }}
        />
      )}
    </Stack>
  );
}

type ProposeValues = { level: ClassificationLevel | ''; reason: string };
const proposeSchema = contract['classification.propose'];
/** No class chosen yet is a missing answer. */
const pickProposal = (v: ProposeValues) => ({ ...v, level: v.level || undefined });

function ProposeForm({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const floor = detail.state.floorLevel;
  const form = useContractForm<ProposeValues, typeof proposeSchema>(proposeSchema, { initialValues: { level: '', reason: '' }, fixed: { loanId: detail.loan.id }, pick: pickProposal });
  const propose = useIpcMutation('classification.propose');
  const submit = form.onSubmit(() => {
    propose.mutate(form.toInput()!, {
      onSuccess: (d) => {
        form.reset();
        onChange(d);
        notifySuccess(t('loan.classification.proposed'));
      },
      onError: (e) => {
        const { errors, rest } = serverIssues(e, Object.keys(form.getValues()));
        form.setErrors(errors);
        if (rest.length > 0 || Object.keys(errors).length === 0) notifyError(e);
      },
    });
  });
  // Staff may classify at the rule floor or worse, never better: only those classes are offered.
  const offered = proposableLevels(floor);
  return (
    <Paper withBorder p="sm" bg="gray.0">
      <form noValidate onSubmit={submit}>
        <Stack gap="xs">
          <Title order={4} size="h5">
            {t('loan.classification.propose')}
          </Title>
          <Alert variant="light" color="blue" py={6}>
            {t('loan.classification.proposeHint', { floor: levelLabel(floor, locale) })}
          </Alert>
          <Group align="flex-start" gap="sm" wrap="nowrap">
            <Select
              label={t('loan.classification.proposeLevel')}
              required
              w={180}
              data={offered.map((l) => ({ value: l, label: levelLabel(l, locale) }))}
              {...form.getInputProps('level')}
              value={form.values.level || null}
              onChange={(x) => form.setFieldValue('level', (x ?? '') as ClassificationLevel | '')}
            />
            <Textarea label={t('loan.classification.proposeReason')} required autosize minRows={1} maxLength={500} style={{ flex: 1 }} {...form.getInputProps('reason')} />
            <Button type="submit" mt={24} loading={propose.isPending}>
              {t('loan.classification.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
