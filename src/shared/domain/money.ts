/** Money is integer fen (分). Never a float, in storage or in arithmetic. */
import { roundHalfUp, type Ratio } from './decimal';

declare const fenBrand: unique symbol;
/** Integer fen. Plain numbers are accepted everywhere; the brand marks values that were checked. */
export type Fen = number & { readonly [fenBrand]: true };

const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/** Returns n as Fen if it is a safe integer, else throws RangeError. Negative amounts are allowed. */
export function assertFen(n: number, label = '金额'): Fen {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${label}必须是以分为单位的安全整数：${String(n)}`);
  return n as Fen;
}

/** Like assertFen, but also refuses negative amounts. */
export function assertNonNegativeFen(n: number, label = '金额'): Fen {
  assertFen(n, label);
  if (n < 0) throw new RangeError(`${label}不能为负数：${n}`);
  return n as Fen;
}

/** Checked sum: throws instead of losing precision. */
export function sumFen(values: readonly number[]): Fen {
  let total = 0n;
  for (const v of values) total += BigInt(assertFen(v));
  return fenFromBigInt(total);
}

export function fenFromBigInt(n: bigint): Fen {
  if (n > MAX_FEN || n < -MAX_FEN) throw new RangeError('金额超出可精确表示的范围');
  return Number(n) as Fen;
}

/** Rounds an exact amount in fen half-up to whole fen. */
export function fenFromRatio(value: Ratio): Fen {
  return fenFromBigInt(roundHalfUp(value));
}

export interface ParseYuanOptions {
  /** Accept a leading minus sign (refunds, adjustments). Default false. */
  allowNegative?: boolean;
  /**
   * Plain ASCII yuan only, no 万, full-width digits or 元: for data written by another system (imports),
   * where such a cell is more likely a mistake than a person's shorthand. Default false.
   */
  plain?: boolean;
}

// Integer part: plain digits, or digits grouped by commas in threes ("1,234,567"); then an optional 万.
const YUAN_RE = /^(-?)(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?(万?)$/;

/**
 * What a Chinese IME types, as ASCII: full-width digits, point, comma and minus (１,０００．５ → 1,000.5),
 * the ideographic full stop as a point, outer spaces (full-width too) dropped, and a closing 元 (or 圆) left off: "５万元" → "5万".
 */
export function normaliseAmountText(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[．。]/g, '.')
    .replace(/，/g, ',')
    .replace(/[－−]/g, '-')
    .trim()
    .replace(/[元圆]$/, '');
}

/**
 * Parses yuan as typed by a person: "1234", "1,234.5", "1234.56", and as a Chinese IME types it: full-width
 * digits ("１０００", "０.０１"), in 万 ("5万", "1.5万", "５万元" = 50,000.00). Refuses rather than rounds:
 * anything finer than a fen (more than two decimals, or six in 万), a sign unless allowed, anything that is not
 * a number, and amounts beyond Number.MAX_SAFE_INTEGER fen. The one parser for every money field.
 */
export function parseYuanToFen(text: string, options: ParseYuanOptions = {}): Fen {
  if (typeof text !== 'string' || text.trim() === '') throw new RangeError('请输入金额');
  const m = YUAN_RE.exec(options.plain ? text.trim() : normaliseAmountText(text));
  if (m && options.plain && m[4]) throw new RangeError(`金额格式不正确：${text}`);
  if (!m) throw new RangeError(`金额格式不正确：${text}`);
  const [, sign, int, frac = '', wan] = m;
  const places = wan ? 6 : 2;
  if (frac.length > places) throw new RangeError(wan ? `以万元为单位最多保留六位小数（到分）：${text}` : `金额最多保留两位小数（到分）：${text}`);
  if (sign === '-' && !options.allowNegative) throw new RangeError(`金额不能为负数：${text}`);
  const abs = BigInt(int.replaceAll(',', '')) * 10n ** BigInt(places) + BigInt(frac.padEnd(places, '0'));
  if (abs > MAX_FEN) throw new RangeError(`金额超出可精确表示的范围：${text}`);
  // `|| 0` avoids returning −0 for "-0.00".
  return ((sign === '-' ? -Number(abs) : Number(abs)) || 0) as Fen;
}

/** 123456 → "1,234.56"; −5 → "-0.05". */
export function formatFen(fen: number): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  const cents = abs % 100;
  const yuan = (abs - cents) / 100;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fen < 0 ? '-' : ''}${grouped}.${String(cents).padStart(2, '0')}`;
}
