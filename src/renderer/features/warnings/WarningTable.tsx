import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WarningView } from '../../../shared/ipc/warnings';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useLocale } from '../../lib/appInfo';
import { useWarningWords } from '../../lib/warningWords';
import { formatDate, formatDay } from '../../lib/format';
import { useStaffNames } from '../inspections/names';
import { WarningLevelBadge, WarningStatusBadge } from './badges';

/** Warnings newest first; a row opens the warning's loop. */
export function WarningTable({ rows, withLoan, onOpen, testId }: { rows: WarningView[]; withLoan: boolean; onOpen: (w: WarningView) => void; testId: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const words = useWarningWords();
  const name = useStaffNames();
  return (
    <Table.ScrollContainer minWidth={withLoan ? 1050 : 860}>
      <Table styles={{ th: { whiteSpace: 'nowrap' } }} fz="sm" verticalSpacing={6} striped highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('warningsUi.raisedAt')}</Table.Th>
            {withLoan && <Table.Th>{t('warningsUi.contractNo')}</Table.Th>}
            {withLoan && <Table.Th>{t('warningsUi.borrower')}</Table.Th>}
            <Table.Th>{t('warningsUi.signal')}</Table.Th>
            <Table.Th>{t('warningsUi.level')}</Table.Th>
            <Table.Th>{t('warningsUi.status')}</Table.Th>
            <Table.Th>{t('warningsUi.owner')}</Table.Th>
            <Table.Th>{t('warningsUi.planDue')}</Table.Th>
            <Table.Th>{t('warningsUi.source')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={withLoan ? 10 : 8}>
                <Text c="dimmed" size="sm" ta="center" py="md">
                  {t('warningsUi.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rows.map((w) => (
            <Table.Tr key={w.id} style={{ cursor: 'pointer' }} onClick={() => onOpen(w)} data-warning-id={w.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(w.raisedAt, locale)}</Table.Td>
              {withLoan && (
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {w.contractNo}
                </Table.Td>
              )}
              {withLoan && <Table.Td>{w.borrowerName}</Table.Td>}
              <Table.Td maw={300}>
                <Stack gap={0}>
                  <Text size="sm">{words.signal(w.signalNames)}</Text>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {words.detail(w.detail)}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td>
                <WarningLevelBadge level={w.level} />
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <WarningStatusBadge status={w.status} />
                  {w.planOverdue && (
                    <Badge size="sm" color="red" variant="filled" style={NO_SHRINK}>
                      {t('warningsUi.planOverdue')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{name(w.owner)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }} c={w.planOverdue ? 'red.7' : undefined}>
                {formatDay(w.planDue, locale)}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`warnings.source.${w.source}`)}</Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={(e) => {
                    e.stopPropagation();
                    onOpen(w);
                  }}
                >
                  {t('warningsUi.open')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
