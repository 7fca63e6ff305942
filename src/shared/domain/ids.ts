/** Check digits for 居民身份证号码 (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015). */
import { compareDates, isValidDate, todayIn } from './dates';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_MAP = '10X98765432';
const PROVINCE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [11, 15], [21, 23], [31, 37], [41, 46], [50, 54], [61, 65], [71, 71], [81, 83], [91, 91],
];

/** ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`身份证号码前 17 位必须是数字：${String(first17)}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_MAP[sum % 11];
}

/**
 * 18-character resident ID: valid province code, a real birth date from 1900-01-01 to `today` (default: today
 * in Beijing), and a correct check character (x accepted for X).
 */
export function isValidResidentId(id: string, today: string = todayIn()): boolean {
  if (typeof id !== 'string' || !/^\d{17}[\dXx]$/.test(id)) return false;
  const province = Number(id.slice(0, 2));
  if (!PROVINCE_RANGES.some(([lo, hi]) => province >= lo && province <= hi)) return false;
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isValidDate(birth) || compareDates(birth, '1900-01-01') < 0 || compareDates(birth, today) > 0) return false;
  return residentIdCheckChar(id.slice(0, 17)) === id[17].toUpperCase();
}

// The 31 characters of GB 32100-2015: digits and capitals without I, O, Z, S, V.
const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Check character for the first 17 characters of a unified social credit code (uppercase). */
export function creditCodeCheckChar(first17: string): string {
  if (typeof first17 !== 'string' || first17.length !== 17) {
    throw new RangeError(`统一社会信用代码前 17 位长度不正确：${String(first17)}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CHARSET.indexOf(first17[i]);
    if (value < 0) throw new RangeError(`统一社会信用代码含有不允许的字符：${first17[i]}`);
    sum += value * CREDIT_WEIGHTS[i];
  }
  return CREDIT_CHARSET[(31 - (sum % 31)) % 31];
}

/** 18 characters from the GB 32100 charset with a correct check character. Uppercase only, as issued. */
export function isValidCreditCode(code: string): boolean {
  if (typeof code !== 'string' || code.length !== 18) return false;
  for (const ch of code) if (!CREDIT_CHARSET.includes(ch)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/**
 * Hides the middle of a value, keeping at most `head` characters in front and `tail` at the end, and always at
 * least four hidden: a short value shows less rather than nearly all of itself.
 */
export function maskMiddle(value: string, head: number, tail: number): string {
  const cs = [...value];
  let h = head;
  let t = tail;
  while (h + t > 0 && cs.length - h - t < 4) {
    if (h >= t && h > 0) h--;
    else t--;
  }
  return cs.slice(0, h).join('') + '*'.repeat(Math.max(0, cs.length - h - t)) + cs.slice(cs.length - t).join('');
}

/** An ID number shown to someone who does not manage its holder: 110101********1234 (region code and last four). */
export const maskIdNumber = (id: string): string => maskMiddle(id, 6, 4);

/** A phone number shown the same way: 138****5678. */
export const maskPhone = (phone: string): string => (phone ? maskMiddle(phone, 3, 4) : '');
