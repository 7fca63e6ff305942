import { floorReasonText, type FloorReason } from '../../shared/domain/classification';
import { wordFloorReason } from '../../shared/i18n/floorReasons';
import type { FloorReasonView } from '../../shared/ipc/loans';
import type { AppContext } from '../kernel/context';

/**
 * `floor_reasons` as stored: codes with parameters. Older rows' Chinese sentences were converted by migration 0024;
 * one it did not recognise is kept as `legacy` text.
 */
export function readFloorReasons(json: string): FloorReasonView[] {
  return (JSON.parse(json) as (FloorReason | FloorReasonView | string)[]).map((r) => (typeof r === 'string' ? { code: 'legacy', params: { text: r } } : r));
}

/** Chinese, for formal printouts and the stored text of a system history row. */
export function floorReasonsZh(reasons: FloorReasonView[]): string {
  return reasons.map((r) => (r.code === 'legacy' ? r.params.text : floorReasonText(r))).join('；');
}

/** In the user's language, for what main words itself (the ledger's Excel export). */
export function floorReasonsWorded(ctx: AppContext, reasons: FloorReasonView[]): string {
  return reasons.map((r) => wordFloorReason((k, p) => ctx.t(k, p), r)).join(ctx.config.locale === 'en' ? '; ' : '；');
}
