import { Badge } from '@mantine/core';

/** Badges in narrow table cells keep their whole word rather than shrink to an ellipsis. */
export const NO_SHRINK = { minWidth: 'max-content', flexShrink: 0 } as const;
import { useTranslation } from 'react-i18next';
import type { ClassificationLevel, DpdBucket, PeriodStatus } from '../../shared/domain';
import type { LoanStatus } from '../../shared/ipc/loans';
import { useLocale } from '../lib/appInfo';
import { bucketColor, LEVEL_COLORS, levelLabel } from '../lib/labels';

export function BucketBadge({ bucket }: { bucket: DpdBucket }) {
  return (
    <Badge color={bucketColor(bucket)} variant={bucket === 'M0' ? 'light' : 'filled'} size="sm" radius="sm" style={NO_SHRINK}>
      {bucket}
    </Badge>
  );
}

export function LevelBadge({ level, size = 'sm' }: { level: ClassificationLevel; size?: 'sm' | 'md' | 'lg' }) {
  const locale = useLocale();
  return (
    <Badge color={LEVEL_COLORS[level]} variant={level === 'normal' ? 'light' : 'filled'} size={size} radius="sm" style={NO_SHRINK}>
      {levelLabel(level, locale)}
    </Badge>
  );
}

const STATUS_COLORS: Record<LoanStatus, string> = { active: 'blue', closed: 'gray', 'written-off': 'dark' };

export function LoanStatusBadge({ status }: { status: LoanStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="dot" size="sm" style={NO_SHRINK}>
      {t(`portfolio.loanStatus.${status}`)}
    </Badge>
  );
}

const PERIOD_COLORS: Record<PeriodStatus, string> = { paid: 'green', overdue: 'red', due: 'orange', partial: 'yellow', future: 'gray' };

export function PeriodStatusBadge({ status }: { status: PeriodStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={PERIOD_COLORS[status]} variant={status === 'overdue' ? 'filled' : 'light'} size="sm" radius="sm" style={NO_SHRINK}>
      {t(`loan.periodStatus.${status}`)}
    </Badge>
  );
}
