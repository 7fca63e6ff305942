import { Alert, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import type { LimitationEvidence, LimitationView } from '../../../shared/ipc/collections';
import { contract } from '../../../shared/ipc/contract';
import type { LoanDetail } from '../../../shared/ipc/loans';
import { BusinessDateInput } from '../../components/BusinessDateInput';
import { Fact } from '../../components/Fields';
import { ModalForm } from '../../components/ModalForm';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { formatDay } from '../../lib/format';
import { notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';

type Warning = LimitationView['warning'];
const WARNING_COLORS: Record<NonNullable<Warning> | 'none', string> = { expired: 'red', '30': 'red', '90': 'orange', '180': 'yellow', none: 'green' };
const STRENGTH_COLORS: Record<LimitationEvidence['strength'], string> = { strong: 'green', medium: 'blue', weak: 'gray' };
const EVENT_KINDS = ['extension-request', 'lawsuit', 'other-demand'] as const;

/** The loan's 诉讼时效 tab: when the claim lapses, why, and the guarantors' own periods. */
export function LimitationTab({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const canWrite = useCan('collections.write');
  const loanId = detail.loan.id;
  // The evidence is described by main in the user's language: a language switch refetches (App.tsx).
  const { data: view } = useIpcQuery('limitation.forLoan', { loanId });
  const [adding, setAdding] = useState(false);
  if (!view) return null;
  const w = view.warning ?? 'none';
  const color = WARNING_COLORS[w];
  return (
    <Stack gap="md">
      <Paper withBorder p="md" bg={w === 'none' ? undefined : `${color}.0`} data-testid="limitation-summary" data-warning={w}>
        <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="md">
          <Fact label={t('limitationUi.expiry')}>
            <Text fz="lg" fw={700} c={w === 'none' ? undefined : `${color}.8`} data-testid="limitation-expiry" data-date={view.expiry}>
              {formatDay(view.expiry, locale)}
            </Text>
          </Fact>
          <Fact label={t('limitationUi.daysLeft')}>
            <Text fz="lg" fw={700} c={w === 'none' ? undefined : `${color}.8`} data-testid="limitation-days">
              {view.daysLeft >= 0 ? t('limitationUi.daysLeftValue', { days: view.daysLeft }) : t('limitationUi.expiredDays', { days: -view.daysLeft })}
            </Text>
          </Fact>
          <Fact label={t('limitationUi.status')}>
            <Badge color={color} variant={w === 'none' ? 'light' : 'filled'} size="lg" radius="sm" style={NO_SHRINK} data-testid="limitation-warning">
              {t(`limitationUi.warning.${w}`)}
            </Badge>
          </Fact>
          <Fact label={t('limitationUi.runsFrom')}>{formatDay(view.runsFrom, locale)}</Fact>
        </SimpleGrid>
        {(w === 'expired' || w === '30' || w === '90') && (
          <Alert color={color} variant="light" mt="sm" p="xs">
            {t(`limitationUi.advice.${w}`)}
          </Alert>
        )}
      </Paper>

      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4} size="h5">
            {t('limitationUi.evidence')}
          </Title>
          {canWrite && (
            <Button size="xs" variant="light" onClick={() => setAdding(true)}>
              {t('limitationUi.addEvent')}
            </Button>
          )}
        </Group>
        <Table fz="sm" verticalSpacing={5} striped data-testid="limitation-evidence">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('limitationUi.date')}</Table.Th>
              <Table.Th>{t('limitationUi.kind')}</Table.Th>
              <Table.Th>{t('limitationUi.description')}</Table.Th>
              <Table.Th>{t('limitationUi.strength')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.evidence.map((e, i) => (
              <Table.Tr key={i}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(e.date, locale)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`limitationUi.kindLabel.${e.kind}`)}</Table.Td>
                <Table.Td>{e.description}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={STRENGTH_COLORS[e.strength]} style={NO_SHRINK}>
                    {t(`limitationUi.strengthLabel.${e.strength}`)}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>

      <Stack gap="xs">
        <Title order={4} size="h5">
          {t('limitationUi.guarantors')}
        </Title>
        {view.guarantors.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="sm">
            {t('limitationUi.guarantorsEmpty')}
          </Text>
        ) : (
          <Table fz="sm" verticalSpacing={5} striped data-testid="limitation-guarantors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('limitationUi.guarantor')}</Table.Th>
                <Table.Th>{t('limitationUi.periodEnd')}</Table.Th>
                <Table.Th>{t('limitationUi.demandedOn')}</Table.Th>
                <Table.Th>{t('limitationUi.guarantorExpiry')}</Table.Th>
                <Table.Th>{t('limitationUi.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.guarantors.map((g, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{g.name}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDay(g.guaranteePeriodEnd, locale)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{g.demandedOn ? formatDay(g.demandedOn, locale) : t('limitationUi.notDemanded')}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{g.expiry ? formatDay(g.expiry, locale) : '—'}</Table.Td>
                  <Table.Td>
                    {g.lapsed ? (
                      <Badge size="sm" color="red" style={NO_SHRINK}>
                        {t('limitationUi.lapsed')}
                      </Badge>
                    ) : g.demandedOn ? (
                      <Badge size="sm" color="green" variant="light" style={NO_SHRINK}>
                        {t('limitationUi.demanded')}
                      </Badge>
                    ) : (
                      <Badge size="sm" color="orange" variant="light" style={NO_SHRINK}>
                        {t('limitationUi.running')}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text size="xs" c="dimmed">
          {t('limitationUi.guarantorHint')}
        </Text>
      </Stack>
      {adding && (
        <EventModal
          loanId={loanId}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            notifySuccess(t('limitationUi.eventSaved'));
          }}
        />
      )}
    </Stack>
  );
}

type EventKind = (typeof EVENT_KINDS)[number];
const eventSchema = contract['limitation.addEvent'];

function EventModal({ loanId, onClose, onSaved }: { loanId: number; onClose: () => void; onSaved: (v: LimitationView) => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ kind: EventKind; eventDate: string; note: string }, typeof eventSchema>(eventSchema, {
    initialValues: { kind: 'other-demand', eventDate: todayIn(), note: '' },
    fixed: { loanId },
  });
  const add = useIpcMutation('limitation.addEvent');
  return (
    <ModalForm
      title={t('limitationUi.addEvent')}
      onClose={onClose}
      form={form}
      busy={add.isPending}
      submitLabel={t('portfolio.save')}
      cancelLabel={t('portfolio.cancel')}
      onSubmit={async () => onSaved(await add.mutateAsync(form.toInput()!))}
    >
      <SimpleGrid cols={2}>
        <Select
          label={t('limitationUi.eventKind')}
          required
          data={EVENT_KINDS.map((k) => ({ value: k, label: t(`limitationUi.kindLabel.${k}`) }))}
          allowDeselect={false}
          {...form.getInputProps('kind')}
        />
        <BusinessDateInput label={t('limitationUi.eventDate')} required {...form.getInputProps('eventDate')} value={form.values.eventDate} />
      </SimpleGrid>
      <Textarea label={t('limitationUi.eventNote')} required maxLength={500} autosize minRows={2} placeholder={t('limitationUi.eventNoteHint')} data-autofocus {...form.getInputProps('note')} />
    </ModalForm>
  );
}
