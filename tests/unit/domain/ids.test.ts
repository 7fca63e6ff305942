import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode, isValidResidentId, maskIdNumber, maskMiddle, maskPhone, residentIdCheckChar } from '../../../src/shared/domain';

const TODAY = '2026-11-23';
const withCheck = (first17: string): string => first17 + residentIdCheckChar(first17);

describe('residentIdCheckChar', () => {
  it('computes ISO 7064 MOD 11-2 check characters', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X'); // GB 11643-1999 sample
    expect(residentIdCheckChar('44052418800101001')).toBe('4'); // GB 11643-1999 sample
    expect(residentIdCheckChar('11010119900307123')).toBe('3');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => residentIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => residentIdCheckChar('1101051949123100A')).toThrow(RangeError);
  });
});

describe('isValidResidentId', () => {
  it('accepts the well-known sample, lowercase x too', () => {
    expect(isValidResidentId('11010519491231002X', TODAY)).toBe(true);
    expect(isValidResidentId('11010519491231002x', TODAY)).toBe(true);
    expect(isValidResidentId('110101199003071233', TODAY)).toBe(true);
  });

  it('accepts generated IDs across province codes', () => {
    for (const province of ['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82', '83', '91']) {
      expect(isValidResidentId(withCheck(`${province}0102198502280${province.slice(1)}1`), TODAY)).toBe(true);
    }
  });

  it('refuses a wrong check character', () => {
    expect(isValidResidentId('110105194912310021', TODAY)).toBe(false);
    expect(isValidResidentId('110101199003071234', TODAY)).toBe(false);
  });

  it.each(['10', '16', '20', '24', '30', '38', '47', '55', '60', '66', '70', '72', '80', '84', '90', '92', '99'])(
    'refuses province code %s',
    (province) => {
      expect(isValidResidentId(withCheck(`${province}010519491231002`), TODAY)).toBe(false);
    },
  );

  it('refuses impossible, pre-1900 and future birth dates', () => {
    expect(isValidResidentId(withCheck('11010519490230002'), TODAY)).toBe(false);
    expect(isValidResidentId(withCheck('11010519491301002'), TODAY)).toBe(false);
    expect(isValidResidentId(withCheck('11010519010229002'), TODAY)).toBe(false);
    expect(isValidResidentId(withCheck('11010520000229002'), TODAY)).toBe(true);
    // The standard's own 1880 sample has a correct check digit but is before 1900.
    expect(isValidResidentId('440524188001010014', TODAY)).toBe(false);
    expect(isValidResidentId(withCheck('11010518991231002'), TODAY)).toBe(false);
    expect(isValidResidentId(withCheck('11010519000101002'), TODAY)).toBe(true);
    expect(isValidResidentId(withCheck('11010520261123002'), TODAY)).toBe(true);
    expect(isValidResidentId(withCheck('11010520261124002'), TODAY)).toBe(false);
  });

  it('defaults today to the current date', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId(withCheck('11010530000101002'))).toBe(false);
  });

  it.each(['', '11010519491231002', '11010519491231002X1', '1101051949123100XX', '11010519491231002Y', ' 11010519491231002X', '110105194912310 2X'])(
    'refuses malformed %j',
    (id) => {
      expect(isValidResidentId(id, TODAY)).toBe(false);
    },
  );
});

describe('unified social credit code', () => {
  it('computes the check character of a commonly cited valid code', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
  });

  it('accepts generated codes, including a letter check', () => {
    const generated = ['91110000100000000', '91440300MA5F00000', '12100000400000000', '52110000MJ0000000', '93330100MA2ABCDEF'];
    for (const first17 of generated) {
      const code = first17 + creditCodeCheckChar(first17);
      expect(isValidCreditCode(code)).toBe(true);
    }
    expect(creditCodeCheckChar('91110000100000000')).toBe('R');
    expect(creditCodeCheckChar('91440300MA5F00000')).toBe('7');
  });

  it('maps a remainder of 0 to check 0', () => {
    // Find a body whose weighted sum is a multiple of 31 by varying the last digit position.
    const body = Array.from({ length: 31 }, (_, i) => `9111000010000000${'0123456789ABCDEFGHJKLMNPQRTUWXY'[i]}`).find(
      (b) => creditCodeCheckChar(b) === '0',
    );
    expect(body).toBeDefined();
    expect(isValidCreditCode(`${body}0`)).toBe(true);
  });

  it('refuses a wrong check character, forbidden letters, lowercase and bad lengths', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4I')).toBe(false);
    for (const forbidden of ['I', 'O', 'Z', 'S', 'V']) expect(isValidCreditCode(`91350100${forbidden}000100Y43`)).toBe(false);
    expect(isValidCreditCode('91350100m000100y43')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y433')).toBe(false);
    expect(isValidCreditCode('')).toBe(false);
    expect(() => creditCodeCheckChar('91350100I000100Y4')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('913501')).toThrow(RangeError);
  });
});

describe('masking for borrowers the caller does not manage', () => {
  it('an ID number keeps its region code and last four; a mobile number its first three and last four', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('91350100M000100007')).toBe('913501********0007');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('')).toBe('');
  });

  it('a short value shows less, never fewer than four characters hidden', () => {
    expect(maskPhone('6512345')).toBe('6****45');
    expect(maskPhone('12345')).toBe('****5');
    expect(maskMiddle('abc', 3, 4)).toBe('***');
    for (const v of ['1', '1234', '123456', '010-65123456', '11010519491231002X']) {
      const m = maskMiddle(v, 6, 4);
      expect([...m].length, v).toBe([...v].length);
      expect((m.match(/\*/g) ?? []).length, v).toBeGreaterThanOrEqual(Math.min(4, v.length));
    }
  });
});
