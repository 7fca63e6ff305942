import { describe, expect, it } from 'vitest';
import {
  addRatio,
  compareRatio,
  dailyRate,
  divRatio,
  fractionAsPercent,
  monthlyRate,
  mulRatio,
  parseDecimal,
  percentToRatio,
  ratio,
  reduceRatio,
  roundHalfUp,
  subRatio,
  toDecimalString,
} from '../../../src/shared/domain';

describe('parseDecimal', () => {
  it('parses exact decimal strings', () => {
    expect(parseDecimal('4.35')).toEqual({ num: 435n, den: 100n });
    expect(parseDecimal('4.9')).toEqual({ num: 49n, den: 10n });
    expect(parseDecimal('36')).toEqual({ num: 36n, den: 1n });
    expect(parseDecimal('-0.5')).toEqual({ num: -5n, den: 10n });
    expect(parseDecimal('0.000000000000000000000000000001')).toEqual({ num: 1n, den: 10n ** 30n });
  });

  it.each(['', 'abc', '1e3', '4.9%', '.5', '5.', '1,000', '+1', ' ', '0x10'])('refuses %j', (text) => {
    expect(() => parseDecimal(text)).toThrow(RangeError);
  });
});

describe('roundHalfUp', () => {
  it.each([
    [5n, 2n, 3n],
    [3n, 2n, 2n],
    [1n, 2n, 1n],
    [-5n, 2n, -3n],
    [-1n, 2n, -1n],
    [7n, 3n, 2n],
    [8n, 3n, 3n],
    [-7n, 3n, -2n],
    [24999n, 10000n, 2n],
    [25000n, 10000n, 3n],
    [10n, 5n, 2n],
    [0n, 7n, 0n],
  ])('%d/%d → %d', (num, den, expected) => {
    expect(roundHalfUp(num, den)).toBe(expected);
    expect(roundHalfUp({ num, den })).toBe(expected);
  });

  it('differs from banker’s rounding on even halves', () => {
    expect(roundHalfUp(1n, 2n)).toBe(1n); // banker's: 0
    expect(roundHalfUp(5n, 2n)).toBe(3n); // banker's: 2
  });

  it('handles a negative denominator and refuses zero', () => {
    expect(roundHalfUp(5n, -2n)).toBe(-3n);
    expect(() => roundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});

describe('ratio arithmetic', () => {
  it('adds, subtracts, multiplies, divides and reduces exactly', () => {
    const third = ratio(1n, 3n);
    const sixth = ratio(1n, 6n);
    expect(addRatio(third, sixth)).toEqual({ num: 1n, den: 2n });
    expect(subRatio(third, sixth)).toEqual({ num: 1n, den: 6n });
    expect(mulRatio(third, ratio(3n))).toEqual({ num: 1n, den: 1n });
    expect(divRatio(third, sixth)).toEqual({ num: 2n, den: 1n });
    expect(reduceRatio({ num: 10n, den: 100n })).toEqual({ num: 1n, den: 10n });
    expect(ratio(1n, -2n)).toEqual({ num: -1n, den: 2n });
    expect(() => divRatio(third, ratio(0n))).toThrow(RangeError);
  });

  it('0.1 + 0.2 is exactly 0.3', () => {
    expect(compareRatio(addRatio(parseDecimal('0.1'), parseDecimal('0.2')), parseDecimal('0.3'))).toBe(0);
  });

  it('compares', () => {
    expect(compareRatio(parseDecimal('4.35'), parseDecimal('4.350'))).toBe(0);
    expect(compareRatio(parseDecimal('4.35'), parseDecimal('4.4'))).toBe(-1);
    expect(compareRatio(parseDecimal('36.01'), parseDecimal('36'))).toBe(1);
  });
});

describe('rates', () => {
  it('converts per cent to a fraction', () => {
    expect(compareRatio(percentToRatio('4.35'), ratio(435n, 10000n))).toBe(0);
  });

  it('monthly rate is annual ÷ 12 and daily rate annual ÷ 360', () => {
    expect(compareRatio(monthlyRate('4.9'), ratio(49n, 12000n))).toBe(0);
    expect(compareRatio(dailyRate('3.6'), ratio(1n, 10000n))).toBe(0);
    expect(toDecimalString(dailyRate('4.35'), 8)).toBe('0.00012083');
  });
});

describe('toDecimalString', () => {
  it('formats with fixed places, rounding half-up', () => {
    expect(toDecimalString(ratio(2n, 3n), 4)).toBe('0.6667');
    expect(toDecimalString(parseDecimal('2.345'), 2)).toBe('2.35');
    expect(toDecimalString(parseDecimal('-2.345'), 2)).toBe('-2.35');
    expect(toDecimalString(parseDecimal('0.005'), 2)).toBe('0.01');
    expect(toDecimalString(parseDecimal('12.5'), 0)).toBe('13');
    expect(toDecimalString(parseDecimal('7'), 3)).toBe('7.000');
    expect(() => toDecimalString(parseDecimal('7'), -1)).toThrow(RangeError);
  });
});

describe('fractionAsPercent', () => {
  it('prints a decimal fraction as per cent without binary rounding', () => {
    // 0.3 × 100 in floating point is 30.000000000000004.
    expect(fractionAsPercent('0.3')).toBe('30');
    expect(fractionAsPercent('0.5')).toBe('50');
    expect(fractionAsPercent('0.375')).toBe('37.5');
    expect(fractionAsPercent('1')).toBe('100');
    expect(fractionAsPercent('0')).toBe('0');
  });
});
