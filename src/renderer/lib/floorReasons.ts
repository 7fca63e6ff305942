import { useTranslation } from 'react-i18next';
import { wordFloorReason } from '../../shared/i18n/floorReasons';
import type { FloorReasonView } from '../../shared/ipc/loans';

/** Words the floor's reasons (codes from main) in the UI language. */
export function useFloorReasons(): { word: (r: FloorReasonView) => string; join: (rs: FloorReasonView[]) => string } {
  const { t, i18n } = useTranslation();
  const word = (r: FloorReasonView) => wordFloorReason((key, params) => t(key, params ?? {}), r);
  return { word, join: (rs) => rs.map(word).join(i18n.language === 'en' ? '; ' : '；') };
}
