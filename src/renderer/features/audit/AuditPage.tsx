import { Alert, Button, Group, Pagination, Paper, Stack, Table, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditProblemMessage, type AuditCheck, type AuditEntry } from '../../../shared/ipc/audit';
import { ExportXlsxButton } from '../../components/ExportXlsxButton';
import { PageHeader } from '../../components/PageHeader';
import { useLocale } from '../../lib/appInfo';
import { notifyError } from '../../lib/notify';
import { formatDateTime } from '../../lib/format';
import { invoke } from '../../lib/ipc';

const PAGE_SIZE = 50;

export function AuditPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; entries: AuditEntry[] } | null>(null);
  const [check, setCheck] = useState<AuditCheck | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback((p: number) => {
    invoke('audit.list', { limit: PAGE_SIZE, offset: (p - 1) * PAGE_SIZE })
      .then(setData)
      .catch(notifyError);
  }, []);

  useEffect(() => load(page), [load, page]);

  async function verify() {
    setVerifying(true);
    try {
      setCheck(await invoke('audit.verify'));
    } catch (e) {
      notifyError(e);
    } finally {
      setVerifying(false);
    }
  }

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <Stack gap="md">
      <PageHeader title={t('audit.title')}>
        <ExportXlsxButton run={() => invoke('audit.exportXlsx', {})} />
        <Button variant="light" loading={verifying} onClick={() => void verify()}>
          {t('audit.verify')}
        </Button>
      </PageHeader>
      {check && <CheckResult check={check} />}
      <Paper withBorder>
        <AuditTable entries={data?.entries ?? []} />
      </Paper>
      {data && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('audit.total', { count: data.total })}
          </Text>
          {pages > 1 && (
            <Pagination
              size="sm"
              total={pages}
              value={page}
              onChange={setPage}
              getControlProps={(control) => ({ 'aria-label': t(`app.${control}Page`) })}
            />
          )}
        </Group>
      )}
    </Stack>
  );
}

/** The verdict, then both heads (the database's and the one kept outside it), and what lag or old forks mean. */
function CheckResult({ check }: { check: AuditCheck }) {
  const { t } = useTranslation();
  const problem = auditProblemMessage(check);
  const short = (h: { count: number; hash: string }) => ({ count: h.count, hash: `${h.hash.slice(0, 16)}…` });
  return (
    <Alert color={check.ok ? 'green' : 'red'} variant="light" role="status">
      <Stack gap={4}>
        <Text size="sm">{problem ? t(problem.key, problem.params) : t('audit.verifyOk', { count: check.count })}</Text>
        {check.head && (
          <Text size="xs" c="dimmed">
            {t('audit.head', short(check.head))}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {check.outside ? t('audit.outside', short(check.outside)) : t('audit.noOutside')}
        </Text>
        {check.lag > 0 && <Text size="xs">{t('audit.lag', { count: check.lag })}</Text>}
        {check.legacyForks > 0 && <Text size="xs">{t('audit.legacyForks', { count: check.legacyForks })}</Text>}
      </Stack>
    </Alert>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Table striped highlightOnHover verticalSpacing={6} fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={200}>{t('audit.at')}</Table.Th>
          <Table.Th w={140}>{t('audit.actor')}</Table.Th>
          <Table.Th>{t('audit.action')}</Table.Th>
          <Table.Th>{t('audit.entity')}</Table.Th>
          <Table.Th>{t('audit.reason')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={5}>
              <Text c="dimmed" size="sm" ta="center" py="md">
                {t('audit.empty')}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {entries.map((e) => (
          <Table.Tr key={e.id}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at, locale)}</Table.Td>
            <Table.Td>{e.actor}</Table.Td>
            <Table.Td>{t(`auditActions.${e.action}` as 'auditActions.users.create', { defaultValue: e.action })}</Table.Td>
            <Table.Td>
              {e.entity === 'list'
                ? t(`listExport.title.${e.entityId}` as 'listExport.title.loans', { defaultValue: e.entityId })
                : `${t(`auditEntities.${e.entity}` as 'auditEntities.user', { defaultValue: e.entity })} ${e.entity === 'settings' ? '' : e.entityId}`}
            </Table.Td>
            <Table.Td>{e.reason}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
