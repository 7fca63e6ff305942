import { Button, Group, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrepaymentFeeRule } from '../../../shared/domain/settlement';
import { contract } from '../../../shared/ipc/contract';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { notifySuccess } from '../../lib/notify';

type Kind = PrepaymentFeeRule['kind'];
const ruleSchema = contract['repayments.setFeeRule'].shape.rule;

/**
 * 提前还款违约金, per product: none, a percentage of the principal repaid early, or months of interest on it. The
 * settlement and partial-prepayment quotes apply the rule of the loan's product; a settlement already posted keeps
 * the fee it was charged.
 */
export function PrepaymentFeesCard() {
  const { t } = useTranslation();
  const rules = useIpcQuery('repayments.feeRules', {}).data;
  const products = useIpcQuery('repayments.products', {}).data;
  if (!rules || !products) return null;
  const names = [...new Set([...products, ...Object.keys(rules)])].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  return (
    <Paper withBorder p="lg" maw={760} data-testid="prepayment-fees">
      <Stack gap="sm">
        <Title order={5}>{t('settings.fees.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('settings.fees.hint')}
        </Text>
        {names.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('settings.fees.noProducts')}
          </Text>
        ) : (
          <Table fz="sm" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.fees.product')}</Table.Th>
                <Table.Th>{t('settings.fees.rule')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {names.map((p) => (
                <FeeRow key={p} product={p} rule={rules[p] ?? { kind: 'none' }} />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

function FeeRow({ product, rule }: { product: string; rule: PrepaymentFeeRule }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>(rule.kind);
  const [percent, setPercent] = useState(rule.kind === 'percent' ? rule.percent : '');
  const [months, setMonths] = useState<number | string>(rule.kind === 'months' ? rule.months : 1);
  const save = useIpcMutation('repayments.setFeeRule');
  const candidate = kind === 'none' ? { kind } : kind === 'percent' ? { kind, percent: percent.trim() } : { kind, months: Number(months) };
  const checked = ruleSchema.safeParse(candidate);
  const changed = JSON.stringify(candidate) !== JSON.stringify(rule);
  return (
    <Table.Tr data-product={product}>
      <Table.Td>{product}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Select
            aria-label={t('settings.fees.rule')}
            w={200}
            allowDeselect={false}
            value={kind}
            onChange={(v) => v && setKind(v as Kind)}
            data={(['none', 'percent', 'months'] as Kind[]).map((k) => ({ value: k, label: t(`settings.fees.kind.${k}`) }))}
          />
          {kind === 'percent' && (
            <TextInput aria-label={t('settings.fees.percent')} w={120} rightSection="%" inputMode="decimal" value={percent} onChange={(e) => setPercent(e.currentTarget.value)} error={percent && !checked.success ? t('settings.fees.percentInvalid') : null} />
          )}
          {kind === 'months' && <NumberInput aria-label={t('settings.fees.months')} w={120} min={1} max={12} allowDecimal={false} suffix={t('settings.fees.monthsSuffix')} value={months} onChange={setMonths} />}
        </Group>
      </Table.Td>
      <Table.Td w={90}>
        <Button
          size="xs"
          variant="light"
          disabled={!changed || !checked.success}
          loading={save.isPending}
          onClick={async () => {
            if (!checked.success) return;
            await save.mutateAsync({ product, rule: checked.data });
            notifySuccess(t('settings.fees.saved', { product }));
          }}
        >
          {t('settings.fees.save')}
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
