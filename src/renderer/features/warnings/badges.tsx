import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WarningLevel, WarningStatus } from '../../../shared/ipc/warnings';
import { NO_SHRINK } from '../../components/PortfolioBadges';

const LEVEL_COLORS: Record<WarningLevel, string> = { light: 'yellow', medium: 'orange', serious: 'red' };
const STATUS_COLORS: Record<WarningStatus, string> = { raised: 'red', planned: 'blue', feedback: 'orange', confirmed: 'teal', cleared: 'green', escalated: 'grape' };

export function WarningLevelBadge({ level }: { level: WarningLevel }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" radius="sm" color={LEVEL_COLORS[level]} variant={level === 'serious' ? 'filled' : 'light'} style={NO_SHRINK}>
      {t(`warnings.level.${level}`)}
    </Badge>
  );
}

export function WarningStatusBadge({ status }: { status: WarningStatus }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={STATUS_COLORS[status]} style={NO_SHRINK} data-testid="warning-status">
      {t(`warnings.status.${status}`)}
    </Badge>
  );
}
