import type { MessageKey } from '../../../shared/i18n';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * The fold button of a 我的工作台 section. "All" only when main sent every item; when it left some out (the note
 * under the list says how many), the button unfolds "the ones listed", so the two never contradict each other.
 */
export function foldLabel(t: Translate, s: { unfolded: boolean; listed: number; total: number }): string {
  if (s.unfolded) return t('todayUi.showLess');
  return s.total > s.listed ? t('todayUi.showListed', { count: s.listed }) : t('todayUi.showAll', { count: s.listed });
}
