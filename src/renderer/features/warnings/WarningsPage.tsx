import { Paper, SegmentedControl, Stack, Tabs, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WarningView } from '../../../shared/ipc/warnings';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { invoke } from '../../lib/ipc';
import { notifyError } from '../../lib/notify';
import { useSticky } from '../../lib/sticky';
import { SignalCatalogue } from './SignalCatalogue';
import { WarningDrawer } from './WarningDrawer';
import { WarningTable } from './WarningTable';

type Scope = 'open' | 'closed' | 'all';

/** 预警信号: the warnings the user may see, each opening its loop; and the catalogue of signals. */
export function WarningsPage({ warningId }: { warningId: number | null }) {
  const { t } = useTranslation();
  const [tab, setTab] = useSticky<'list' | 'catalogue'>('warnings.tab', 'list');
  const [scope, setScope] = useSticky<Scope>('warnings.scope', 'open');
  const [rows, setRows] = useState<WarningView[] | null>(null);
  const [opened, setOpened] = useState<WarningView | null>(null);

  const load = useCallback(() => {
    invoke('warnings.list', { loanId: null, status: scope }).then(setRows).catch(notifyError);
  }, [scope]);
  useEffect(load, [load]);

  // Opened from 我的工作台: the warning is shown whatever the list's scope.
  useEffect(() => {
    if (!warningId) return;
    invoke('warnings.list', { loanId: null, status: 'all' })
      .then((all) => setOpened(all.find((w) => w.id === warningId) ?? null))
      .catch(notifyError);
  }, [warningId]);

  const current = warningId ? 'list' : tab;
  return (
    <Stack gap="md">
      <PageHeader title={t('warningsUi.title')}>
        <ExportXlsxButton run={() => invoke('warnings.exportXlsx', { loanId: null, status: scope })} />
      </PageHeader>
      <Tabs value={current} onChange={(v) => v && setTab(v as 'list' | 'catalogue')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="list">{t('warningsUi.list')}</Tabs.Tab>
          <Tabs.Tab value="catalogue">{t('warningsUi.catalogue')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="list" pt="sm">
          <Stack gap="sm">
            <SegmentedControl
              w="fit-content"
              aria-label={t('warningsUi.scope')}
              value={scope}
              onChange={(v) => setScope(v as Scope)}
              data={(['open', 'closed', 'all'] as const).map((s) => ({ value: s, label: t(`warningsUi.filter.${s}`) }))}
            />
            {rows && (
              <Text size="xs" c="dimmed" data-testid="warnings-count">
                {t('warningsUi.count', { count: rows.length })}
              </Text>
            )}
            <Paper withBorder>
              <WarningTable rows={rows ?? []} withLoan onOpen={setOpened} testId="warnings" />
            </Paper>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="catalogue" pt="sm">
          <SignalCatalogue />
        </Tabs.Panel>
      </Tabs>
      {opened && (
        <WarningDrawer
          warning={opened}
          onClose={() => setOpened(null)}
          onChange={(w, escalation) => {
            setOpened(escalation ?? w);
            load();
          }}
        />
      )}
    </Stack>
  );
}
