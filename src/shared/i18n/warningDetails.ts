import { formatFen } from '../domain/money';
import type { WarningDetail } from '../ipc/warnings';
import type { MessageKey } from './index';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Permille as a percentage with one decimal, truncated as the rules compare it (455 → "45.5"). */
const percent = (permille: number) => `${Math.floor(permille / 10)}.${permille % 10}`;

/**
 * What a warning found, in the catalogue's language: staff's own words as written, automatic findings worded, their
 * dates through `day` (formatDay in the reader's language).
 */
export function wordWarningDetail(t: Translate, d: WarningDetail, day: (date: string) => string = (x) => x): string {
  if (d.kind === 'text') return d.text;
  const p = d.params;
  const n = (k: string) => Number(p[k] ?? 0);
  const s = (k: string) => String(p[k] ?? '');
  switch (d.kind) {
    case 'dpd':
      return t('warnings.detail.dpd', { dpd: n('dpd'), since: day(s('since')) });
    case 'debtRatio':
      return t('warnings.detail.debtRatio', { ratio: percent(n('permille')), limit: n('limit'), reportId: n('reportId'), visitDate: day(s('visitDate')) });
    case 'debtRatioJump':
      return t('warnings.detail.debtRatioJump', { before: percent(n('before')), after: percent(n('after')), points: percent(n('after') - n('before')), reportId: n('reportId') });
    case 'missedInspection':
      return t('warnings.detail.missedInspection', { kind: t(`warnings.inspectionKind.${s('kind')}` as MessageKey), dueDate: day(s('dueDate')), inspectionId: n('inspectionId') });
    case 'ltv':
      return t('warnings.detail.ltv', { balance: formatFen(n('balanceFen')), value: formatFen(n('valueFen')), ratio: percent(n('permille')), limit: n('limit') });
    case 'escalated':
      return t('warnings.detail.escalated', { from: n('from'), note: s('note') });
    case 'lostContact':
      return t('warnings.detail.lostContact', { numbers: n('numbers'), slots: n('slots'), attempts: n('attempts'), lastOn: day(s('lastOn')) });
    case 'misdirectedPayment':
      return t('warnings.detail.misdirectedPayment', { debtor: s('debtor'), invoiceNo: s('invoiceNo'), amount: formatFen(n('amountFen')), paidOn: day(s('paidOn')) });
    case 'dilution':
      return t('warnings.detail.dilution', { debtor: s('debtor'), invoiceNo: s('invoiceNo'), kind: t(`factoring.kind.${s('kind') as 'credit-note' | 'return' | 'dispute'}`), amount: formatFen(n('amountFen')), on: day(s('on')) });
  }
}

/** A name kept in both languages (warning signals, document types), in the reader's. */
export function localName(name: { zh: string; en: string }, locale: string): string {
  return locale === 'en' ? name.en : name.zh;
}
