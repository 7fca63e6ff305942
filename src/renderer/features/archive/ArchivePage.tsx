import { Anchor, Autocomplete, Badge, Button, Group, Paper, SegmentedControl, Select, Stack, Table, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { keepPreviousData, useMutation } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { addDays, todayIn } from '../../../shared/domain';
import type { LendingView } from '../../../shared/ipc/archive';
import { DateField } from '../../components/Fields';
import { PageHeader } from '../../components/PageHeader';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { contract } from '../../../shared/ipc/contract';
import { ModalForm } from '../../components/ModalForm';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { useContractForm } from '../../lib/forms/useContractForm';
import { useNav } from '../../lib/nav';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useCan } from '../../lib/session';
import { useSticky } from '../../lib/sticky';
import { useUserNames } from '../../lib/userNames';
import { useOfficers } from '../loans/loanTerms';
import { DestructionPanel } from './DestructionPanel';
import { DocTypesPanel } from './DocTypesPanel';
import { ExportPanel, VerifyPanel } from './ExportPanel';
import { LendingTable } from './FileLocationPanel';
import { HandoverPanel } from './HandoverPanel';
import { ImportPanel } from './ImportPanel';
import { resolveContracts } from './loanLookup';
import { to } from '../../routes/links';
import type { ARCHIVE_TABS } from '../../routes/search';

type TabId = (typeof ARCHIVE_TABS)[number];

/** 档案管理: the archivist's desk; others see what their permissions allow. */
export function ArchivePage() {
  const { t } = useTranslation();
  const canExport = useCan('archive.export');
  const canManage = useCan('archive.manage');
  const canApprove = useCan('archive.approveDestruction');
  const canReassign = useCan('loans.reassign');
  const canImport = useCan('archive.import');
  const tabs: TabId[] = ['lendings', 'gaps', 'docTypes', ...(canManage || canApprove ? (['destruction'] as const) : []), ...(canExport ? (['export'] as const) : []), 'verify', ...(canImport ? (['imported'] as const) : []), ...(canReassign ? (['handover'] as const) : [])];
  // The tab a link names (the home page's counts), else the one last open.
  const search = useSearch({ from: '/archive' });
  const navigate = useNavigate({ from: '/archive' });
  const [sticky, setSticky] = useSticky<TabId>('archive.tab', 'lendings');
  const tab = search.tab ?? sticky;
  const setTab = (next: TabId) => {
    setSticky(next);
    void navigate({ search: (prev) => ({ ...prev, tab: next }), replace: true, state: (s) => s });
  };
  const [verifyFile, setVerifyFile] = useState('');
  const current = tabs.includes(tab) ? tab : 'lendings';
  return (
    <Stack gap="md">
      <PageHeader title={t('archiveUi.title')} />
      <Tabs value={current} onChange={(v) => v && setTab(v as TabId)} keepMounted={false}>
        <Tabs.List>
          {tabs.map((id) => (
            <Tabs.Tab key={id} value={id}>
              {t(`archiveUi.tabs.${id}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="lendings" pt="sm">
          <LendingsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="gaps" pt="sm">
          <GapsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="docTypes" pt="sm">
          <DocTypesPanel />
        </Tabs.Panel>
        {tabs.includes('destruction') && (
          <Tabs.Panel value="destruction" pt="sm">
            <DestructionPanel />
          </Tabs.Panel>
        )}
        {canExport && (
          <Tabs.Panel value="export" pt="sm">
            <ExportPanel
              onVerify={(file) => {
                setVerifyFile(file);
                setTab('verify');
              }}
            />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="verify" pt="sm">
          <VerifyPanel initialFile={verifyFile} />
        </Tabs.Panel>
        {canImport && (
          <Tabs.Panel value="imported" pt="sm">
            <ImportPanel />
          </Tabs.Panel>
        )}
        {canReassign && (
          <Tabs.Panel value="handover" pt="sm">
            <HandoverPanel />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}

function LendingsPanel() {
  const { t } = useTranslation();
  const who = useUserNames();
  const nav = useNav();
  const canManage = useCan('archive.manage');
  const [status, setStatus] = useSticky<'out' | 'overdue' | 'all'>('archive.lendStatus', 'out');
  const rows = useIpcQuery('archive.lendings', { status }, { placeholderData: keepPreviousData }).data ?? null;
  const [lending, setLending] = useState(false);
  const giveBack = useIpcMutation('archive.return', { onSuccess: (l) => notifySuccess(t('archiveUi.returned', { no: l.contractNo })), onError: notifyError });

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <SegmentedControl
          aria-label={t('archiveUi.state')}
          value={status}
          onChange={(v) => setStatus(v as 'out' | 'overdue' | 'all')}
          data={(['out', 'overdue', 'all'] as const).map((s) => ({ value: s, label: t(`archiveUi.status.${s}`) }))}
        />
        {canManage && <Button onClick={() => setLending(true)}>{t('archiveUi.lend')}</Button>}
      </Group>
      <Paper withBorder>
        {rows && rows.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="lg">
            {t('archiveUi.lendingsEmpty')}
          </Text>
        ) : (
          <LendingTable rows={rows ?? []} onReturn={canManage ? (l) => giveBack.mutate({ loanId: l.loanId }) : undefined} onOpen={(l) => nav.navigate(to.loan(l.loanId, 'documents'))} />
        )}
      </Paper>
      {lending && (
        <LendModal
          onClose={() => setLending(false)}
          onSaved={(l) => {
            setLending(false);
            notifySuccess(t('archiveUi.lent', { no: l.contractNo, user: who(l.borrowerUser) }));
          }}
        />
      )}
    </Stack>
  );
}

type LendValues = { contractNo: string; borrowerUser: string; purpose: string; dueBack: string };
/** The lending's own rules; the loan is typed by its contract number and found after the check. */
const lendSchema = contract['archive.lend'].omit({ loanId: true }).extend({ contractNo: z.string().trim().min(1).max(40) });
const lendPath = (path: string) => (path === 'loanId' ? 'contractNo' : path.split('.')[0]);

function LendModal({ onClose, onSaved }: { onClose: () => void; onSaved: (l: LendingView) => void }) {
  const { t } = useTranslation();
  const officers = useOfficers();
  const form = useContractForm<LendValues, typeof lendSchema>(lendSchema, { initialValues: { contractNo: '', borrowerUser: '', purpose: '', dueBack: addDays(todayIn(), 14) }, mapPath: lendPath });
  const lookup = useMutation({ mutationFn: resolveContracts });
  const lend = useIpcMutation('archive.lend');

  async function submit() {
    const { contractNo, ...input } = form.toInput()!;
    const { loans, missing } = await lookup.mutateAsync([contractNo.toUpperCase()]);
    if (missing.length > 0) return form.setFieldError('contractNo', t('archiveUi.unknownContract', { nos: missing.join(t('archiveUi.listSep')) }));
    onSaved(await lend.mutateAsync({ loanId: loans[0].id, ...input }));
  }

  return (
    <ModalForm
      title={t('archiveUi.lend')}
      onClose={onClose}
      form={form}
      busy={lookup.isPending || lend.isPending}
      submitLabel={t('archiveUi.lendSubmit')}
      cancelLabel={t('portfolio.cancel')}
      mapPath={lendPath}
      onSubmit={submit}
    >
      <TextInput label={t('archiveUi.contractNo')} required maxLength={40} classNames={{ input: 'lk-mono-input' }} data-autofocus autoComplete="off" {...form.getInputProps('contractNo')} />
      <Autocomplete
        label={t('archiveUi.borrowerUser')}
        description={t('archiveUi.borrowerUserHint')}
        required
        withAsterisk={false}
        classNames={{ label: 'lk-required' }}
        maxLength={32}
        data={officers.map((o) => o.username)}
        renderOption={({ option }) => t('archiveUi.userOption', { name: officers.find((o) => o.username === option.value)?.displayName ?? '', username: option.value })}
        {...form.getInputProps('borrowerUser')}
      />
      <Textarea label={t('archiveUi.purpose')} required maxLength={300} autosize minRows={2} {...form.getInputProps('purpose')} />
      <DateField label={t('archiveUi.dueBack')} required {...form.getInputProps('dueBack')} />
    </ModalForm>
  );
}

function GapsPanel() {
  const { t } = useTranslation();
  const nav = useNav();
  const locale = useLocale();
  const name = useUserNames();
  // The missing item lives in the URL, so a link can name it and coming back from a loan keeps it.
  const docType = useSearch({ from: '/archive' }).missing ?? null;
  const navigate = useNavigate({ from: '/archive' });
  const setDocType = (missing: string | null) => void navigate({ search: (prev) => ({ ...prev, missing: missing ?? undefined }), replace: true, state: (s) => s });
  const rows = useIpcQuery('archive.gaps', { docType }, { placeholderData: keepPreviousData }).data ?? null;
  const types = useIpcQuery('archive.docTypes', {}).data ?? [];
  const typeName = (code: string) => {
    const d = types.find((x) => x.code === code);
    return d ? (locale === 'en' ? d.nameEn : d.nameZh) : code;
  };
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm">
        <Select
          label={t('archiveUi.missingItem')}
          w={220}
          searchable
          allowDeselect={false}
          data-testid="gaps-doc-type"
          data={[{ value: '', label: t('portfolio.all') }, ...types.filter((d) => d.active).map((d) => ({ value: d.code, label: locale === 'en' ? d.nameEn : d.nameZh }))]}
          value={docType ?? ''}
          onChange={(v) => setDocType(v || null)}
        />
        <Text size="sm" c="dimmed" mb={8}>
          {rows ? t('archiveUi.gapsCount', { count: rows.length }) : t('portfolio.loading')}
        </Text>
      </Group>
      <Paper withBorder>
        {rows && rows.length === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py="lg">
            {t('archiveUi.gapsEmpty')}
          </Text>
        ) : (
          <Table styles={{ th: { whiteSpace: 'nowrap' } }} fz="sm" verticalSpacing={5} striped highlightOnHover data-testid="gaps">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('archiveUi.contractNo')}</Table.Th>
                <Table.Th>{t('archiveUi.borrower')}</Table.Th>
                <Table.Th>{t('archiveUi.officer')}</Table.Th>
                <Table.Th>{t('archiveUi.missingItems')}</Table.Th>
                <Table.Th ta="right">{t('archiveUi.missingCount')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(rows ?? []).map((g) => (
                <Table.Tr key={g.loanId}>
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" ff="monospace" onClick={() => nav.navigate(to.loan(g.loanId, 'documents'))}>
                      {g.contractNo}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{g.borrowerName}</Table.Td>
                  <Table.Td>{name(g.officer)}</Table.Td>
                  <Table.Td>{g.missingTypes.map(typeName).join(t('archiveUi.listSep'))}</Table.Td>
                  <Table.Td ta="right">
                    <Badge color="red" variant="light" size="sm" style={NO_SHRINK}>
                      {g.missing}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
