import { BarChart, LineChart } from '@mantine/charts';
import { Badge, Card, Group, SegmentedControl, SimpleGrid, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DPD_BUCKETS, LEVEL_LABELS, LEVELS } from '../../../shared/domain';
import type { Concentration, CountBalance, MigrationMatrix, ShareRow, Vintage } from '../../../shared/ipc/managementReports';
import { useLocale } from '../../lib/appInfo';
import { yuan } from '../../lib/money';
import { bpAsPercent } from './Provisioning';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
const SERIES_COLORS = ['blue.6', 'orange.6', 'teal.6', 'grape.6', 'red.6', 'cyan.6', 'lime.6', 'pink.6', 'indigo.6', 'yellow.6'];

/** A chart's axis labels at 12 px: a CJK character about 12 px wide, any other about 7; 20 px more beside the axis. */
const textWidth = (l: string) => [...l].reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 12 : 7), 0);
const LABEL_ROOM = 220;
/** Room for the longest label; one longer than LABEL_ROOM is cut with … (the table below has it whole). */
const axisWidth = (labels: string[]) => 20 + Math.min(LABEL_ROOM, Math.max(0, ...labels.map(textWidth)));
const fitAxis = (l: string) => {
  if (textWidth(l) <= LABEL_ROOM) return l;
  let out = [...l];
  while (out.length > 1 && textWidth(out.join('')) + 12 > LABEL_ROOM) out = out.slice(0, -1);
  return `${out.join('')}…`;
};

/** A section whose title carries its definition on hover. */
export function DefSection({ title, def, testId, right, children }: { title: string; def: string; testId?: string; right?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Tooltip label={def} multiline w={340} withArrow>
          <Title order={3} size="h5" tabIndex={0} style={{ textDecoration: 'underline dotted', cursor: 'help' }}>
            {title}
          </Title>
        </Tooltip>
        {right}
      </Group>
      {children}
    </Card>
  );
}

type Measure = 'count' | 'balance';

function MeasureToggle({ value, onChange, testId }: { value: Measure; onChange: (m: Measure) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      value={value}
      onChange={(v) => onChange(v as Measure)}
      data-testid={testId}
      data={[
        { value: 'count', label: t('managementReports.analysis.byCount') },
        { value: 'balance', label: t('managementReports.analysis.byBalance') },
      ]}
    />
  );
}

/**
 * A migration matrix, colour-coded: green where loans moved to a better state, red to a worse one (the deeper,
 * the larger the cell's share of its row), grey where they stayed; closed is better, written off worse.
 */
function Matrix<F extends string, T extends string>({
  rows,
  from,
  to,
  label,
  measure,
  testId,
  fromLabel,
}: {
  rows: { from: F; to: Record<T, CountBalance> }[];
  from: readonly F[];
  to: readonly T[];
  label: (k: F | T) => string;
  measure: Measure;
  testId: string;
  fromLabel: string;
}) {
  const rank = (k: string) => (k === 'closed' ? -1 : k === 'written-off' ? 1000 : (from as readonly string[]).indexOf(k));
  const v = (c: CountBalance) => (measure === 'count' ? c.count : c.balanceFen);
  return (
    <Table.ScrollContainer minWidth={measure === 'count' ? 480 : 900} type="native">
      <Table fz="xs" verticalSpacing={2} horizontalSpacing={5} withColumnBorders data-testid={testId} data-measure={measure}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{fromLabel}</Table.Th>
            {to.map((c) => (
              <Table.Th key={c} ta="right">
                {label(c)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => {
            const total = to.reduce((n, c) => n + v(r.to[c]), 0);
            return (
              <Table.Tr key={r.from}>
                <Table.Td fw={600}>{label(r.from)}</Table.Td>
                {to.map((c) => {
                  const x = v(r.to[c]);
                  const d = rank(c) - rank(r.from);
                  const shade = total && x ? Math.min(4, 1 + Math.floor((x / total) * 4)) : 0;
                  const color = !shade ? undefined : d === 0 ? `var(--mantine-color-gray-${shade})` : d < 0 ? `var(--mantine-color-teal-${shade})` : `var(--mantine-color-red-${shade})`;
                  return (
                    <Table.Td key={c} ta="right" bg={color} c={x ? undefined : 'dimmed'} data-move={x ? (d === 0 ? 'same' : d < 0 ? 'better' : 'worse') : undefined}>
                      {measure === 'count' ? x : yuan(x)}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function MigrationSection({ mig }: { mig: MigrationMatrix }) {
  const { t } = useTranslation();
  const lang = useLocale() === 'en' ? 'en' : 'zh';
  const [measure, setMeasure] = useState<Measure>('count');
  const gone = (k: string) => (k === 'closed' ? t('managementReports.col.closed') : t('managementReports.col.writtenOff'));
  const classLabel = (k: string) => (k in LEVEL_LABELS ? LEVEL_LABELS[k as keyof typeof LEVEL_LABELS][lang] : gone(k));
  const bucketLabel = (k: string) => ((DPD_BUCKETS as readonly string[]).includes(k) ? k : gone(k));
  return (
    <DefSection
      title={`${t('managementReports.table.migration')}${t('app.colon')}${mig.fromAsOf} → ${mig.asOf}`}
      def={t('managementReports.analysis.migrationDef')}
      testId="mr-migration-section"
      right={<MeasureToggle value={measure} onChange={setMeasure} testId="mr-migration-measure" />}
    >
      {/* Amounts need the card's whole width: by balance the two matrices stand one above the other. */}
      <SimpleGrid cols={measure === 'count' ? { base: 1, lg: 2 } : 1} spacing="md">
        <div>
          <Text size="sm" fw={600} mb={4}>
            {t('managementReports.analysis.byClass')}
          </Text>
          <Matrix rows={mig.byClass} from={LEVELS} to={[...LEVELS, 'closed', 'written-off'] as const} label={classLabel} measure={measure} testId="mr-migration" fromLabel={t('managementReports.col.from')} />
        </div>
        <div>
          <Text size="sm" fw={600} mb={4}>
            {t('managementReports.analysis.byBucket')}
          </Text>
          <Matrix rows={mig.byBucket} from={DPD_BUCKETS} to={[...DPD_BUCKETS, 'closed', 'written-off'] as const} label={bucketLabel} measure={measure} testId="mr-migration-buckets" fromLabel={t('managementReports.analysis.fromBucket')} />
        </div>
      </SimpleGrid>
      <Group gap="md" mt="xs">
        <Text size="xs" c="dimmed">
          {t('managementReports.col.newLoans')}{t('app.colon')}{mig.newLoans.count} · {yuan(mig.newLoans.balanceFen)}
        </Text>
        <Text size="xs" c="dimmed">
          {t('managementReports.analysis.legend')}
        </Text>
      </Group>
    </DefSection>
  );
}

function ShareTable({ rows, keyLabel, testId, empty, flag }: { rows: (ShareRow & { breach?: boolean; relatedParty?: boolean })[]; keyLabel: string; testId: string; empty?: string; flag?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table fz="sm" verticalSpacing={3} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{keyLabel}</Table.Th>
          <Table.Th ta="right">{t('managementReports.col.count')}</Table.Th>
          <Table.Th ta="right">{t('managementReports.col.balance')}</Table.Th>
          <Table.Th ta="right">{t('managementReports.col.share')}</Table.Th>
          {flag && <Table.Th />}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={flag ? 5 : 4} c="dimmed">
              {t('managementReports.analysis.none')}
            </Table.Td>
          </Table.Tr>
        )}
        {rows.map((r) => (
          <Table.Tr key={r.key} data-breach={r.breach || undefined}>
            <Table.Td>
              {r.key || empty}
              {r.relatedParty && (
                <Badge ml={6} size="xs" color="orange" variant="light">
                  {t('managementReports.analysis.related')}
                </Badge>
              )}
            </Table.Td>
            <Table.Td ta="right">{r.count}</Table.Td>
            <Table.Td ta="right">{yuan(r.balanceFen)}</Table.Td>
            <Table.Td ta="right">{pct(r.share)}</Table.Td>
            {flag && (
              <Table.Td>
                {r.breach && (
                  <Badge color="red" size="sm" variant="filled">
                    {t('managementReports.analysis.breach')}
                  </Badge>
                )}
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ConcentrationSection({ conc }: { conc: Concentration }) {
  const { t } = useTranslation();
  const chart = (rows: ShareRow[], testId: string) => (
    <BarChart
      h={Math.max(120, rows.length * 28)}
      data={rows.map((r) => ({ key: r.key || t('managementReports.analysis.unset'), yuan: r.balanceFen / 100 }))}
      dataKey="key"
      orientation="vertical"
      yAxisProps={{ width: axisWidth(rows.map((r) => r.key || t('managementReports.analysis.unset'))), tickFormatter: fitAxis }}
      series={[{ name: 'yuan', label: t('managementReports.col.balance'), color: 'blue.6' }]}
      valueFormatter={(v) => v.toLocaleString('en-US', { maximumFractionDigits: 0 })}
      data-testid={testId}
    />
  );
  const f = conc.factoring;
  return (
    <>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <DefSection title={t('managementReports.analysis.byIndustry')} def={t('managementReports.analysis.industryDef')} testId="mr-industry-section">
          {chart(conc.byIndustry, 'mr-industry-chart')}
          <ShareTable rows={conc.byIndustry} keyLabel={t('managementReports.analysis.industry')} testId="mr-industry" empty={t('managementReports.analysis.unset')} />
        </DefSection>
        <DefSection title={t('managementReports.analysis.byProduct')} def={t('managementReports.analysis.productDef')} testId="mr-product-section">
          {chart(conc.byProduct, 'mr-product-chart')}
          <ShareTable rows={conc.byProduct} keyLabel={t('managementReports.analysis.product')} testId="mr-product" />
        </DefSection>
      </SimpleGrid>
      <DefSection
        title={t('managementReports.analysis.factoring')}
        def={t('managementReports.analysis.factoringDef')}
        testId="mr-factoring-section"
        right={
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              {t('managementReports.analysis.limits', { debtor: bpAsPercent(f.limits.debtorMaxBp), related: bpAsPercent(f.limits.relatedMaxBp) })}
            </Text>
            <Badge color={f.breaches ? 'red' : 'teal'} variant="light" data-testid="mr-factoring-breaches">
              {t('managementReports.analysis.breaches', { count: f.breaches })}
            </Badge>
          </Group>
        }
      >
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <div>
            <Text size="sm" fw={600} mb={4}>
              {t('managementReports.analysis.byDebtor')}
            </Text>
            <ShareTable rows={f.byDebtor} keyLabel={t('managementReports.analysis.debtor')} testId="mr-debtors" empty={t('managementReports.analysis.noReceivables')} flag />
          </div>
          <div>
            <Text size="sm" fw={600} mb={4}>
              {t('managementReports.analysis.bySeller')}
            </Text>
            <ShareTable rows={f.bySeller} keyLabel={t('managementReports.analysis.seller')} testId="mr-sellers" />
          </div>
        </SimpleGrid>
        <Group gap="xs" mt="xs" data-testid="mr-related" data-breach={f.relatedParty.breach || undefined}>
          <Text size="sm">
            {f.relatedParty.debtors === 0
              ? t('managementReports.analysis.relatedNone')
              : t('managementReports.analysis.relatedTotal', { count: f.relatedParty.debtors, amount: yuan(f.relatedParty.balanceFen), share: pct(f.relatedParty.share), limit: bpAsPercent(f.limits.relatedMaxBp) })}
          </Text>
          {f.relatedParty.breach && (
            <Badge color="red" size="sm" variant="filled">
              {t('managementReports.analysis.breach')}
            </Badge>
          )}
        </Group>
      </DefSection>
    </>
  );
}

export function VintageSection({ v }: { v: Vintage }) {
  const { t } = useTranslation();
  const maxMob = Math.max(0, ...v.curves.flatMap((c) => c.points.map((p) => p.mob)));
  const mobs = Array.from({ length: maxMob }, (_, i) => i + 1);
  const data = mobs.map((m) => ({
    mob: m,
    ...Object.fromEntries(
      v.curves.map((c) => {
        const p = c.points.find((x) => x.mob === m);
        return [c.vintage, p && p.ratio !== null ? Math.round(p.ratio * 10_000) / 100 : null];
      }),
    ),
  }));
  return (
    <DefSection title={t('managementReports.table.vintage')} def={t('managementReports.analysis.vintageDef')} testId="mr-vintage-section">
      {v.curves.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('managementReports.analysis.noCurves')}
        </Text>
      ) : (
        <LineChart
          h={240}
          data={data}
          dataKey="mob"
          unit="%"
          curveType="linear"
          withLegend
          xAxisLabel={t('managementReports.analysis.mob')}
          series={v.curves.map((c, i) => ({ name: c.vintage, color: SERIES_COLORS[i % SERIES_COLORS.length] }))}
          data-testid="mr-vintage-chart"
        />
      )}
      <Table.ScrollContainer minWidth={560} mt="sm">
        <Table styles={{ th: { whiteSpace: 'nowrap' } }} fz="xs" verticalSpacing={2} withColumnBorders data-testid="mr-vintage-curves">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('managementReports.analysis.vintage')}</Table.Th>
              {mobs.map((m) => (
                <Table.Th key={m} ta="right">
                  {m}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {v.curves.map((c) => (
              <Table.Tr key={c.vintage}>
                <Table.Td fw={600}>{c.vintage}</Table.Td>
                {mobs.map((m) => {
                  const p = c.points.find((x) => x.mob === m);
                  return (
                    <Table.Td key={m} ta="right" c={p ? undefined : 'dimmed'}>
                      {p ? (
                        <Tooltip label={`${p.asOf} · ${yuan(p.over30Fen)}`} withArrow>
                          <span>{pct(p.ratio)}</span>
                        </Tooltip>
                      ) : (
                        ''
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Table styles={{ th: { whiteSpace: 'nowrap' } }} fz="sm" verticalSpacing={3} mt="sm" data-testid="mr-vintage">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('managementReports.analysis.vintage')}</Table.Th>
            <Table.Th ta="right">{t('managementReports.col.count')}</Table.Th>
            <Table.Th ta="right">{t('managementReports.analysis.principal')}</Table.Th>
            <Table.Th ta="right">{t('managementReports.col.balance')}</Table.Th>
            <Table.Th ta="right">{t('managementReports.kpi.overdueBalance')}</Table.Th>
            <Table.Th ta="right">{t('managementReports.kpi.nplBalance')}</Table.Th>
            <Table.Th ta="right">{t('managementReports.analysis.nplOfPrincipal')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {v.rows.map((r) => (
            <Table.Tr key={r.vintage}>
              <Table.Td>{r.vintage}</Table.Td>
              <Table.Td ta="right">{r.loans}</Table.Td>
              <Table.Td ta="right">{yuan(r.principalFen)}</Table.Td>
              <Table.Td ta="right">{yuan(r.balanceFen)}</Table.Td>
              <Table.Td ta="right">{yuan(r.overdueBalanceFen)}</Table.Td>
              <Table.Td ta="right">{yuan(r.nplBalanceFen)}</Table.Td>
              <Table.Td ta="right">{pct(r.nplOfPrincipal)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </DefSection>
  );
}
