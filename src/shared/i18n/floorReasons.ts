import type { FloorReasonView } from '../ipc/loans';
import type { MessageKey } from './index';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A floor reason in the catalogue's language; legacy text stays as it was stored. */
export function wordFloorReason(t: Translate, r: FloorReasonView): string {
  if (r.code === 'legacy') return r.params.text;
  return t(`loan.floorReason.${r.code}`, { dpd: r.params.dpd ?? '', rules: t('loan.floorReason.rules') });
}
