import { Anchor, Badge, Button, Group, List, Loader, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { amountInWords, fractionAsPercent } from '../../../shared/domain';
import type { GuaranteeMode, LoanDetail } from '../../../shared/ipc/loans';
import { Fact } from '../../components/Fields';
import { BucketBadge, LevelBadge, LoanStatusBadge, NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { ipcKey, useIpcCall, useIpcQuery } from '../../lib/data/useIpc';
import { downloadBase64 } from '../../lib/download';
import { useFloorReasons } from '../../lib/floorReasons';
import { formatDay } from '../../lib/format';
import { levelLabel, methodLabel } from '../../lib/labels';
import { yuan } from '../../lib/money';
import { useNav } from '../../lib/nav';
import { useSticky } from '../../lib/sticky';
import { useSelectedTabInView } from '../../lib/useSelectedTabInView';
import { useOfficers } from '../loans/loanTerms';
import { ClassificationTab } from './ClassificationTab';
import { CollateralTab } from './CollateralTab';
import { DrawdownsTab } from './DrawdownsTab';
import { FactoringTab } from './FactoringTab';
import { GuaranteesTab } from './GuaranteesTab';
import { LedgerTab } from './LedgerTab';
import { RepaymentsTab } from './RepaymentsTab';
import { ScheduleTab } from './ScheduleTab';
import { InspectionsTab } from '../inspections/InspectionsTab';
import { WarningsTab } from '../warnings/WarningsTab';
import { WorklogTab } from '../worklog/WorklogTab';
import { LimitationTab } from '../collections/LimitationTab';
import { LoanCollectionsTab } from '../collections/LoanCollectionsTab';
import { LoanDocumentsTab } from '../documents/LoanDocumentsTab';
import { LoanChangesTab } from '../loanChanges/LoanChangesTab';
import { LegalTab } from '../legal/LegalTab';
import { to, type LoanTab } from '../../routes/links';

const TAB_ROW = { flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden', scrollbarWidth: 'thin' } as const;

export type TabId = LoanTab;

/** `tab`: open on this tab (e.g. from 我的工作台); otherwise the tab last used. */
export function LoanDetailPage({ id, tab: opened }: { id: number; tab?: TabId }) {
  const { t } = useTranslation();
  const nav = useNav();
  const client = useQueryClient();
  const query = useIpcQuery('loans.get', { id, asOf: null });
  // The 诉讼 tab is there once the loan is transferred to legal, or non-performing (its disposal plan).
  const legal = useIpcQuery('legal.get', { loanId: id });
  const legalTab = !!legal.data && (legal.data.transferredOn !== null || legal.data.npl || legal.data.plans.length > 0);
  const detail = query.data;
  // A write answers with the loan as it now is: shown at once (the refetch its feature causes agrees).
  const setDetail = (d: LoanDetail) => client.setQueryData(ipcKey('loans.get', { id, asOf: null }), d);
  // The open tab is kept while the user goes elsewhere and back.
  const [tab, setTab] = useSticky<TabId>('loan.tab', 'schedule');
  const [seen, setSeen] = useState<TabId | undefined>(undefined);
  if (opened !== seen) {
    setSeen(opened);
    if (opened) setTab(opened);
  }
  // The selected tab is scrolled into the row's view on opening, on change and when the words change width.
  const locale = useLocale();
  const tabRow = useSelectedTabInView<HTMLDivElement>([tab, !!detail, legalTab, locale]);

  if (!detail) return <Loader aria-label={t('app.loading')} />;
  const { loan, borrower } = detail;
  const factoring = loan.kind === 'factoring';
  const current: TabId = (tab === 'factoring' && !factoring) || (tab === 'drawdowns' && factoring) || (tab === 'legal' && !legalTab) ? 'schedule' : tab;
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <Button variant="subtle" size="compact-sm" onClick={nav.back}>
            {t('loan.back')}
          </Button>
          <Title order={2} size="h3" ff="monospace" data-testid="loan-contract-no">
            {loan.contractNo}
          </Title>
          {factoring && (
            <Badge variant="outline" color="violet" radius="sm">
              {t('loans.factoringBadge')}
            </Badge>
          )}
          <LoanStatusBadge status={loan.status} />
          {loan.status === 'active' && detail.state.dpd > 0 && (
            <Badge color="red" variant="filled" size="sm" style={NO_SHRINK} data-testid="header-overdue">
              {t('loan.overdueDays', { days: detail.state.dpd })}
            </Badge>
          )}
          <Anchor component="button" type="button" fw={600} data-testid="loan-borrower-link" onClick={() => nav.navigate(to.borrower(borrower.id))}>
            {borrower.name}
          </Anchor>
        </Group>
        <CardPdfButton loanId={loan.id} />
      </Group>
      <TermsPanel detail={detail} />
      <StatePanel detail={detail} />
      {/* One row of tabs at any width: the list scrolls sideways rather than wrapping onto a second row. */}
      <Tabs value={current} onChange={(v) => v && setTab(v as TabId)} keepMounted={false} styles={{ tab: { flexShrink: 0, whiteSpace: "nowrap" } }}>
        <Tabs.List ref={tabRow} style={TAB_ROW} data-testid="loan-tabs">
          <Tabs.Tab value="schedule">{t('loan.tabs.schedule')}</Tabs.Tab>
          {!factoring && <Tabs.Tab value="drawdowns">{t('loan.tabs.drawdowns')}</Tabs.Tab>}
          <Tabs.Tab value="repayments">{t('loan.tabs.repayments')}</Tabs.Tab>
          <Tabs.Tab value="guarantees">{t('loan.tabs.guarantees')}</Tabs.Tab>
          <Tabs.Tab value="collateral">{t('loan.tabs.collateral')}</Tabs.Tab>
          <Tabs.Tab value="classification">{t('loan.tabs.classification')}</Tabs.Tab>
          <Tabs.Tab value="ledger">{t('loan.tabs.ledger')}</Tabs.Tab>
          {factoring && <Tabs.Tab value="factoring">{t('loan.tabs.factoring')}</Tabs.Tab>}
          <Tabs.Tab value="inspections">{t('inspections.tab')}</Tabs.Tab>
          <Tabs.Tab value="warnings">{t('warningsUi.tab')}</Tabs.Tab>
          <Tabs.Tab value="worklog">{t('worklogUi.tab')}</Tabs.Tab>
          <Tabs.Tab value="collections">{t('collectionsUi.tab')}</Tabs.Tab>
          <Tabs.Tab value="limitation">{t('limitationUi.tab')}</Tabs.Tab>
          {legalTab && <Tabs.Tab value="legal">{t('legalUi.tab')}</Tabs.Tab>}
          <Tabs.Tab value="documents">{t('documentsUi.tab')}</Tabs.Tab>
          <Tabs.Tab value="changes">{t('changesUi.tab')}</Tabs.Tab>
        </Tabs.List>
        <Paper withBorder p="md" mt="xs">
          <Tabs.Panel value="schedule">
            <ScheduleTab detail={detail} />
          </Tabs.Panel>
          {!factoring && (
            <Tabs.Panel value="drawdowns">
              <DrawdownsTab detail={detail} />
            </Tabs.Panel>
          )}
          <Tabs.Panel value="repayments">
            <RepaymentsTab detail={detail} onChange={setDetail} />
          </Tabs.Panel>
          <Tabs.Panel value="guarantees">
            <GuaranteesTab detail={detail} onChange={setDetail} />
          </Tabs.Panel>
          <Tabs.Panel value="collateral">
            <CollateralTab detail={detail} onChange={setDetail} />
          </Tabs.Panel>
          <Tabs.Panel value="classification">
            <ClassificationTab detail={detail} onChange={setDetail} />
          </Tabs.Panel>
          <Tabs.Panel value="ledger">
            <LedgerTab detail={detail} />
          </Tabs.Panel>
          {factoring && (
            <Tabs.Panel value="factoring">
              <FactoringTab detail={detail} onChange={setDetail} />
            </Tabs.Panel>
          )}
          <Tabs.Panel value="inspections">
            <InspectionsTab detail={detail} />
          </Tabs.Panel>
          <Tabs.Panel value="warnings">
            <WarningsTab detail={detail} />
          </Tabs.Panel>
          <Tabs.Panel value="worklog">
            <WorklogTab detail={detail} />
          </Tabs.Panel>
          <Tabs.Panel value="collections">
            <LoanCollectionsTab detail={detail} assetLeads={!legalTab} />
          </Tabs.Panel>
          <Tabs.Panel value="limitation">
            <LimitationTab detail={detail} />
          </Tabs.Panel>
          {legalTab && (
            <Tabs.Panel value="legal">
              <LegalTab detail={detail} />
            </Tabs.Panel>
          )}
          <Tabs.Panel value="documents">
            <LoanDocumentsTab detail={detail} />
          </Tabs.Panel>
          <Tabs.Panel value="changes">
            <LoanChangesTab detail={detail} />
          </Tabs.Panel>
        </Paper>
      </Tabs>
    </Stack>
  );
}

function CardPdfButton({ loanId }: { loanId: number }) {
  const { t } = useTranslation();
  const card = useIpcCall('loans.cardPdf', { onSuccess: (pdf) => downloadBase64(pdf.base64, pdf.fileName, 'application/pdf') });
  return (
    <Button variant="default" loading={card.isPending} onClick={() => card.mutate({ loanId })}>
      {t('loan.cardPdf')}
    </Button>
  );
}

function TermsPanel({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { loan } = detail;
  const officers = useOfficers();
  const modes = (ms: readonly GuaranteeMode[]) => ms.map((m) => t(`portfolio.guaranteeMode.${m}`)).join(locale === 'en' ? ', ' : '、');
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 3, lg: 6 }} spacing="md" verticalSpacing="sm">
        <Fact label={t('loan.product')}>{loan.product}</Fact>
        <Fact label={t(loan.kind === 'factoring' ? 'loan.principalFactoring' : 'loan.principal')}>
          <Text size="sm" fw={600}>
            {yuan(loan.principalFen)}
          </Text>
          <Text size="xs" c="dimmed">
            {amountInWords(loan.principalFen)}
          </Text>
        </Fact>
        <Fact label={t('loan.rate')}>{t('portfolio.percent', { value: loan.annualRate })}</Fact>
        <Fact label={t('loan.penaltyUplift')}>{fractionAsPercent(loan.penaltyUplift)}%</Fact>
        {/* After an extension, a restructuring, an early maturity or a prepayment the schedule moved; the term is the contract's. */}
        <Fact label={t('loan.term')}>
          {t(loan.extended || loan.restructured || loan.accelerated || loan.prepaid ? 'loan.termValueOriginal' : 'loan.termValue', { count: loan.termMonths })}
        </Fact>
        <Fact label={t('loan.method')}>{methodLabel(loan.method, locale)}</Fact>
        <Fact label={t('loan.startDate')}>{formatDay(loan.startDate, locale)}</Fact>
        <Fact label={t('loan.maturity')}>{formatDay(loan.maturityDate, locale)}</Fact>
        <Fact label={t('loan.guaranteeModes')}>
          {/* What the loan has (registered, or in the contract); the contract's own modes beside it when they differ. */}
          <Text size="sm" data-testid="loan-security">
            {modes(detail.security)}
          </Text>
          {modes(detail.security) !== modes(loan.guaranteeModes) && (
            <Text size="xs" c="dimmed" data-testid="loan-contract-modes">
              {t('loan.contractModes', { modes: modes(loan.guaranteeModes) })}
            </Text>
          )}
        </Fact>
        <Fact label={t('loan.officer')}>{officers.find((o) => o.username === loan.officer)?.displayName ?? loan.officer}</Fact>
        <Fact label={t('loan.purpose')}>{loan.purpose || '—'}</Fact>
        {(loan.restructured || loan.extended || loan.accelerated) && (
          <Fact label={t('loan.status')}>
            <Group gap={4}>
              {loan.accelerated && <Badge size="sm" color="red" variant="light" data-testid="loan-accelerated">{t('loan.accelerated')}</Badge>}
              {loan.restructured && <Badge size="sm" color="orange" variant="light">{t('loan.restructured')}</Badge>}
              {loan.extended && <Badge size="sm" color="orange" variant="light">{t('loan.extended')}</Badge>}
            </Group>
          </Fact>
        )}
      </SimpleGrid>
    </Paper>
  );
}

function Card({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" mb={4}>
        {label}
      </Text>
      {children}
    </Paper>
  );
}

function StatePanel({ detail }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const s = detail.state;
  const reasons = useFloorReasons();
  const overdue = s.overduePrincipalFen + s.overdueInterestFen + s.penaltyOutstandingFen;
  const money = (fen: number, testId: string, red = false) => (
    <Text fz="lg" fw={700} c={red && fen > 0 ? 'red.7' : undefined} data-testid={testId}>
      {yuan(fen)}
    </Text>
  );
  return (
    <Stack gap="xs">
      <SimpleGrid cols={{ base: 3, lg: 6 }} spacing="sm">
        <Card label={t(detail.loan.kind === 'factoring' ? 'loan.balanceFactoring' : 'loan.balance')}>{money(s.balanceFen, 'state-balance')}</Card>
        <Card label={t('loan.dpd')}>
          <Group gap="xs" align="center">
            <Text fz="lg" fw={700} c={s.dpd > 0 ? 'red.7' : undefined} data-testid="state-dpd">
              {s.dpd}
            </Text>
            <span data-testid="state-bucket">
              <BucketBadge bucket={s.bucket} />
            </span>
          </Group>
          {s.oldestUnpaidDueDate && (
            <Text size="xs" c="dimmed">
              {t('loan.oldestUnpaid', { date: formatDay(s.oldestUnpaidDueDate, locale) })}
            </Text>
          )}
        </Card>
        <Card label={t('loan.overduePrincipal')}>{money(s.overduePrincipalFen, 'state-overdue-principal', true)}</Card>
        <Card label={t('loan.overdueInterest')}>{money(s.overdueInterestFen, 'state-overdue-interest', true)}</Card>
        <Card label={t('loan.penalty')}>
          {money(s.penaltyOutstandingFen, 'state-penalty', true)}
          {overdue > 0 && (
            <Text size="xs" c="red.7">
              {t('loan.overdueTotal', { total: yuan(overdue) })}
            </Text>
          )}
        </Card>
        <Card label={t('loan.level')}>
          <span data-testid="state-level">
            <LevelBadge level={s.level} size="md" />
          </span>
          <Text size="xs" c="dimmed" mt={4}>
            {t('loan.floor', { level: levelLabel(s.floorLevel, locale) })}
          </Text>
        </Card>
      </SimpleGrid>
      <Paper withBorder px="sm" py={8} bg="gray.0">
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {t('loan.floorWhy')}
          </Text>
          <List size="xs" spacing={2} data-testid="floor-reasons">
            {s.floorReasons.map((r, i) => (
              <List.Item key={i}>{reasons.word(r)}</List.Item>
            ))}
          </List>
          <Text size="xs" c="dimmed" ml="auto" style={{ whiteSpace: 'nowrap' }}>
            {t('loan.asOf', { date: formatDay(s.asOf, locale) })}
          </Text>
        </Group>
      </Paper>
    </Stack>
  );
}
