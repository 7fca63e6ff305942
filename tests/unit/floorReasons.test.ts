import { describe, expect, it } from 'vitest';
import { FLOOR_REASON_CODES, FLOOR_REASON_ZH, floorReasonText } from '../../src/shared/domain';
import { floorReasonsZh, readFloorReasons } from '../../src/main/domain/floorReasons';
import { floorReasonCode, inspectionReasonCode } from '../../src/main/db/migrations/0024_reason_codes';

describe('stored floor reasons', () => {
  it('reads codes as stored', () => {
    expect(readFloorReasons('[{"code":"loss","params":{"dpd":400}}]')).toEqual([{ code: 'loss', params: { dpd: 400 } }]);
  });

  it('reads text that migration 0024 could not convert as legacy text, without parsing it', () => {
    expect(readFloorReasons(JSON.stringify(['逾期九十五天，次级']))).toEqual([{ code: 'legacy', params: { text: '逾期九十五天，次级' } }]);
    expect(floorReasonsZh(readFloorReasons(JSON.stringify([{ code: 'substandard', params: { dpd: 95 } }, '逾期九十五天，次级'])))).toBe(
      '逾期 95 天，超过 90 天，至少为次级（《商业银行金融资产风险分类办法》）；逾期九十五天，次级',
    );
  });
});

describe('migration 0024: older rows’ sentences become codes', () => {
  it.each(FLOOR_REASON_CODES)('turns the Chinese sentence for the floor reason %s back into its code', (code) => {
    const params = FLOOR_REASON_ZH[code].includes('{{dpd}}') ? { dpd: 123 } : {};
    expect(floorReasonCode(floorReasonText({ code, params }))).toEqual({ code, params });
  });

  it('keeps a floor sentence it does not recognise as legacy text', () => {
    expect(floorReasonCode('逾期九十五天，次级')).toEqual({ code: 'legacy', params: { text: '逾期九十五天，次级' } });
  });

  it.each([
    ['首次检查：放款后 15 天内', { code: 'first', days: 15 }],
    ['常规检查：按月（风险客户或非正常类）', { code: 'routine', months: 1 }],
    ['常规检查：每半年（优质客户、正常类）', { code: 'routine', months: 6 }],
    ['常规检查：每 3 个月', { code: 'routine', months: 3 }],
    ['到期前检查：到期日前 20 天', { code: 'preMaturity', days: 20 }],
    ['专项检查：严重预警“停产停业”（预警 #42）', { code: 'special', warningId: 42 }],
    ['客户要求上门核实', { code: 'legacy', text: '客户要求上门核实' }],
  ])('reads the inspection reason “%s” as its code', (text, code) => {
    expect(inspectionReasonCode(text)).toEqual(code);
  });
});
