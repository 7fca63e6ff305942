import type { InspectionReason } from '../domain/inspectionPlan';
import type { MessageKey } from './index';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * An inspection's reason in the catalogue's language. A routine interval of one month or six months has its
 * own wording (the rule's two named cases); a reason from before codes that was not recognised stays as stored.
 */
export function wordInspectionReason(t: Translate, r: InspectionReason, signal: string | null): string {
  switch (r.code) {
    case 'first':
      return t('inspections.reasonText.first', { days: r.days });
    case 'routine':
      // Worded by the interval that applied, whatever the administrator set it to; one month has its own words.
      if (r.large) return r.months === 1 ? t('inspections.reasonText.largeBalanceMonthly') : t('inspections.reasonText.largeBalance', { months: r.months });
      if (r.tier) return r.months === 1 ? t(`inspections.reasonText.tierMonthly.${r.tier}`) : t(`inspections.reasonText.tier.${r.tier}`, { months: r.months });
      if (r.months === 1) return t('inspections.reasonText.monthly');
      if (r.months === 6) return t('inspections.reasonText.halfYearly');
      return t('inspections.reasonText.everyMonths', { months: r.months });
    case 'preMaturity':
      return t('inspections.reasonText.preMaturity', { days: r.days });
    case 'special':
      return t('inspections.reasonText.special', { id: r.warningId, signal: signal ?? '—' });
    case 'legacy':
      return r.text;
  }
}
