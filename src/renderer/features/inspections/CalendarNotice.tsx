import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/domain';
import { NO_SHRINK } from '../../components/PortfolioBadges';
import { useIpcQuery } from '../../lib/data/useIpc';
import { useNav } from '../../lib/nav';
import { to } from '../../routes/links';
import { missingCalendarYear } from './nextYear';

/** On the administrator's home page: asks for a year's holiday file that deadlines will need (see nextYear.ts). */
export function CalendarNotice() {
  const { t } = useTranslation();
  const nav = useNav();
  const years = useIpcQuery('calendar.list', {}, { select: (list) => list.map((y) => y.year) });
  const missing = years.data ? missingCalendarYear(years.data, todayIn()) : null;
  if (!missing) return null;
  return (
    <Alert color={missing.urgent ? 'orange' : 'blue'} variant="light" data-testid="calendar-notice" data-year={missing.year}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{t(missing.urgent ? 'calendarUi.missingNow' : 'calendarUi.missingNext', { year: missing.year })}</Text>
        {/* The words wrap; the button keeps its whole label. */}
        <Button size="compact-sm" variant="light" style={NO_SHRINK} onClick={() => nav.navigate(to.settings())}>
          {t('calendarUi.goImport')}
        </Button>
      </Group>
    </Alert>
  );
}
