import { describe, expect, it } from 'vitest';
import { FLOOR_REASON_CODES, FLOOR_REASON_ZH, floorReasonText } from '../../src/shared/domain';
import { floorReasonsZh, parseLegacyReason, readFloorReasons } from '../../src/main/services/floorReasons';

describe('stored floor reasons', () => {
  it('reads codes as stored', () => {
    expect(readFloorReasons('[{"code":"loss","params":{"dpd":400}}]')).toEqual([{ code: 'loss', params: { dpd: 400 } }]);
  });

  it.each(FLOOR_REASON_CODES)('turns the old Chinese sentence for %s back into its code', (code) => {
    const params = FLOOR_REASON_ZH[code].includes('{{dpd}}') ? { dpd: 123 } : {};
    expect(parseLegacyReason(floorReasonText({ code, params }))).toEqual({ code, params });
  });

  it('keeps text it does not recognise, and reads a mixed old row', () => {
    const old = ['逾期 95 天，超过 90 天，至少为次级（《商业银行金融资产风险分类办法》）', '逾期九十五天，次级'];
    expect(readFloorReasons(JSON.stringify(old))).toEqual([
      { code: 'substandard', params: { dpd: 95 } },
      { code: 'legacy', params: { text: '逾期九十五天，次级' } },
    ]);
    expect(floorReasonsZh(readFloorReasons(JSON.stringify(old)))).toBe(old.join('；'));
  });
});
