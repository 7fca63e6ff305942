/**
 * Exact decimal arithmetic for rates and interest. A value is a fraction of two BigInts, so nothing is ever
 * approximated until the single, explicit half-up rounding to fen.
 */

/** value = num / den, with den > 0. Not reduced unless you call {@link reduceRatio}. */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

export function ratio(num: bigint, den: bigint = 1n): Ratio {
  if (den === 0n) throw new RangeError('分母不能为零');
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

/** Parses a plain decimal string such as "4.35", "0.5" or "-12". No exponents, separators or spaces. */
export function parseDecimal(text: string): Ratio {
  const m = typeof text === 'string' ? DECIMAL_RE.exec(text.trim()) : null;
  if (!m) throw new RangeError(`不是有效的十进制数：${String(text)}`);
  const [, sign, int, frac = ''] = m;
  const num = BigInt(int + frac) * (sign === '-' ? -1n : 1n);
  return { num, den: 10n ** BigInt(frac.length) };
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function reduceRatio(r: Ratio): Ratio {
  const g = gcd(r.num, r.den);
  return g <= 1n ? r : { num: r.num / g, den: r.den / g };
}

export function addRatio(a: Ratio, b: Ratio): Ratio {
  return reduceRatio({ num: a.num * b.den + b.num * a.den, den: a.den * b.den });
}

export function subRatio(a: Ratio, b: Ratio): Ratio {
  return addRatio(a, { num: -b.num, den: b.den });
}

export function mulRatio(a: Ratio, b: Ratio): Ratio {
  return reduceRatio({ num: a.num * b.num, den: a.den * b.den });
}

export function divRatio(a: Ratio, b: Ratio): Ratio {
  if (b.num === 0n) throw new RangeError('除数不能为零');
  return reduceRatio(ratio(a.num * b.den, a.den * b.num));
}

export function compareRatio(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * Rounds to the nearest integer, halves away from zero (the "四舍五入" of Chinese accounting, and
 * ROUND_HALF_UP in Java's BigDecimal): 2.5 → 3, −2.5 → −3.
 */
export function roundHalfUp(value: Ratio): bigint;
export function roundHalfUp(num: bigint, den: bigint): bigint;
export function roundHalfUp(a: Ratio | bigint, b?: bigint): bigint {
  const { num, den } = typeof a === 'bigint' ? ratio(a, b ?? 1n) : ratio(a.num, a.den);
  const abs = num < 0n ? -num : num;
  const q = (2n * abs + den) / (2n * den);
  return num < 0n ? -q : q;
}

/** Formats with exactly `places` decimals, rounded half-up, e.g. toDecimalString(r, 4) → "0.0121". */
export function toDecimalString(value: Ratio, places: number): string {
  if (!Number.isInteger(places) || places < 0) throw new RangeError('小数位数必须是非负整数');
  const scaled = roundHalfUp(value.num * 10n ** BigInt(places), value.den);
  const neg = scaled < 0n;
  const digits = (neg ? -scaled : scaled).toString().padStart(places + 1, '0');
  const int = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places);
  return (neg ? '-' : '') + int + (places > 0 ? '.' + frac : '');
}

/** A decimal fraction as per cent, exactly: "0.5" → "50", "0.375" → "37.5" (the penalty-rate uplift as printed). */
export function fractionAsPercent(text: string): string {
  const r = parseDecimal(text);
  const p = reduceRatio({ num: r.num * 100n, den: r.den });
  return toDecimalString(p, 4).replace(/\.?0+$/, '');
}

/** "4.35" (per cent a year) → 435/10000. */
export function percentToRatio(percent: string): Ratio {
  const r = parseDecimal(percent);
  return reduceRatio({ num: r.num, den: r.den * 100n });
}

/** Monthly rate = annual ÷ 12, as a fraction (not per cent). */
export function monthlyRate(annualPercent: string): Ratio {
  const r = percentToRatio(annualPercent);
  return reduceRatio({ num: r.num, den: r.den * 12n });
}

/** Daily rate = annual ÷ 360 (Chinese banking convention), as a fraction. */
export function dailyRate(annualPercent: string): Ratio {
  const r = percentToRatio(annualPercent);
  return reduceRatio({ num: r.num, den: r.den * 360n });
}
