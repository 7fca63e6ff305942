import { Select, Stack, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { useSticky } from '../../lib/sticky';
import { useOfficers } from '../loans/loanTerms';
import { LimitationReportTab } from './LimitationReportTab';
import { OverdueSummaryTab } from './OverdueSummaryTab';

/** 报表 for supervisors and risk officers: claims nearing their limitation date, and the overdue summary. */
export function PortfolioReportsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useSticky<'limitation' | 'overdue'>('portfolioReports.tab', 'limitation');
  const [officer, setOfficer] = useSticky<string | null>('portfolioReports.officer', null);
  const officers = useOfficers();
  return (
    <Stack gap="md">
      <PageHeader title={t('portfolioReports.title')}>
        <Select
          label={t('portfolioReports.officer')}
          w={220}
          allowDeselect={false}
          data={[{ value: '', label: t('portfolioReports.allOfficers') }, ...officers.map((o) => ({ value: o.username, label: o.displayName }))]}
          value={officer ?? ''}
          onChange={(v) => setOfficer(v || null)}
        />
      </PageHeader>
      <Tabs value={tab} onChange={(v) => v && setTab(v as 'limitation' | 'overdue')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="limitation">{t('portfolioReports.limitationTab')}</Tabs.Tab>
          <Tabs.Tab value="overdue">{t('portfolioReports.overdueTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="limitation" pt="sm">
          <LimitationReportTab officer={officer} />
        </Tabs.Panel>
        <Tabs.Panel value="overdue" pt="sm">
          <OverdueSummaryTab officer={officer} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
