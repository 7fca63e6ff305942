import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClassificationLevel } from '../../../shared/domain';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { LevelBadge } from '../../components/PortfolioBadges';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';

interface Props {
  proposal: { id: number; level: ClassificationLevel; reason: string; proposedBy: string };
  contractNo: string;
  approve: boolean;
  onClose: () => void;
  onDone: (detail: LoanDetail) => void;
}

/** A supervisor's approval or rejection of another's classification proposal, with a comment. */
export function DecideModal({ proposal, contractNo, approve, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const form = useFormState({ comment: '' });
  const [busy, setBusy] = useState(false);
  async function submit() {
    if (!form.values.comment.trim()) return form.setErrors({ comment: t('validation.required') });
    setBusy(true);
    try {
      onDone(await invoke('classification.decide', { proposalId: proposal.id, approve, comment: form.values.comment.trim() }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={t('loan.classification.decideTitle', { contractNo })} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('loan.classification.proposeLevel')}
            </Text>
            <LevelBadge level={proposal.level} />
            <Text size="sm" c="dimmed">
              {t('loan.classification.proposer')}: {proposal.proposedBy}
            </Text>
          </Group>
          <Text size="sm">{proposal.reason}</Text>
          <Textarea label={t('loan.classification.comment')} required autosize minRows={2} maxLength={500} data-autofocus {...form.text('comment')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('portfolio.cancel')}
            </Button>
            <Button type="submit" color={approve ? 'green' : 'red'} loading={busy}>
              {approve ? t('loan.classification.approve') : t('loan.classification.reject')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
