import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import type { PrintOutcome } from './printPdf';

/** idle: not printed yet, or the dialog was cancelled; printing: the dialog is open; asked: did it print? */
export interface JobState {
  step: 'idle' | 'printing' | 'asked';
  outcome: PrintOutcome | null;
}

interface Props {
  parts: { state: 'open' | 'confirmed' | 'voided'; notices: unknown[] }[];
  /** Notices still to be printed and confirmed. */
  openCount: number;
  job: JobState;
  deciding: boolean;
  onPrint: () => void;
  onDecide: (printed: boolean) => void;
}

const HINTS = { cancelled: ['dimmed', 'noticesUi.dialogCancelled'], downloaded: ['orange.8', 'noticesUi.downloaded'], failed: ['red.8', 'noticesUi.printFailedHint'] } as const;

/** The prepared notices as one print job: one print button, then one question for all of them. */
export function PrintJobPanel({ parts, openCount, job, deciding, onPrint, onDecide }: Props) {
  const { t } = useTranslation();
  const count = (state: 'confirmed' | 'voided') => parts.filter((p) => p.state === state).reduce((n, p) => n + p.notices.length, 0);
  const confirmed = count('confirmed');
  const voided = count('voided');
  const hint = job.outcome && job.outcome !== 'printed' ? HINTS[job.outcome] : null;
  return (
    <Paper withBorder p="sm" data-testid="print-job" data-step={openCount === 0 ? 'decided' : job.step}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm">{t('noticesUi.oneJob', { count: openCount + confirmed + voided })}</Text>
          <Group gap="xs" wrap="nowrap">
            {confirmed > 0 && (
              <Badge color="green" variant="light" style={NO_SHRINK}>
                {t('noticesUi.confirmedCount', { count: confirmed })}
              </Badge>
            )}
            {voided > 0 && (
              <Badge color="gray" variant="light" style={NO_SHRINK}>
                {t('noticesUi.voidedCount', { count: voided })}
              </Badge>
            )}
            {openCount > 0 && (
              <Button size="xs" variant={job.step === 'asked' ? 'default' : 'filled'} loading={job.step === 'printing'} disabled={deciding} onClick={onPrint}>
                {job.step === 'asked' ? t('noticesUi.printAgain') : t('noticesUi.printAll', { count: openCount })}
              </Button>
            )}
          </Group>
        </Group>
        {openCount > 0 && hint && (
          <Text size="xs" c={hint[0]} data-testid="print-hint">
            {t(hint[1])}
          </Text>
        )}
        {openCount > 0 && job.step === 'asked' && (
          <Group gap="sm">
            <Text size="sm" fw={600}>
              {t('noticesUi.askAll', { count: openCount })}
            </Text>
            <Button size="xs" color="green" loading={deciding} onClick={() => onDecide(true)}>
              {t('noticesUi.printed')}
            </Button>
            <Button size="xs" variant="default" disabled={deciding} onClick={() => onDecide(false)}>
              {t('noticesUi.notPrinted')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
