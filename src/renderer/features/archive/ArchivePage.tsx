import { Anchor, Autocomplete, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Table, Tabs, Text, TextInput, Textarea } from '@mantine/core';
import { keepPreviousData } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, todayIn } from '../../../shared/domain';
import type { LendingView } from '../../../shared/ipc/archive';
import { DateField } from '../../components/Fields';
import { PageHeader } from '../../components/PageHeader';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useIpcQuery } from '../../lib/data/useIpc';
import { useFormState } from '../../lib/form';
import { invoke } from '../../lib/ipc';
import { dateError } from '../../lib/labels';
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

type TabId = 'lendings' | 'gaps' | 'docTypes' | 'destruction' | 'export' | 'verify' | 'handover' | 'imported';

/** 档案管理: the archivist's desk; others see what their permissions allow. */
export function ArchivePage() {
  const { t } = useTranslation();
  const canExport = useCan('archive.export');
  const canManage = useCan('archive.manage');
  const canApprove = useCan('archive.approveDestruction');
  const canReassign = useCan('loans.reassign');
  const canImport = useCan('archive.import');
  const tabs: TabId[] = ['lendings', 'gaps', 'docTypes', ...(canManage || canApprove ? (['destruction'] as const) : []), ...(canExport ? (['export'] as const) : []), 'verify', ...(canImport ? (['imported'] as const) : []), ...(canReassign ? (['handover'] as const) : [])];
  const [tab, setTab] = useSticky<TabId>('archive.tab', 'lendings');
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
  const nav = useNav();
  const canManage = useCan('archive.manage');
  const [status, setStatus] = useSticky<'out' | 'overdue' | 'all'>('archive.lendStatus', 'out');
  const [rows, setRows] = useState<LendingView[] | null>(null);
  const [lending, setLending] = useState(false);
  const load = useCallback(() => {
    invoke('archive.lendings', { status }).then(setRows).catch(notifyError);
  }, [status]);
  useEffect(load, [load]);

  async function giveBack(l: LendingView) {
    try {
      await invoke('archive.return', { loanId: l.loanId });
      notifySuccess(t('archiveUi.returned', { no: l.contractNo }));
    } catch (e) {
      notifyError(e);
    }
    load();
  }

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
          <LendingTable rows={rows ?? []} onReturn={canManage ? (l) => void giveBack(l) : undefined} onOpen={(l) => nav.navigate(to.loan(l.loanId, 'documents'))} />
        )}
      </Paper>
      {lending && (
        <LendModal
          onClose={() => setLending(false)}
          onSaved={(l) => {
            setLending(false);
            notifySuccess(t('archiveUi.lent', { no: l.contractNo, user: l.borrowerUser }));
            load();
          }}
        />
      )}
    </Stack>
  );
}

function LendModal({ onClose, onSaved }: { onClose: () => void; onSaved: (l: LendingView) => void }) {
  const { t } = useTranslation();
  const officers = useOfficers();
  const form = useFormState({ contractNo: '', borrowerUser: '', purpose: '', dueBack: addDays(todayIn(), 14) }, (path) => (path === 'loanId' ? 'contractNo' : path.split('.')[0]));
  const [busy, setBusy] = useState(false);
  const v = form.values;
  async function submit() {
    const d = dateError(v.dueBack, t);
    const errors = {
      ...(v.contractNo.trim() ? {} : { contractNo: t('validation.required') }),
      ...(v.borrowerUser.trim() ? {} : { borrowerUser: t('validation.required') }),
      ...(v.purpose.trim() ? {} : { purpose: t('validation.required') }),
      ...(d ? { dueBack: d } : {}),
    };
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    try {
      const no = v.contractNo.trim().toUpperCase();
      const { loans, missing } = await resolveContracts([no]);
      if (missing.length > 0) {
        form.setErrors({ contractNo: t('archiveUi.unknownContract', { nos: missing.join(t('archiveUi.listSep')) }) });
        setBusy(false);
        return;
      }
      onSaved(await invoke('archive.lend', { loanId: loans[0].id, borrowerUser: v.borrowerUser.trim(), purpose: v.purpose.trim(), dueBack: v.dueBack.trim() }));
    } catch (e) {
      form.handleError(e);
      setBusy(false);
    }
  }
  return (
    <Modal opened onClose={onClose} title={t('archiveUi.lend')} centered>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t('archiveUi.contractNo')} required maxLength={40} classNames={{ input: 'lk-mono-input' }} data-autofocus autoComplete="off" {...form.text('contractNo')} />
          <Autocomplete
            label={t('archiveUi.borrowerUser')}
            description={t('archiveUi.borrowerUserHint')}
            required
            withAsterisk={false}
            classNames={{ label: 'lk-required' }}
            maxLength={32}
            data={officers.map((o) => o.username)}
            renderOption={({ option }) => t('archiveUi.userOption', { name: officers.find((o) => o.username === option.value)?.displayName ?? '', username: option.value })}
            value={v.borrowerUser}
            error={form.errors.borrowerUser}
            onChange={(x) => form.set('borrowerUser', x)}
          />
          <Textarea label={t('archiveUi.purpose')} required maxLength={300} autosize minRows={2} {...form.text('purpose')} />
          <DateField label={t('archiveUi.dueBack')} required {...form.text('dueBack')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('portfolio.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('archiveUi.lendSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function GapsPanel() {
  const { t } = useTranslation();
  const nav = useNav();
  const locale = useLocale();
  const name = useUserNames();
  const [docType, setDocType] = useSticky<string | null>('archive.gapsDocType', null);
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
          <Table fz="sm" verticalSpacing={5} striped highlightOnHover data-testid="gaps">
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
