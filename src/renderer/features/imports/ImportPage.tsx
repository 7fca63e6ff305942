import { Alert, Button, FileButton, Group, Pagination, Paper, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { IMPORT_PREVIEW_ROWS, IMPORT_SHEET_KEYS, type ImportPreview, type ImportRows, type ImportSheetKey } from '../../../shared/ipc/imports';
import { PageHeader } from '../../components/PageHeader';
import { useLocale } from '../../lib/appInfo';
import { downloadBase64 } from '../../lib/download';
import { formatDay } from '../../lib/format';
import { useMutation } from '@tanstack/react-query';
import { useIpcCall, useIpcMutation } from '../../lib/data/useIpc';
import { invoke, IpcError } from '../../lib/ipc';
import { methodLabel } from '../../lib/labels';
import { yuan } from '../../lib/money';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { useAlert } from '../../lib/useAlert';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ERRORS_PER_PAGE = 100;

/** The file's bytes as standard base64, without the data-URL prefix. */
function readBase64(file: File): Promise<string> {
  return new Promise((ok, fail) => {
    const reader = new FileReader();
    reader.onload = () => ok(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => fail(reader.error);
    reader.readAsDataURL(file);
  });
}

export function ImportPage() {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [problem, setProblem] = useAlert();
  const resetRef = useRef<() => void>(null);
  const template = useIpcCall('import.template', { onSuccess: (file) => downloadBase64(file.base64, file.fileName, XLSX), onError: notifyError });
  // Reading a workbook checks it and keeps it for the commit; it changes no data yet.
  const reading = useMutation({
    mutationFn: async (file: File) => invoke('import.preview', { base64: await readBase64(file), fileName: file.name }),
    onSuccess: setPreview,
    onError: (e) => {
      if (e instanceof IpcError && e.code === 'LOCKED') return;
      setProblem(errorMessage(e));
    },
  });
  const committing = useIpcMutation('import.commit', {
    onSuccess: ({ imported }) => {
      notifySuccess(t('imports.committed', { ...imported }));
      setPreview(null);
    },
    onError: notifyError,
  });

  function pick(file: File | null) {
    resetRef.current?.();
    if (!file) return;
    setPreview(null);
    setProblem(null);
    if (!/\.xlsx$/i.test(file.name)) return setProblem(t('imports.notXlsx'));
    reading.mutate(file);
  }

  return (
    <Stack gap="md">
      <PageHeader title={t('imports.title')}>
        <Button variant="default" loading={template.isPending} onClick={() => template.mutate({})}>
          {t('imports.template')}
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed" maw={900}>
        {t('imports.intro')}
      </Text>
      <Group>
        <FileButton onChange={pick} accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" resetRef={resetRef}>
          {(props) => (
            <Button {...props} loading={reading.isPending}>
              {t('imports.pick')}
            </Button>
          )}
        </FileButton>
        {reading.isPending && (
          <Text size="sm" c="dimmed">
            {t('imports.reading')}
          </Text>
        )}
      </Group>
      {problem && (
        <Alert color="red" variant="light" role="alert">
          {problem}
        </Alert>
      )}
      {preview && <PreviewView preview={preview} committing={committing.isPending} onCommit={() => committing.mutate({ token: preview.token })} />}
    </Stack>
  );
}

function PreviewView({ preview, committing, onCommit }: { preview: ImportPreview; committing: boolean; onCommit: () => void }) {
  const { t } = useTranslation();
  const hasErrors = preview.errorCount > 0;
  const empty = IMPORT_SHEET_KEYS.every((k) => preview.summary[k] === 0);
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={3} size="h5">
              {t('imports.summary')} · {t('imports.file', { file: preview.fileName })}
            </Title>
            <Button onClick={onCommit} disabled={hasErrors || empty} loading={committing}>
              {t('imports.commit')}
            </Button>
          </Group>
          <SimpleGrid cols={5} data-testid="import-summary">
            {IMPORT_SHEET_KEYS.map((k) => (
              <Paper key={k} withBorder p="sm" bg="gray.0">
                <Text size="xs" c="dimmed">
                  {t(`imports.sheets.${k}`)}
                </Text>
                <Text fw={700} fz="lg">
                  {t('imports.count', { count: preview.summary[k] })}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          {hasErrors ? (
            <Alert color="red" variant="light" role="alert">
              {t('imports.errorCount', { count: preview.errorCount })}
              {preview.errors.length < preview.errorCount && ` ${t('imports.errorsShown', { shown: preview.errors.length })}`}
            </Alert>
          ) : (
            <Alert color="green" variant="light">
              {t('imports.noErrors')}
            </Alert>
          )}
        </Stack>
      </Paper>
      {hasErrors && <ErrorTable errors={preview.errors} />}
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('imports.rows')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('imports.rowsLimited', { count: IMPORT_PREVIEW_ROWS })}
          </Text>
          <RowTabs rows={preview.rows} />
        </Stack>
      </Paper>
    </Stack>
  );
}

function ErrorTable({ errors }: { errors: ImportPreview['errors'] }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const pages = Math.ceil(errors.length / ERRORS_PER_PAGE);
  const shown = errors.slice((page - 1) * ERRORS_PER_PAGE, page * ERRORS_PER_PAGE);
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('imports.errors')}
        </Title>
        <Table fz="sm" verticalSpacing={4} striped data-testid="import-errors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.sheet')}</Table.Th>
              <Table.Th ta="right">{t('imports.row')}</Table.Th>
              <Table.Th>{t('imports.column')}</Table.Th>
              <Table.Th>{t('imports.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((e, i) => (
              <Table.Tr key={i}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{e.sheet}</Table.Td>
                <Table.Td ta="right">{e.row || ''}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{e.column}</Table.Td>
                <Table.Td>{e.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {pages > 1 && (
          <Group justify="flex-end">
            <Pagination size="sm" total={pages} value={page} onChange={setPage} getControlProps={(control) => ({ 'aria-label': t(`app.${control}Page`) })} />
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

type Column<R> = [label: string, render: (r: R) => ReactNode];

function RowTable<R extends { row: number }>({ rows, columns }: { rows: R[]; columns: Column<R>[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) {
    return (
      <Text c="dimmed" size="sm" ta="center" py="md">
        {t('portfolio.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={600} maxHeight={480}>
      <Table fz="xs" verticalSpacing={3} striped stickyHeader style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th ta="right">{t('imports.row')}</Table.Th>
            {columns.map(([label]) => (
              <Table.Th key={label}>{label}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.row}>
              <Table.Td ta="right">{r.row}</Table.Td>
              {columns.map(([label, render]) => (
                <Table.Td key={label}>{render(r)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RowTabs({ rows }: { rows: ImportRows }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [tab, setTab] = useState<ImportSheetKey>('borrowers');
  const money = (fen: number | null) => (fen === null ? '' : yuan(fen));
  const day = (d: string | null) => (d ? formatDay(d, locale) : '');
  const sep = locale === 'en' ? ', ' : '、';
  return (
    <Tabs value={tab} onChange={(v) => v && setTab(v as ImportSheetKey)} keepMounted={false}>
      <Tabs.List>
        {IMPORT_SHEET_KEYS.map((k) => (
          <Tabs.Tab key={k} value={k}>
            {t(`imports.sheets.${k}`)} ({rows[k].length})
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="borrowers" pt="xs">
        <RowTable
          rows={rows.borrowers}
          columns={[
            [t('borrowers.kind'), (r) => (r.kind ? t(`portfolio.kind.${r.kind}`) : '')],
            [t('borrowers.name'), (r) => r.name],
            [t('borrowers.idNumber'), (r) => r.idNumber],
            [t('borrowers.phone'), (r) => r.phone],
            [t('borrowers.address'), (r) => r.address],
            [t('borrowers.employer'), (r) => r.employer],
            [t('borrowers.legalRep'), (r) => r.legalRep],
            [t('borrowers.industry'), (r) => r.industry],
            [t('borrowers.registeredCapital'), (r) => money(r.registeredCapitalFen)],
            [t('borrowers.tier'), (r) => (r.tier ? t(`portfolio.tier.${r.tier}`) : '')],
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="loans" pt="xs">
        <RowTable
          rows={rows.loans}
          columns={[
            [t('loans.contractNo'), (r) => r.contractNo],
            [t('borrowers.idNumber'), (r) => r.borrowerIdNumber],
            [t('loans.product'), (r) => r.product],
            [t('loans.amount'), (r) => money(r.principalFen)],
            [t('loans.annualRate'), (r) => r.annualRate ?? ''],
            [t('loans.penaltyUplift'), (r) => r.penaltyUplift ?? ''],
            [t('loans.termMonths'), (r) => r.months ?? ''],
            [t('loans.method'), (r) => (r.method ? methodLabel(r.method, locale) : '')],
            [t('loans.startDate'), (r) => day(r.startDate)],
            [t('loans.maturity'), (r) => day(r.maturityDate)],
            [t('loans.guaranteeModes'), (r) => r.guaranteeModes.map((m) => t(`portfolio.guaranteeMode.${m}`)).join(sep)],
            [t('loans.officer'), (r) => r.officer],
            [t('loan.drawdowns.contractAmount'), (r) => money(r.contractAmountFen)],
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="guarantors" pt="xs">
        <RowTable
          rows={rows.guarantors}
          columns={[
            [t('loans.contractNo'), (r) => r.contractNo],
            [t('loan.guarantees.kind'), (r) => (r.kind ? t(`portfolio.kind.${r.kind}`) : '')],
            [t('loan.guarantees.name'), (r) => r.name],
            [t('loan.guarantees.idNumber'), (r) => r.idNumber],
            [t('loan.guarantees.phone'), (r) => r.phone],
            [t('loan.guarantees.type'), (r) => (r.guaranteeType ? t(`loan.guarantees.${r.guaranteeType}`) : '')],
            [t('loan.guarantees.amount'), (r) => money(r.amountFen)],
            [t('loan.guarantees.periodEnd'), (r) => day(r.periodEnd)],
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="collateral" pt="xs">
        <RowTable
          rows={rows.collateral}
          columns={[
            [t('loans.contractNo'), (r) => r.contractNo],
            [t('loan.collateral.kind'), (r) => (r.kind ? t(`portfolio.guaranteeMode.${r.kind}`) : '')],
            [t('loan.collateral.type'), (r) => r.type],
            [t('loan.collateral.description'), (r) => r.description],
            [t('loan.collateral.owner'), (r) => r.owner],
            [t('loan.collateral.value'), (r) => money(r.valueFen)],
            [t('loan.collateral.valuedOn'), (r) => day(r.valuedOn)],
            [t('loan.collateral.registrationNo'), (r) => r.registrationNo],
            [t('loan.collateral.certNo'), (r) => r.certNo],
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="repayments" pt="xs">
        <RowTable
          rows={rows.repayments}
          columns={[
            [t('loans.contractNo'), (r) => r.contractNo],
            [t('loan.repayments.paidOn'), (r) => day(r.paidOn)],
            [t('loan.repayments.amount'), (r) => money(r.amountFen)],
            [t('loan.repayments.note'), (r) => r.note],
          ]}
        />
      </Tabs.Panel>
      <Tabs.Panel value="drawdowns" pt="xs">
        <RowTable
          rows={rows.drawdowns}
          columns={[
            [t('loans.contractNo'), (r) => r.contractNo],
            [t('loan.drawdowns.drawnOn'), (r) => day(r.drawnOn)],
            [t('loan.drawdowns.amount'), (r) => money(r.amountFen)],
            [t('loan.drawdowns.voucherNo'), (r) => r.voucherNo],
          ]}
        />
      </Tabs.Panel>
    </Tabs>
  );
}
