import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ClassificationLevel } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { DecisionComment } from '../../components/DecisionComment';
import { ModalForm } from '../../components/ModalForm';
import { LevelBadge } from '../../components/PortfolioBadges';
import { useIpcMutation } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { useUserNames } from '../../lib/userNames';

interface Props {
  proposal: { id: number; level: ClassificationLevel; reason: string; proposedBy: string };
  contractNo: string;
  approve: boolean;
  onClose: () => void;
  onDone: (detail: LoanDetail) => void;
}

const schema = contract['classification.decide'];

/** A supervisor's approval or rejection of another's classification proposal; a rejection says why. */
export function DecideModal({ proposal, contractNo, approve, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const who = useUserNames();
  const form = useContractForm<{ comment: string }, typeof schema>(schema, { initialValues: { comment: '' }, fixed: { proposalId: proposal.id, approve } });
  const decide = useIpcMutation('classification.decide');
  return (
    <ModalForm
      title={t('loan.classification.decideTitle', { contractNo })}
      onClose={onClose}
      form={form}
      busy={decide.isPending}
      submitLabel={approve ? t('loan.classification.approve') : t('loan.classification.reject')}
      submitColor={approve ? 'green' : 'red'}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onDone(await decide.mutateAsync(form.toInput()!))}
    >
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          {t('loan.classification.proposeLevel')}
        </Text>
        <LevelBadge level={proposal.level} />
        <Text size="sm" c="dimmed">
          {t('loan.classification.proposerIs', { name: who(proposal.proposedBy) })}
        </Text>
      </Group>
      <Text size="sm">{proposal.reason}</Text>
      <DecisionComment approve={approve} label={t('loan.classification.comment')} maxLength={500} {...form.getInputProps('comment')} />
    </ModalForm>
  );
}
