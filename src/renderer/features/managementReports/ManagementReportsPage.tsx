import { BarChart, LineChart } from '@mantine/charts';
import { Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, DPD_BUCKETS, LEVEL_LABELS, LEVELS, todayIn } from '../../../shared/domain';
import { contract } from '../../../shared/ipc/contract';
import type { Kpis } from '../../../shared/ipc/managementReports';
import { ModalForm } from '../../components/ModalForm';
import { BucketBadge, LevelBadge } from '../../components/PortfolioBadges';
import { PageHeader } from '../../components/PageHeader';
import { useLocale } from '../../lib/appInfo';
import { downloadBase64 } from '../../lib/download';
import { formatDateTime, formatDay } from '../../lib/format';
import { useIpcCall, useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { dateError, LEVEL_COLORS } from '../../lib/labels';
import { yuan } from '../../lib/money';
import { notifyError } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { ConcentrationSection, MigrationSection, VintageSection } from './Analysis';
import { bpAsPercent, ProvisioningSection } from './Provisioning';
import '@mantine/charts/styles.css';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The last month-end before today. */
const lastMonthEnd = () => addDays(`${todayIn().slice(0, 7)}-01`, -1);
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
const share = (part: number, whole: number) => pct(whole ? part / whole : null);

type KpiKey = 'loans' | 'balance' | 'overdueBalance' | 'overdueRate' | 'overdueCountRate' | 'nplBalance' | 'nplRatio' | 'provisionRequired' | 'provisionHeld' | 'coverageRatio' | 'writeOffs' | 'recoveries' | 'promisesKept' | 'receiptsInTime' | 'inspectionsOnTime' | 'reportsSignedOnTime' | 'openWarnings';

function KpiCard({ k, value, sub }: { k: KpiKey; value: string; sub?: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t(`managementReports.def.${k}`)} multiline w={300} withArrow>
      <Card withBorder padding="sm" data-testid={`kpi-${k}`} tabIndex={0}>
        <Text size="xs" c="dimmed">
          {t(`managementReports.kpi.${k}`)}
        </Text>
        <Text fw={700} size="lg">
          {value}
        </Text>
        {sub && (
          <Text size="xs" c="dimmed">
            {sub}
          </Text>
        )}
      </Card>
    </Tooltip>
  );
}

function Kpicards({ k }: { k: Kpis }) {
  const { t } = useTranslation();
  const a = k.activity;
  const rc = (x: { due: number; met: number; rate: number | null }) => ({ value: pct(x.rate), sub: `${x.met} / ${x.due}` });
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
      <KpiCard k="loans" value={String(k.loans)} />
      <KpiCard k="balance" value={yuan(k.balanceFen)} />
      <KpiCard k="overdueBalance" value={yuan(k.overdueBalanceFen)} sub={`${t('managementReports.col.count')}${t('app.colon')}${k.overdueLoans}`} />
      <KpiCard k="overdueRate" value={pct(k.overdueRate)} sub={`${t('managementReports.kpi.overdueCountRate')}${t('app.colon')}${pct(k.overdueCountRate)}`} />
      <KpiCard k="nplBalance" value={yuan(k.nplBalanceFen)} sub={`${t('managementReports.col.count')}${t('app.colon')}${k.nplLoans}`} />
      <KpiCard k="nplRatio" value={pct(k.nplRatio)} />
      <KpiCard k="provisionRequired" value={yuan(k.provisionRequiredFen)} />
      <KpiCard k="provisionHeld" value={k.provisionHeldFen === null ? '—' : yuan(k.provisionHeldFen)} />
      <KpiCard k="coverageRatio" value={pct(k.coverageRatio)} sub={`${t('managementReports.kpi.provisionRatio')}${t('app.colon')}${pct(k.provisionRatio)}`} />
      <KpiCard k="writeOffs" value={yuan(a.writeOffs.balanceFen)} sub={`${t('managementReports.col.count')}${t('app.colon')}${a.writeOffs.count}`} />
      <KpiCard k="recoveries" value={yuan(a.recoveries.amountFen)} sub={`${t('managementReports.col.count')}${t('app.colon')}${a.recoveries.count}`} />
      <KpiCard k="promisesKept" {...rc(a.promises)} />
      <KpiCard k="receiptsInTime" {...rc(a.receipts)} />
      <KpiCard k="inspectionsOnTime" {...rc(a.inspections)} />
      {a.reportsSigned ? <KpiCard k="reportsSignedOnTime" {...rc(a.reportsSigned)} /> : <KpiCard k="reportsSignedOnTime" value="—" sub={t('managementReports.notInSnapshot')} />}
      <KpiCard k="openWarnings" value={String(a.warnings.open)} sub={a.warnings.averageAgeDays === null ? undefined : `⌀ ${a.warnings.averageAgeDays}`} />
    </SimpleGrid>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card withBorder padding="md">
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

/** 重新生成快照: the reason is the contract's (required, at most 500 characters). */
function RetakeModal({ asOf, onClose }: { asOf: string; onClose: () => void }) {
  const { t } = useTranslation();
  const form = useContractForm<{ reason: string }, (typeof contract)['managementReports.retakeSnapshot']>(contract['managementReports.retakeSnapshot'], {
    initialValues: { reason: '' },
    fixed: { asOf },
  });
  const retake = useIpcMutation('managementReports.retakeSnapshot');
  return (
    <ModalForm
      title={t('managementReports.retake')}
      onClose={onClose}
      form={form}
      busy={retake.isPending}
      submitLabel={t('managementReports.retake')}
      submitColor="orange"
      onSubmit={async () => {
        await retake.mutateAsync(form.toInput()!);
        onClose();
      }}
    >
      <Text size="sm">{t('managementReports.retakeHint')}</Text>
      <Textarea label={t('managementReports.retakeReason')} required data-autofocus autosize minRows={2} {...form.getInputProps('reason')} />
    </ModalForm>
  );
}

export function ManagementReportsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  const canRetake = useCan('classification.approve');
  const [asOfText, setAsOfText] = useState(lastMonthEnd());
  const [asOf, setAsOf] = useState(lastMonthEnd());
  const [error, setError] = useState<string | null>(null);
  const [retaking, setRetaking] = useState(false);

  // Each answer is cached by date; a write (a snapshot, a provision held) refetches them, keeping the figures
  // on screen until the new ones arrive.
  const from = addDays(`${asOf.slice(0, 7)}-01`, -1);
  const k = useIpcQuery('managementReports.kpis', { asOf }).data ?? null;
  const trend = useIpcQuery('managementReports.trend', { asOf, months: 12 }).data ?? null;
  const conc = useIpcQuery('managementReports.concentration', { asOf }).data ?? null;
  const mig = useIpcQuery('managementReports.migration', { fromAsOf: from, asOf }).data ?? null;
  const vin = useIpcQuery('managementReports.vintage', { asOf }).data ?? null;

  function show() {
    const e = dateError(asOfText, t);
    setError(e);
    if (!e) setAsOf(asOfText.trim());
  }

  const exportXlsx = useIpcCall('managementReports.xlsx', { onSuccess: (f) => downloadBase64(f.base64, f.fileName, XLSX), onError: notifyError });
  const exportPdf = useIpcCall('managementReports.pdf', { onSuccess: (f) => downloadBase64(f.base64, f.fileName, 'application/pdf'), onError: notifyError });
  const take = useIpcMutation('managementReports.takeSnapshot', { onError: notifyError });

  const chartData = (trend ?? []).map((p) => ({
    month: p.asOf.slice(0, 7),
    ...Object.fromEntries(LEVELS.map((l) => [LEVEL_LABELS[l][lang], p.byClass ? p.byClass[l] / 100 : 0])),
    npl: p.nplRatio === null ? null : Math.round(p.nplRatio * 10_000) / 100,
  }));

  return (
    <Stack gap="md">
      <PageHeader title={t('managementReports.title')}>
        <Button size="xs" variant="light" loading={exportXlsx.isPending} disabled={!k} onClick={() => exportXlsx.mutate({ asOf })}>
          {t('managementReports.exportXlsx')}
        </Button>
        <Button size="xs" variant="light" loading={exportPdf.isPending} disabled={!k} onClick={() => exportPdf.mutate({ asOf })}>
          {t('managementReports.exportPdf')}
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed" maw={860}>
        {t('managementReports.hint')}
      </Text>
      <Group align="flex-start" gap="sm">
        <TextInput label={t('managementReports.asOf')} w={160} value={asOfText} error={error} onChange={(e) => setAsOfText(e.currentTarget.value)} onKeyDown={(e) => e.key === 'Enter' && show()} />
        <Button mt={25} variant="default" onClick={show}>
          {t('managementReports.show')}
        </Button>
        {k && k.source === 'live' && asOf <= todayIn() && (
          <Button mt={25} variant="light" loading={take.isPending} onClick={() => take.mutate({ asOf })}>
            {t('managementReports.take')}
          </Button>
        )}
        {k && k.source === 'snapshot' && canRetake && (
          <Button mt={25} variant="subtle" color="orange" onClick={() => setRetaking(true)}>
            {t('managementReports.retake')}
          </Button>
        )}
      </Group>
      {!k ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : (
        <>
          <Group gap="xs" data-testid="mr-source">
            <Text size="sm">
              {t('managementReports.asOf')}{t('app.colon')}{formatDay(k.asOf, locale)}
            </Text>
            <Badge variant="light" color={k.source === 'snapshot' ? 'blue' : 'gray'}>
              {t(`managementReports.source.${k.source}`)}
            </Badge>
            {k.historyGaps > 0 && (
              <Tooltip label={t('managementReports.historyGapsHint')} multiline w={320} withArrow>
                <Badge variant="light" color="orange" data-testid="mr-history-gaps">
                  {t('managementReports.historyGaps', { count: k.historyGaps })}
                </Badge>
              </Tooltip>
            )}
            {k.takenAt && (
              <Text size="xs" c="dimmed">
                {formatDateTime(k.takenAt, locale)}
              </Text>
            )}
          </Group>
          <Kpicards k={k} />
          {/* Its writes refetch this page's reads (their feature's), so nothing more is asked here. */}
          <ProvisioningSection k={k} onChanged={() => {}} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Section title={t('managementReports.table.classes')}>
              <Table fz="sm" verticalSpacing={4} data-testid="mr-classes">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('managementReports.col.class')}</Table.Th>
                    <Table.Th ta="right">{t('managementReports.col.count')}</Table.Th>
                    <Table.Th ta="right">{t('managementReports.col.balance')}</Table.Th>
                    <Table.Th ta="right">{t('managementReports.col.share')}</Table.Th>
                    <Table.Th ta="right">{t('managementReports.col.rate')}</Table.Th>
                    <Table.Th ta="right">{t('managementReports.col.provision')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {LEVELS.map((l) => (
                    <Table.Tr key={l} data-level={l}>
                      <Table.Td>
                        <LevelBadge level={l} />
                      </Table.Td>
                      <Table.Td ta="right">{k.byClass[l].count}</Table.Td>
                      <Table.Td ta="right">{yuan(k.byClass[l].balanceFen)}</Table.Td>
                      <Table.Td ta="right">{share(k.byClass[l].balanceFen, k.balanceFen)}</Table.Td>
                      <Table.Td ta="right">{bpAsPercent(k.byClass[l].provisionRateBp)}</Table.Td>
                      <Table.Td ta="right">{yuan(k.byClass[l].provisionFen)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
            <Section title={t('managementReports.table.buckets')}>
              <Table fz="sm" verticalSpacing={4} data-testid="mr-buckets">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('managementReports.col.bucket')}</Table.Th>
                    <Table.Th ta="right">{t('managementReports.col.count')}</Table.Th>
                    <Table.Th ta="right">{t('managementReports.col.balance')}</Table.Th>
                    <Table.Th ta="right">{t('managementReports.col.share')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {DPD_BUCKETS.map((b) => (
                    <Table.Tr key={b} data-bucket={b}>
                      <Table.Td>
                        <BucketBadge bucket={b} />
                      </Table.Td>
                      <Table.Td ta="right">{k.byBucket[b].count}</Table.Td>
                      <Table.Td ta="right">{yuan(k.byBucket[b].balanceFen)}</Table.Td>
                      <Table.Td ta="right">{share(k.byBucket[b].balanceFen, k.balanceFen)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Section>
          </SimpleGrid>
          {trend && (
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
              <Section title={t('managementReports.table.classTrend')}>
                <BarChart
                  h={240}
                  data={chartData}
                  dataKey="month"
                  type="stacked"
                  withLegend
                  // The classes in order of risk, coloured as their badges; the axis wide enough for 38,000,000.
                  legendProps={{ itemSorter: (item) => LEVELS.findIndex((l) => LEVEL_LABELS[l][lang] === item.dataKey) }}
                  series={LEVELS.map((l) => ({ name: LEVEL_LABELS[l][lang], color: `${LEVEL_COLORS[l]}.6` }))}
                  yAxisProps={{ width: 84 }}
                  valueFormatter={(v) => v.toLocaleString('en-US', { maximumFractionDigits: 0 })}
                  data-testid="mr-class-chart"
                />
                <Table fz="xs" verticalSpacing={2} mt="sm" data-testid="mr-class-trend">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('managementReports.col.monthEnd')}</Table.Th>
                      {LEVELS.map((l) => (
                        <Table.Th key={l} ta="right">
                          {LEVEL_LABELS[l][lang]}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {trend.map((p) => (
                      <Table.Tr key={p.asOf}>
                        <Table.Td>{p.asOf}</Table.Td>
                        {p.byClass ? (
                          LEVELS.map((l) => (
                            <Table.Td key={l} ta="right">
                              {yuan(p.byClass![l])}
                            </Table.Td>
                          ))
                        ) : (
                          <Table.Td colSpan={LEVELS.length} c="dimmed">
                            {t('managementReports.col.noSnapshot')}
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Section>
              <Section title={t('managementReports.table.nplTrend')}>
                <LineChart h={240} data={chartData} dataKey="month" unit="%" connectNulls series={[{ name: 'npl', label: t('managementReports.col.nplRatio'), color: 'red.6' }]} data-testid="mr-npl-chart" />
                <Table fz="xs" verticalSpacing={2} mt="sm" data-testid="mr-npl-trend">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('managementReports.col.monthEnd')}</Table.Th>
                      <Table.Th ta="right">{t('managementReports.col.nplRatio')}</Table.Th>
                      <Table.Th ta="right">{t('managementReports.kpi.overdueRate')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {trend.map((p) => (
                      <Table.Tr key={p.asOf}>
                        <Table.Td>{p.asOf}</Table.Td>
                        <Table.Td ta="right">{p.snapshotId === null ? t('managementReports.col.noSnapshot') : pct(p.nplRatio)}</Table.Td>
                        <Table.Td ta="right">{p.snapshotId === null ? '' : pct(p.overdueRate)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Section>
            </SimpleGrid>
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {conc && (
              <Section title={t('managementReports.table.top10')}>
                <Table fz="sm" verticalSpacing={4} data-testid="mr-top10">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('managementReports.col.rank')}</Table.Th>
                      <Table.Th>{t('managementReports.col.borrower')}</Table.Th>
                      <Table.Th ta="right">{t('managementReports.col.count')}</Table.Th>
                      <Table.Th ta="right">{t('managementReports.col.balance')}</Table.Th>
                      <Table.Th ta="right">{t('managementReports.col.share')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {conc.topBorrowers.map((r, i) => (
                      <Table.Tr key={r.borrowerId}>
                        <Table.Td>{i + 1}</Table.Td>
                        {/* A long company name breaks into even lines, not one character on the second. */}
                        <Table.Td style={{ textWrap: 'balance' }}>{r.key}</Table.Td>
                        <Table.Td ta="right">{r.count}</Table.Td>
                        <Table.Td ta="right">{yuan(r.balanceFen)}</Table.Td>
                        <Table.Td ta="right">{pct(r.share)}</Table.Td>
                      </Table.Tr>
                    ))}
                    <Table.Tr fw={600}>
                      <Table.Td />
                      <Table.Td>{t('managementReports.col.top10Total')}</Table.Td>
                      {/* As the workbook's total row: the ten rows' loans and balance, and their share. */}
                      <Table.Td ta="right">{conc.topBorrowers.reduce((n, r) => n + r.count, 0)}</Table.Td>
                      <Table.Td ta="right">{yuan(conc.topBorrowers.reduce((n, r) => n + r.balanceFen, 0))}</Table.Td>
                      <Table.Td ta="right">{pct(conc.top10Share)}</Table.Td>
                    </Table.Tr>
                  </Table.Tbody>
                </Table>
              </Section>
            )}
          </SimpleGrid>
          {mig && <MigrationSection mig={mig} />}
          {conc && <ConcentrationSection conc={conc} />}
          {vin && <VintageSection v={vin} />}
        </>
      )}
      {retaking && <RetakeModal asOf={asOf} onClose={() => setRetaking(false)} />}
    </Stack>
  );
}
