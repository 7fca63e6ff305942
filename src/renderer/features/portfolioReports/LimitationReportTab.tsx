import { Anchor, Badge, Button, Group, Loader, Table, Text, Tooltip } from '@mantine/core';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { LimitationEvidence } from '../../../shared/ipc/collections';
import { LIMITATION_BANDS, type LimitationBand } from '../../../shared/ipc/portfolioReports';
import { useLocale } from '../../lib/appInfo';
import { downloadBase64 } from '../../lib/download';
import { formatDay } from '../../lib/format';
import { useIpcCall, useIpcQuery } from '../../lib/data/useIpc';
import { useNav } from '../../lib/nav';
import { notifyError } from '../../lib/notify';
import { XLSX } from './mime';
import { to } from '../../routes/links';

const BAND_COLORS: Record<LimitationBand, string> = { expired: 'dark', '30': 'red', '90': 'orange', '180': 'yellow' };
const NOWRAP = { whiteSpace: 'nowrap' } as const;

export function LimitationReportTab({ officer }: { officer: string | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nav = useNav();
  // Main words the evidence in the UI language: another language is asked again.
  const report = useIpcQuery('portfolioReports.limitation', { officer }, { wordedIn: locale }).data ?? null;
  const exporting = useIpcCall('portfolioReports.limitationXlsx', { onSuccess: (f) => downloadBase64(f.base64, f.fileName, XLSX), onError: notifyError });

  const evidenceLine = (e: LimitationEvidence) => `${formatDay(e.date, locale)} ${t(`limitationUi.kindLabel.${e.kind}`)} · ${e.description}`;
  if (!report) return <Loader size="sm" aria-label={t('app.loading')} />;
  return (
    <>
      <Group justify="space-between" mb="sm" align="flex-start">
        <Text size="sm" c="dimmed" maw={760}>
          {t('portfolioReports.limitationHint')}
        </Text>
        <Button size="xs" variant="light" loading={exporting.isPending} onClick={() => exporting.mutate({ officer })}>
          {t('portfolioReports.export')}
        </Button>
      </Group>
      <Group gap="xs" mb="sm" data-testid="limitation-counts">
        {LIMITATION_BANDS.map((b) => (
          <Badge key={b} color={BAND_COLORS[b]} variant={report.counts[b] ? 'filled' : 'outline'} data-band={b}>
            {t(`portfolioReports.band.${b}`)}: {report.counts[b]}
          </Badge>
        ))}
      </Group>
      {report.claims.length === 0 ? (
        <Text c="dimmed" size="sm" ta="center" py="md" data-testid="limitation-empty">
          {t('portfolioReports.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={1100}>
          <Table fz="sm" verticalSpacing={5} data-testid="limitation-report">
            <Table.Thead>
              <Table.Tr>
                <Table.Th style={NOWRAP}>{t('portfolioReports.col.expiry')}</Table.Th>
                <Table.Th ta="right" style={NOWRAP}>
                  {t('portfolioReports.col.daysLeft')}
                </Table.Th>
                <Table.Th style={NOWRAP}>{t('portfolioReports.col.contractNo')}</Table.Th>
                <Table.Th style={NOWRAP}>{t('portfolioReports.col.borrower')}</Table.Th>
                <Table.Th style={NOWRAP}>{t('portfolioReports.col.partyName')}</Table.Th>
                <Table.Th style={NOWRAP}>{t('portfolioReports.col.basis')}</Table.Th>
                <Table.Th style={NOWRAP}>{t('portfolioReports.col.officer')}</Table.Th>
                <Table.Th>{t('portfolioReports.col.evidence')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {LIMITATION_BANDS.filter((b) => report.counts[b] > 0).map((b) => (
                <Fragment key={b}>
                  <Table.Tr data-band={b} bg="var(--mantine-color-gray-0)">
                    <Table.Td colSpan={8}>
                      <Badge color={BAND_COLORS[b]} radius="sm">
                        {t(`portfolioReports.band.${b}`)}
                      </Badge>{' '}
                      <Text span size="sm" c="dimmed">
                        {report.counts[b]}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                  {report.claims
                    .filter((c) => c.band === b)
                    .map((c) => (
                      <Table.Tr key={`${c.loanId}:${c.party}:${c.partyName}`} data-contract={c.contractNo} data-party={c.party}>
                        <Table.Td style={NOWRAP}>{formatDay(c.expiry, locale)}</Table.Td>
                        <Table.Td ta="right" style={NOWRAP}>
                          {c.daysLeft < 0 ? t('limitationUi.expiredDays', { days: -c.daysLeft }) : t('limitationUi.daysLeftValue', { days: c.daysLeft })}
                        </Table.Td>
                        <Table.Td style={NOWRAP}>
                          <Anchor component="button" size="sm" onClick={() => nav.navigate(to.loan(c.loanId, 'limitation'))}>
                            {c.contractNo}
                          </Anchor>
                        </Table.Td>
                        <Table.Td style={NOWRAP}>{c.borrowerName}</Table.Td>
                        <Table.Td style={NOWRAP}>
                          <Text span size="xs" c="dimmed">
                            {t(`portfolioReports.party.${c.party}`)}
                          </Text>{' '}
                          {c.partyName}
                        </Table.Td>
                        <Table.Td style={NOWRAP}>{t(`portfolioReports.basis.${c.basis}`)}</Table.Td>
                        <Table.Td style={NOWRAP}>{c.officerName}</Table.Td>
                        <Table.Td>
                          {c.evidence[0] && evidenceLine(c.evidence[0])}
                          {c.evidence.length > 1 && (
                            <Tooltip multiline w={420} label={c.evidence.map(evidenceLine).join('\n')} style={{ whiteSpace: 'pre-line' }}>
                              <Text span size="xs" c="blue" ml={6}>
                                {t('portfolioReports.moreEvidence', { count: c.evidence.length - 1 })}
                              </Text>
                            </Tooltip>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
