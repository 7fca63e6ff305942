import type { MantineColor } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { Locale } from '../../shared/ipc/app';
import { isValidDate, LEVEL_LABELS, REPAYMENT_METHOD_LABELS, type ClassificationLevel, type DpdBucket, type RepaymentMethod } from '../../shared/domain';

export function levelLabel(level: ClassificationLevel, locale: Locale): string {
  return LEVEL_LABELS[level][locale === 'en' ? 'en' : 'zh'];
}

export function methodLabel(method: RepaymentMethod, locale: Locale): string {
  return REPAYMENT_METHOD_LABELS[method][locale === 'en' ? 'en' : 'zh'];
}

export const LEVEL_COLORS: Record<ClassificationLevel, MantineColor> = {
  normal: 'green',
  'special-mention': 'yellow',
  substandard: 'orange',
  doubtful: 'red',
  loss: 'grape',
};

export function bucketColor(bucket: DpdBucket): MantineColor {
  if (bucket === 'M0') return 'green';
  if (bucket === 'M1') return 'yellow';
  if (bucket === 'M2' || bucket === 'M3') return 'orange';
  return 'red';
}

/** A required business date typed as YYYY-MM-DD: an error message, or null when it is fine. */
export function dateError(text: string, t: TFunction, optional = false): string | null {
  const s = text.trim();
  if (!s) return optional ? null : t('validation.required');
  return isValidDate(s) ? null : t('validation.date');
}

/** A whole number in [min, max], or an error message. */
export function intError(text: string, min: number, max: number, t: TFunction): string | null {
  const s = text.trim();
  if (!s) return t('validation.required');
  const n = Number(s);
  return /^\d+$/.test(s) && n >= min && n <= max ? null : t('portfolio.number', { min, max });
}
