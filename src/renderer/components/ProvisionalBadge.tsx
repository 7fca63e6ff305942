import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NO_SHRINK } from './PortfolioBadges';

/**
 * 暂定: a working-day deadline in a year without a holiday calendar, counted on weekends alone; it may move once
 * the State Council publishes the year and its file is imported (系统设置 → 节假日).
 */
export function ProvisionalBadge({ show }: { show: boolean }) {
  const { t } = useTranslation();
  if (!show) return null;
  return (
    <Tooltip label={t('app.provisionalHint')} multiline w={260} withArrow>
      <Badge size="xs" variant="outline" color="orange" style={NO_SHRINK} data-testid="provisional-badge">
        {t('app.provisional')}
      </Badge>
    </Tooltip>
  );
}
