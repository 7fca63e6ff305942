import { Button, Group, Loader, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEVELS, todayIn } from '../../../shared/domain';
import type { CountBalance } from '../../../shared/ipc/portfolioReports';
import { BucketBadge, LevelBadge } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { downloadBase64 } from '../../lib/download';
import { formatDay } from '../../lib/format';
import { useIpcCall, useIpcQuery } from '../../lib/data/useIpc';
import { dateError } from '../../lib/labels';
import { yuan } from '../../lib/money';
import { notifyError } from '../../lib/notify';
import { XLSX } from './mime';

function Cell({ v, testId }: { v: CountBalance; testId?: string }) {
  return (
    <Table.Td ta="right" data-testid={testId} style={{ whiteSpace: 'nowrap' }}>
      <Text size="sm" fw={v.count ? 600 : 400} c={v.count ? undefined : 'dimmed'}>
        {v.count}
      </Text>
      <Text size="xs" c="dimmed">
        {yuan(v.balanceFen)}
      </Text>
    </Table.Td>
  );
}

export function OverdueSummaryTab({ officer }: { officer: string | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [asOfText, setAsOfText] = useState(todayIn());
  const [asOf, setAsOf] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const q = useIpcQuery('portfolioReports.overdue', { asOf, officer });
  const report = q.data ?? null;
  const exporting = useIpcCall('portfolioReports.overdueXlsx', { onSuccess: (f) => downloadBase64(f.base64, f.fileName, XLSX), onError: notifyError });

  function show() {
    const e = dateError(asOfText, t);
    setError(e);
    if (!e) setAsOf(asOfText.trim());
  }

  const line = (label: string, v: CountBalance & { overdueFen: number }, key: string) => (
    <Table.Tr data-row={key} fw={600}>
      <Table.Td>{label}</Table.Td>
      <Cell v={v} />
      <Table.Td ta="right">{yuan(v.overdueFen)}</Table.Td>
      <Table.Td colSpan={LEVELS.length} />
    </Table.Tr>
  );

  return (
    <>
      <Text size="sm" c="dimmed" mb="sm" maw={760}>
        {t('portfolioReports.overdueHint')}
      </Text>
      <Group align="flex-start" justify="space-between" mb="sm">
        <Group align="flex-start" gap="sm">
          <TextInput
            label={t('portfolioReports.asOf')}
            w={160}
            value={asOfText}
            error={error}
            onChange={(e) => setAsOfText(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && show()}
          />
          <Button mt={25} variant="default" onClick={show}>
            {t('portfolioReports.refresh')}
          </Button>
        </Group>
        <Button size="xs" variant="light" loading={exporting.isPending} disabled={!report} onClick={() => exporting.mutate({ asOf: report?.asOf ?? asOf, officer })}>
          {t('portfolioReports.export')}
        </Button>
      </Group>
      {!report ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : (
        <>
          <Text size="sm" mb="xs" data-testid="overdue-as-of">
            {t('portfolioReports.asOf')}{t('app.colon')}{formatDay(report.asOf, locale)}
          </Text>
          <Table.ScrollContainer minWidth={1000}>
            <Table fz="sm" verticalSpacing={4} withColumnBorders data-testid="overdue-summary">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('portfolioReports.col.bucket')}</Table.Th>
                  <Table.Th ta="right">
                    {t('portfolioReports.col.count')} / {t('portfolioReports.col.balance')}
                  </Table.Th>
                  <Table.Th ta="right">{t('portfolioReports.col.overdue')}</Table.Th>
                  {LEVELS.map((l) => (
                    <Table.Th key={l} ta="right">
                      <LevelBadge level={l} />
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rows.map((r) => (
                  <Table.Tr key={r.bucket} data-bucket={r.bucket}>
                    <Table.Td>
                      <BucketBadge bucket={r.bucket} />
                    </Table.Td>
                    <Cell v={r} testId={`overdue-${r.bucket}`} />
                    <Table.Td ta="right">{yuan(r.overdueFen)}</Table.Td>
                    {LEVELS.map((l) => (
                      <Cell key={l} v={r.byLevel[l]} />
                    ))}
                  </Table.Tr>
                ))}
                {line(t('portfolioReports.overdueSubtotal'), report.overdue, 'overdue')}
                <Table.Tr data-row="total" fw={600}>
                  <Table.Td>{t('portfolioReports.total')}</Table.Td>
                  <Cell v={report.total} testId="overdue-total" />
                  <Table.Td ta="right">{yuan(report.total.overdueFen)}</Table.Td>
                  {LEVELS.map((l) => (
                    <Cell key={l} v={report.levels[l]} />
                  ))}
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Title order={4} size="h5" mt="lg" mb={4}>
            {t('portfolioReports.reasonsTitle')}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('portfolioReports.reasonsHint')}
          </Text>
          <Table fz="sm" verticalSpacing={4} withColumnBorders maw={640} data-testid="overdue-reasons">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('portfolioReports.reasonCol')}</Table.Th>
                <Table.Th ta="right">
                  {t('portfolioReports.col.count')} / {t('portfolioReports.col.balance')}
                </Table.Th>
                <Table.Th ta="right">{t('portfolioReports.col.overdue')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.reasons.map((r) => (
                <Table.Tr key={r.reason} data-reason={r.reason}>
                  <Table.Td>{t(`delinquency.reason.${r.reason}`)}</Table.Td>
                  <Cell v={r} />
                  <Table.Td ta="right">{yuan(r.overdueFen)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </>
  );
}
