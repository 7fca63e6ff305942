import { Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { LEVEL_LABELS, LEVELS, type ClassificationLevel } from '../../../shared/domain';
import { fractionAsPercent } from '../../../shared/domain/decimal';
import type { ProvisionRates } from '../../../shared/domain/provisioning';
import { contract } from '../../../shared/ipc/contract';
import type { Kpis } from '../../../shared/ipc/managementReports';
import { ModalForm } from '../../components/ModalForm';
import { useLocale } from '../../lib/appInfo';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { yuanField } from '../../lib/forms/yuanField';
import { yuan } from '../../lib/money';
import { useCan } from '../../lib/session';

/** Basis points as a per cent, exactly: 150 → "1.5%", 2500 → "25%". */
export const bpAsPercent = (bp: number) => `${fractionAsPercent(String(bp / 10_000))}%`;
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);

/**
 * A per cent typed as text ("1.5", "25", "0.25 %") turned into basis points exactly (at most two decimals; never
 * rounded), then held to the contract's own rule for a rate in basis points.
 */
export function percentBpField(bpRule: z.ZodType<number, number>, t: TFunction) {
  return z
    .string()
    .transform((text, ctx) => {
      const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(text);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: t('managementReports.provisioning.percentInvalid'), params: { worded: true } });
        return z.NEVER;
      }
      return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
    })
    .pipe(bpRule);
}

type RateValues = { byLevel: Record<ClassificationLevel, string>; factoringReserveMinBp: string };
const asText = (bp: number) => fractionAsPercent(String(bp / 10_000));

/** The administrator's form for the provisioning rates per class and the factoring reserve floor. */
export function ProvisionRatesModal({ rates, onClose }: { rates: ProvisionRates; onClose: () => void }) {
  const { t } = useTranslation();
  const contractSchema = contract['managementReports.setProvisionRates'];
  const schema = useMemo(() => {
    const level = contractSchema.shape.byLevel.shape.normal;
    return z
      .object({
        byLevel: z.object(Object.fromEntries(LEVELS.map((l) => [l, percentBpField(level, t)])) as Record<ClassificationLevel, ReturnType<typeof percentBpField>>).strict(),
        factoringReserveMinBp: percentBpField(contractSchema.shape.factoringReserveMinBp, t),
      })
      .strict();
  }, [contractSchema, t]);
  const form = useContractForm<RateValues, typeof schema>(schema, {
    initialValues: { byLevel: Object.fromEntries(LEVELS.map((l) => [l, asText(rates.byLevel[l])])) as Record<ClassificationLevel, string>, factoringReserveMinBp: asText(rates.factoringReserveMinBp) },
  });
  const save = useIpcMutation('managementReports.setProvisionRates');
  const lang = useLocale() === 'en' ? 'en' : 'zh';
  return (
    <ModalForm
      title={t('managementReports.provisioning.ratesTitle')}
      onClose={onClose}
      form={form}
      busy={save.isPending}
      submitLabel={t('managementReports.provisioning.save')}
      onSubmit={async () => {
        await save.mutateAsync(form.toInput()!);
        onClose();
      }}
    >
      <Text size="sm" c="dimmed">
        {t('managementReports.provisioning.ratesHint')}
      </Text>
      <SimpleGrid cols={2} spacing="sm">
        {LEVELS.map((l, i) => (
          <TextInput key={l} label={LEVEL_LABELS[l][lang]} rightSection="%" data-autofocus={i === 0 || undefined} data-testid={`rate-${l}`} {...form.getInputProps(`byLevel.${l}`)} />
        ))}
        <TextInput label={t('managementReports.provisioning.factoringMin')} description={t('managementReports.provisioning.factoringMinHint')} rightSection="%" data-testid="rate-factoring" {...form.getInputProps('factoringReserveMinBp')} />
      </SimpleGrid>
    </ModalForm>
  );
}

/** Records the provision held (booked) for a date. */
function ProvisionHeldModal({ asOf, onClose, onSaved }: { asOf: string; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const contractSchema = contract['managementReports.recordProvisionHeld'];
  const schema = useMemo(
    () => z.object({ asOf: contractSchema.shape.asOf, heldFen: yuanField(contractSchema.shape.heldFen, { t, locale, allowZero: true }), note: contractSchema.shape.note }).strict(),
    [contractSchema, t, locale],
  );
  const form = useContractForm<{ heldFen: string; note: string }, typeof schema>(schema, { initialValues: { heldFen: '', note: '' }, fixed: { asOf } });
  const record = useIpcMutation('managementReports.recordProvisionHeld');
  return (
    <ModalForm
      title={t('managementReports.provisioning.recordTitle', { date: asOf })}
      onClose={onClose}
      form={form}
      busy={record.isPending}
      submitLabel={t('managementReports.provisioning.save')}
      onSubmit={async () => {
        await record.mutateAsync(form.toInput()!);
        onSaved();
        onClose();
      }}
    >
      <Text size="sm" c="dimmed">
        {t('managementReports.provisioning.recordHint')}
      </Text>
      <TextInput label={t('managementReports.provisioning.heldAmount')} required data-autofocus data-testid="held-amount" {...form.getInputProps('heldFen')} />
      <TextInput label={t('managementReports.provisioning.note')} maxLength={500} {...form.getInputProps('note')} />
    </ModalForm>
  );
}

function Def({ k, children }: { k: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t(`managementReports.def.${k}` as never)} multiline w={300} withArrow>
      <Text span size="sm" style={{ textDecoration: 'underline dotted', cursor: 'help' }} tabIndex={0}>
        {children}
      </Text>
    </Tooltip>
  );
}

/** Provision required (per class, the factoring floor) against held, and the coverage ratio with its basis. */
export function ProvisioningSection({ k, onChanged }: { k: Kpis; onChanged: () => void }) {
  const { t } = useTranslation();
  const lang = useLocale() === 'en' ? 'en' : 'zh';
  const canRecord = useCan('portfolio.reports');
  const canSetRates = useCan('settings.manage');
  const [recording, setRecording] = useState(false);
  const [editing, setEditing] = useState(false);
  const current = useIpcQuery('managementReports.provisionRates', {}, { enabled: canSetRates });
  return (
    <Card withBorder padding="md" data-testid="mr-provisioning">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5">
          {t('managementReports.table.provisions')}
        </Title>
        <Group gap="xs">
          {canSetRates && (
            <Button size="xs" variant="default" onClick={() => setEditing(true)} disabled={!current.data}>
              {t('managementReports.provisioning.setRates')}
            </Button>
          )}
          {canRecord && (
            <Button size="xs" variant="light" data-testid="mr-record-held" onClick={() => setRecording(true)}>
              {t('managementReports.provisioning.record')}
            </Button>
          )}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Table fz="sm" verticalSpacing={4} data-testid="mr-provision-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('managementReports.col.class')}</Table.Th>
              <Table.Th ta="right">{t('managementReports.col.rate')}</Table.Th>
              <Table.Th ta="right">{t('managementReports.col.balance')}</Table.Th>
              <Table.Th ta="right">{t('managementReports.col.provision')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {LEVELS.map((l) => (
              <Table.Tr key={l} data-level={l}>
                <Table.Td>{LEVEL_LABELS[l][lang]}</Table.Td>
                <Table.Td ta="right">{bpAsPercent(k.byClass[l].provisionRateBp)}</Table.Td>
                <Table.Td ta="right">{yuan(k.byClass[l].balanceFen)}</Table.Td>
                <Table.Td ta="right">{yuan(k.byClass[l].provisionFen)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr data-testid="mr-factoring-floor">
              <Table.Td>
                <Def k="factoringFloor">{t('managementReports.col.factoringFloor')}</Def>
              </Table.Td>
              <Table.Td ta="right">{bpAsPercent(k.rates.factoringReserveMinBp)}</Table.Td>
              <Table.Td ta="right">{yuan(k.factoring.balanceFen)}</Table.Td>
              <Table.Td ta="right">{yuan(k.factoring.reserveMinFen)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Stack gap={6}>
          <Group justify="space-between">
            <Def k="provisionRequired">{t('managementReports.kpi.provisionRequired')}</Def>
            <Text fw={600} data-testid="mr-required">
              {yuan(k.provisionRequiredFen)}
            </Text>
          </Group>
          <Group justify="space-between">
            <Def k="provisionHeld">{t('managementReports.kpi.provisionHeld')}</Def>
            <Text fw={600} data-testid="mr-held">
              {k.provisionHeldFen === null ? t('managementReports.provisioning.notRecorded') : yuan(k.provisionHeldFen)}
            </Text>
          </Group>
          {k.provisionHeldFen !== null && (
            <Group justify="space-between">
              <Text size="sm">{t('managementReports.provisioning.shortfall')}</Text>
              <Text fw={600} c={k.provisionHeldFen < k.provisionRequiredFen ? 'red' : 'teal'} data-testid="mr-shortfall">
                {yuan(k.provisionHeldFen - k.provisionRequiredFen)}
              </Text>
            </Group>
          )}
          <Group justify="space-between">
            <Def k="coverageRatio">{t('managementReports.kpi.coverageRatio')}</Def>
            <Group gap="xs">
              <Badge variant="light" color={k.coverageBasis === 'held' ? 'blue' : 'gray'} data-testid="mr-coverage-basis">
                {t(`managementReports.provisioning.basis.${k.coverageBasis}`)}
              </Badge>
              <Text fw={700} data-testid="mr-coverage">
                {pct(k.coverageRatio)}
              </Text>
            </Group>
          </Group>
          <Group justify="space-between">
            <Def k="provisionRatio">{t('managementReports.kpi.provisionRatio')}</Def>
            <Text fw={600} data-testid="mr-provision-ratio">
              {pct(k.provisionRatio)}
            </Text>
          </Group>
          {k.source === 'snapshot' && (
            <Text size="xs" c="dimmed">
              {t('managementReports.provisioning.snapshotRates')}
            </Text>
          )}
        </Stack>
      </SimpleGrid>
      {recording && <ProvisionHeldModal asOf={k.asOf} onClose={() => setRecording(false)} onSaved={onChanged} />}
      {editing && current.data && (
        <ProvisionRatesModal
          rates={current.data}
          onClose={() => {
            setEditing(false);
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

/** On the settings page: the rates now in force, and the administrator's form. */
export function ProvisionRatesCard() {
  const { t } = useTranslation();
  const lang = useLocale() === 'en' ? 'en' : 'zh';
  const q = useIpcQuery('managementReports.provisionRates', {});
  const [editing, setEditing] = useState(false);
  return (
    <Card withBorder padding="lg" maw={560} data-testid="provision-rates">
      <Group justify="space-between" mb="sm">
        <Title order={5}>{t('managementReports.provisioning.ratesTitle')}</Title>
        <Button size="xs" variant="light" disabled={!q.data} onClick={() => setEditing(true)} data-testid="provision-rates-edit">
          {t('managementReports.provisioning.setRates')}
        </Button>
      </Group>
      {!q.data ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : (
        <Table fz="sm" verticalSpacing={2}>
          <Table.Tbody>
            {LEVELS.map((l) => (
              <Table.Tr key={l}>
                <Table.Td>{LEVEL_LABELS[l][lang]}</Table.Td>
                <Table.Td ta="right" data-testid={`provision-rate-${l}`}>
                  {bpAsPercent(q.data.byLevel[l])}
                </Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td>{t('managementReports.provisioning.factoringMin')}</Table.Td>
              <Table.Td ta="right" data-testid="provision-rate-factoring">
                {bpAsPercent(q.data.factoringReserveMinBp)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        {t('managementReports.provisioning.ratesHint')}
      </Text>
      {editing && q.data && <ProvisionRatesModal rates={q.data} onClose={() => setEditing(false)} />}
    </Card>
  );
}
