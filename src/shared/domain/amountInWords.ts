/**
 * Uppercase amounts per 《正确填写票据和结算凭证的基本规定》.
 *
 * Where the rules leave a choice we always take the same one:
 * - 整 follows 元 when there are no 角 and 分, and follows 角 when 分 is 0 (人民币壹元伍角整); never 分.
 * - Inside the integer part, one 零 stands for each run of zeros lying between two nonzero digits, across 万 and
 *   亿 boundaries too (壹拾万零柒仟, 壹佰万零伍佰); trailing zeros get none (壹仟万).
 * - After 元, 零 is written only when 角 is 0 and 分 is not (壹元零伍分), never before a nonzero 角 (壹拾元壹角整).
 * - 10–19 is always 壹拾…, never a bare 拾.
 */
import { assertFen } from './money';

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];

/** Section marker written after position i (counted from the right, 0 = 元 digit) when i is a multiple of 4. */
function sectionMarker(i: number): string {
  if (i === 0) return '';
  return (i / 4) % 2 === 1 ? '万' : '亿';
}

function integerInWords(digits: string): string {
  const n = digits.length;
  let out = '';
  let pendingZero = false;
  for (let k = 0; k < n; k++) {
    const i = n - 1 - k;
    const d = Number(digits[k]);
    if (d === 0) {
      if (out !== '') pendingZero = true;
    } else {
      if (pendingZero) out += '零';
      pendingZero = false;
      out += DIGITS[d] + SMALL_UNITS[i % 4];
    }
    if (i > 0 && i % 4 === 0) {
      const marker = sectionMarker(i);
      // 万 needs a nonzero digit in its own four-digit section; 亿 needs one anywhere at or above it (壹万亿).
      const from = marker === '万' ? k - 3 : 0;
      if (/[1-9]/.test(digits.slice(Math.max(0, from), k + 1))) out += marker;
    }
  }
  return out;
}

/** 100050000 → "人民币壹佰万零伍佰元整". Throws RangeError for negative or non-integer fen. */
export function amountInWords(fen: number): string {
  assertFen(fen);
  if (fen < 0) throw new RangeError(`大写金额不能为负数：${fen}`);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  const yuanDigits = String((fen - (fen % 100)) / 100);

  if (fen === 0) return '人民币零元整';
  let out = '人民币';
  const hasYuan = yuanDigits !== '0';
  if (hasYuan) out += integerInWords(yuanDigits) + '元';
  if (jiao === 0 && fenDigit === 0) return out + '整';
  if (jiao !== 0) {
    out += DIGITS[jiao] + '角';
    return fenDigit === 0 ? out + '整' : out + DIGITS[fenDigit] + '分';
  }
  return out + (hasYuan ? '零' : '') + DIGITS[fenDigit] + '分';
}
