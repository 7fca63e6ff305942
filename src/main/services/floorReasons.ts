import { FLOOR_REASON_CODES, FLOOR_REASON_ZH, floorReasonText, type FloorReason, type FloorReasonCode } from '../../shared/domain/classification';
import { wordFloorReason } from '../../shared/i18n/floorReasons';
import type { FloorReasonView } from '../../shared/ipc/loans';
import type { AppContext } from '../kernel/context';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Rows written before reasons were stored as codes hold the kernel's Chinese sentences; each becomes a pattern.
const PATTERNS: [RegExp, FloorReasonCode][] = FLOOR_REASON_CODES.map((code) => [
  new RegExp(`^${escape(FLOOR_REASON_ZH[code]).replace(escape('{{dpd}}'), '(\\d+)')}$`),
  code,
]);

export function parseLegacyReason(text: string): FloorReasonView {
  for (const [re, code] of PATTERNS) {
    const m = re.exec(text);
    if (m) return { code, params: m[1] === undefined ? {} : { dpd: Number(m[1]) } };
  }
  return { code: 'legacy', params: { text } };
}

/** `floor_reasons` as stored: codes with parameters, or (older rows) Chinese sentences. */
export function readFloorReasons(json: string): FloorReasonView[] {
  return (JSON.parse(json) as (FloorReason | string)[]).map((r) => (typeof r === 'string' ? parseLegacyReason(r) : r));
}

/** Chinese, for formal printouts and the stored text of a system history row. */
export function floorReasonsZh(reasons: FloorReasonView[]): string {
  return reasons.map((r) => (r.code === 'legacy' ? r.params.text : floorReasonText(r))).join('；');
}

/** In the user's language, for what main words itself (the ledger's Excel export). */
export function floorReasonsWorded(ctx: AppContext, reasons: FloorReasonView[]): string {
  return reasons.map((r) => wordFloorReason((k, p) => ctx.t(k, p), r)).join(ctx.config.locale === 'en' ? '; ' : '；');
}
