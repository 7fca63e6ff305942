import { describe, expect, it } from 'vitest';
import { assertFen, assertNonNegativeFen, fenFromRatio, formatFen, parseYuanToFen, sumFen } from '../../../src/shared/domain';

const MAX = Number.MAX_SAFE_INTEGER; // 9007199254740991 fen = 90,071,992,547,409.91 yuan

describe('assertFen', () => {
  it('returns safe integers unchanged, including zero and negatives', () => {
    expect(assertFen(0)).toBe(0);
    expect(assertFen(123456)).toBe(123456);
    expect(assertFen(-5)).toBe(-5);
    expect(assertFen(MAX)).toBe(MAX);
  });

  it.each([1.5, 0.1, Number.NaN, Infinity, -Infinity, MAX + 1, 2 ** 60])('throws RangeError for %s', (n) => {
    expect(() => assertFen(n)).toThrow(RangeError);
  });

  it('assertNonNegativeFen refuses negatives', () => {
    expect(assertNonNegativeFen(0)).toBe(0);
    expect(() => assertNonNegativeFen(-1)).toThrow(/不能为负数/);
  });
});

describe('parseYuanToFen', () => {
  it.each([
    ['1234', 123400],
    ['1,234.5', 123450],
    ['1234.56', 123456],
    ['1,234,567.89', 123456789],
    ['0', 0],
    ['0.01', 1],
    ['0.1', 10],
    ['12.30', 1230],
    ['  88.00 ', 8800],
    ['007', 700],
    ['90071992547409.91', MAX],
    ['90,071,992,547,409.91', MAX],
  ])('parses %j as %d fen', (text, fen) => {
    expect(parseYuanToFen(text)).toBe(fen);
  });

  it.each(['1.234', '1.000', '0.001', '1234.567'])('refuses more than two decimals: %j', (text) => {
    expect(() => parseYuanToFen(text)).toThrow(RangeError);
    expect(() => parseYuanToFen(text)).toThrow(/两位小数/);
  });

  it.each(['', '   ', 'abc', '1,23', '12,34.5', '1,2345', ',123', '1e5', '+1', '.5', '1.', '1 234', 'NaN', 'Infinity', '¥12', '1.2.3', '--1'])(
    'refuses non-numbers: %j',
    (text) => {
      expect(() => parseYuanToFen(text)).toThrow(RangeError);
    },
  );

  it.each([
    ['１０００', 100000],
    ['１,０００．５', 100050],
    ['０.０１', 1],
    ['０。０１', 1],
    ['　１２　', 1200],
    ['5万', 5000000],
    ['５万', 5000000],
    ['1.5万', 1500000],
    ['5万元', 5000000],
    ['1,000.5元', 100050],
    ['1.23456万', 1234560],
    ['0.000001万', 1],
    ['1,200万', 1200000000],
  ])('parses %j as a Chinese IME types it: %d fen', (text, fen) => {
    expect(parseYuanToFen(text)).toBe(fen);
  });

  it.each([
    ['1.2345678万', /六位小数/],
    ['0.0000001万', /六位小数/],
    ['０.００１', /两位小数/],
    ['-5万', /负数/],
    ['－１', /负数/],
    ['万', /格式/],
    ['5万万', /格式/],
    ['5元元', /格式/],
    ['5千', /格式/],
    ['1 234', /格式/],
    ['元', /格式/],
    ['9007199255万', /超出/],
  ])('refuses %j', (text, why) => {
    expect(() => parseYuanToFen(text)).toThrow(why);
  });

  it('plain: machine-written data (imports) stays ASCII yuan', () => {
    expect(parseYuanToFen('1,000.5', { plain: true })).toBe(100050);
    for (const s of ['5万', '１２', '12元']) expect(() => parseYuanToFen(s, { plain: true })).toThrow(/格式/);
  });

  it('a negative in 万 where negatives are allowed', () => {
    expect(parseYuanToFen('-1.5万', { allowNegative: true })).toBe(-1500000);
  });

  it('refuses amounts beyond Number.MAX_SAFE_INTEGER fen instead of rounding', () => {
    expect(() => parseYuanToFen('90071992547409.92')).toThrow(/超出/);
    expect(() => parseYuanToFen('100000000000000')).toThrow(RangeError);
  });

  it('refuses negatives unless allowed', () => {
    expect(() => parseYuanToFen('-1')).toThrow(/负数/);
    expect(parseYuanToFen('-1,234.56', { allowNegative: true })).toBe(-123456);
    expect(parseYuanToFen('-0.05', { allowNegative: true })).toBe(-5);
    expect(Object.is(parseYuanToFen('-0.00', { allowNegative: true }), 0)).toBe(true);
  });

  it('refuses non-string input', () => {
    expect(() => parseYuanToFen(12 as unknown as string)).toThrow(RangeError);
  });
});

describe('formatFen', () => {
  it.each([
    [123456, '1,234.56'],
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [100, '1.00'],
    [99999, '999.99'],
    [100000, '1,000.00'],
    [100000000, '1,000,000.00'],
    [-5, '-0.05'],
    [-123456789, '-1,234,567.89'],
    [MAX, '90,071,992,547,409.91'],
  ])('formats %d as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('refuses non-integers', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it('round-trips with parseYuanToFen', () => {
    for (const fen of [0, 1, 9, 10, 99, 100, 101, 999999, 1000000, 123456789012, MAX]) {
      expect(parseYuanToFen(formatFen(fen))).toBe(fen);
    }
    expect(parseYuanToFen(formatFen(-98765), { allowNegative: true })).toBe(-98765);
  });
});

describe('sumFen and fenFromRatio', () => {
  it('adds exactly and refuses overflow', () => {
    expect(sumFen([1, 2, 3])).toBe(6);
    expect(sumFen([])).toBe(0);
    expect(sumFen([MAX, -1])).toBe(MAX - 1);
    expect(() => sumFen([MAX, 1])).toThrow(RangeError);
    expect(() => sumFen([0.1, 0.2])).toThrow(RangeError);
  });

  it('rounds an exact fen amount half-up', () => {
    expect(fenFromRatio({ num: 5n, den: 2n })).toBe(3);
    expect(fenFromRatio({ num: 7n, den: 3n })).toBe(2);
    expect(fenFromRatio({ num: -5n, den: 2n })).toBe(-3);
  });
});
