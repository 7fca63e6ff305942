import type { TFunction } from 'i18next';
import type { Locale } from '../../../shared/ipc/app';
import { useUserNames } from '../../lib/userNames';

/** Display names of everyone in the branch (users.names); see useUserNames. */
export const useStaffNames = useUserNames;

const REASONS: [RegExp, (m: RegExpExecArray, t: TFunction) => string][] = [
  [/^首次检查：放款后 (\d+) 天内$/, (m, t) => t('inspections.reasonText.first', { days: m[1] })],
  [/^常规检查：按月（风险客户或非正常类）$/, (_m, t) => t('inspections.reasonText.monthly')],
  [/^常规检查：每半年（优质客户、正常类）$/, (_m, t) => t('inspections.reasonText.halfYearly')],
  [/^常规检查：每 (\d+) 个月$/, (m, t) => t('inspections.reasonText.everyMonths', { months: m[1] })],
  [/^到期前检查：到期日前 (\d+) 天$/, (m, t) => t('inspections.reasonText.preMaturity', { days: m[1] })],
  [/^专项检查：.*（预警 #(\d+)）$/, (m, t) => t('inspections.reasonText.special', { id: m[1] })],
];

/** Main words an inspection's basis in Chinese when it plans it; in English the known ones are re-worded. */
export function inspectionReason(reason: string, locale: Locale, t: TFunction): string {
  if (locale === 'zh-CN') return reason;
  for (const [re, word] of REASONS) {
    const m = re.exec(reason);
    if (m) return word(m, t);
  }
  return reason;
}
