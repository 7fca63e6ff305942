import { Alert, Badge, Button, FileButton, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../lib/appInfo';
import { formatDay } from '../../lib/format';
import { useIpcMutation, useIpcQuery } from '../../lib/data/useIpc';
import { IpcError } from '../../lib/ipc';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useAlert } from '../../lib/useAlert';

/** 系统设置 › 节假日: the years the working-day calendar knows, and importing a newly published year from a text file. */
export function HolidaysSection() {
  const { t } = useTranslation();
  const locale = useLocale();
  const years = useIpcQuery('calendar.list', {}).data ?? null;
  const [open, setOpen] = useState<number | null>(null);
  const importing = useIpcMutation('calendar.import');
  const [problem, setProblem] = useAlert();
  const [lines, setLines] = useState<string[]>([]);

  async function importFile(file: File | null) {
    if (!file) return;
    setProblem(null);
    setLines([]);
    try {
      const text = await file.text();
      // The list is read again after the import (its feature's reads are refetched).
      await importing.mutateAsync({ fileName: file.name.slice(0, 200), text });
      // Main accepts a file of one year only: its first date names it.
      notifySuccess(t('calendarUi.importedOk', { year: /(\d{4})-\d{2}-\d{2}/.exec(text)?.[1] ?? '', file: file.name }));
    } catch (e) {
      // Every bad line is named, not only the first.
      if (e instanceof IpcError && e.issues.length > 0) {
        setProblem(t('calendarUi.badFile', { file: file.name, count: e.issues.length }));
        setLines(e.issues.map((i) => i.message));
      } else notifyError(e);
    }
  }

  const days = (list: string[]) => list.map((d) => formatDay(d, locale)).join(locale === 'en' ? '; ' : '、');
  const dayCount = (n: number) => (n === 1 ? t('calendarUi.oneDay') : t('calendarUi.days', { count: n }));
  return (
    <Paper withBorder p="lg" maw={900} data-testid="holidays">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('calendarUi.title')}
          </Title>
          <FileButton onChange={(f) => void importFile(f)} accept=".txt,.csv,text/plain,text/csv" inputProps={{ 'data-testid': 'calendar-input' } as object}>
            {(props) => (
              <Button variant="light" loading={importing.isPending} {...props}>
                {t('calendarUi.import')}
              </Button>
            )}
          </FileButton>
        </Group>
        <Text size="sm" c="dimmed">
          {t('calendarUi.intro')}
        </Text>
        {problem && (
          <Alert color="red" variant="light" title={problem} data-testid="calendar-errors" withCloseButton onClose={() => setProblem(null)}>
            <List size="sm" spacing={2}>
              {lines.map((l, i) => (
                <List.Item key={i}>{l}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Table fz="sm" verticalSpacing={5} striped data-testid="calendar-years">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('calendarUi.year')}</Table.Th>
              <Table.Th>{t('calendarUi.origin')}</Table.Th>
              <Table.Th>{t('calendarUi.source')}</Table.Th>
              <Table.Th ta="right">{t('calendarUi.holidays')}</Table.Th>
              <Table.Th ta="right">{t('calendarUi.workdays')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {years?.map((y) => (
              <Fragment key={y.year}>
                <Table.Tr>
                  <Table.Td fw={600}>{y.year}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={y.imported ? 'blue' : 'gray'}>
                      {y.imported ? t('calendarUi.imported') : t('calendarUi.builtIn')}
                    </Badge>
                  </Table.Td>
                  <Table.Td maw={320}>
                    <Text size="sm" truncate="end" title={y.source}>
                      {y.imported || locale === 'zh-CN' ? y.source : t('calendarUi.builtIn')}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{dayCount(y.holidays.length)}</Table.Td>
                  <Table.Td ta="right">{dayCount(y.workdays.length)}</Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" onClick={() => setOpen(open === y.year ? null : y.year)}>
                      {open === y.year ? t('calendarUi.hide') : t('calendarUi.show')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
                {open === y.year && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Stack gap={4} py={4}>
                        <Text size="xs">
                          <b>{t('calendarUi.holidays')}</b> {days(y.holidays)}
                        </Text>
                        <Text size="xs">
                          <b>{t('calendarUi.workdays')}</b> {days(y.workdays)}
                        </Text>
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
