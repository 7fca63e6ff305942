import { Paper, Stack, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReportView } from '../../../shared/ipc/reports';
import { useLocale } from '../../lib/appInfo';
import { formatDateTime } from '../../lib/format';
import { useStaffNames } from '../inspections/names';

const STEPS = ['create', 'update', 'attach', 'detach', 'submit', 'return', 'returnSigned', 'sign', 'accept', 'correct'] as const;
type Step = (typeof STEPS)[number];

/** Every step the report went through: who, when, and what they wrote. */
export function ReportEvents({ report }: { report: ReportView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const name = useStaffNames();
  const label = (step: string) => ((STEPS as readonly string[]).includes(step) ? t(`reports.event.${step as Step}`) : step);
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('reports.section.history')}
        </Title>
        <Table fz="sm" verticalSpacing={4} striped data-testid="report-events">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={190}>{t('reports.eventAt')}</Table.Th>
              <Table.Th w={150}>{t('reports.eventStep')}</Table.Th>
              <Table.Th w={180}>{t('reports.eventBy')}</Table.Th>
              <Table.Th>{t('reports.eventComment')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...report.events].reverse().map((e, i) => (
              <Table.Tr key={i}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at, locale)}</Table.Td>
                <Table.Td>{label(e.step)}</Table.Td>
                <Table.Td>{name(e.by)}</Table.Td>
                <Table.Td>{e.comment}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
