/**
 * The password rule, the same in main (which enforces it) and the renderer (which shows it as the user types):
 * length first, no composition rules. Any characters are allowed (Chinese too); what is refused is a password
 * an attacker tries first: too short, the user's own name, the institution's name, or a very common password.
 * It applies to new passwords only; an existing password that no longer meets it still signs in, and its user
 * is asked to change it.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export type PasswordProblem = 'tooShort' | 'tooLong' | 'username' | 'institution' | 'common';

/** Catalogue keys for each problem (`{{min}}`/`{{max}}` parameters where they apply). */
export const PASSWORD_PROBLEM_KEYS = {
  tooShort: 'passwordRule.tooShort',
  tooLong: 'passwordRule.tooLong',
  username: 'passwordRule.username',
  institution: 'passwordRule.institution',
  common: 'passwordRule.common',
} as const satisfies Record<PasswordProblem, string>;

/**
 * The most common passwords of 12 characters or more in published leak lists (English and Chinese users), and
 * the words people pad with digits to reach a length. Compared without case.
 */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789000',
  '1234567890qwe',
  '1234567890abc',
  '098765432109',
  '987654321098',
  '147258369147',
  '159357159357',
  '5201314520131',
  '52013145201314',
  '1314520520131',
  'woaini1314520',
  'woaini5201314',
  'qwertyuiop12',
  'qwertyuiop123',
  'qwertyuiopasdf',
  'asdfghjkl123',
  'zxcvbnm12345',
  'zxcvbnm123456',
  '1q2w3e4r5t6y',
  '1q2w3e4r5t6y7u',
  '1qaz2wsx3edc',
  '1qaz2wsx3edc4rfv',
  'qazwsxedcrfv',
  'zaq12wsxcde3',
  '!qaz2wsx3edc',
  'qweasdzxc123',
  'qwer1234qwer',
  'asdf1234asdf',
  'abcd1234abcd',
  'abc123456789',
  'a123456789012',
  'abcdefghijkl',
  'abcdefghijklmn',
  'password1234',
  'password12345',
  'password123456',
  'passw0rd1234',
  'p@ssw0rd1234',
  'p@ssword1234',
  'passwordpassword',
  'iloveyou1234',
  'administrator',
  'administrator1',
  'welcome12345',
  'letmein12345',
  'changeme1234',
  'qwerty123456',
  'qwertyqwerty',
  'football1234',
  'baseball1234',
  'superman1234',
  'sunshine1234',
  'princess1234',
  'loankeeper12',
  'loankeeper123',
]);

/** Words that stay common with digits or symbols around them ("password2026!", "admin@12345678"). */
const COMMON_WORDS = new Set([
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'qwerty',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'iloveyou',
  'woaini',
  'admin',
  'administrator',
  'welcome',
  'letmein',
  'changeme',
  'abc',
  'abcd',
  'abcdef',
  'qaz',
  'qwe',
  'loankeeper',
  'mima',
  '密码',
  '贷后管家',
]);

/** The text with digits, punctuation and spaces stripped from both ends, lower-cased. */
function core(s: string): string {
  return s
    .toLowerCase()
    .replace(/^[\p{N}\p{P}\p{S}\s]+/u, '')
    .replace(/[\p{N}\p{P}\p{S}\s]+$/u, '');
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, '');

/** One short unit repeated: "111111111111", "abcabcabcabc", "12121212…". */
function repeated(s: string): boolean {
  for (let n = 1; n <= 4; n++) {
    const unit = s.slice(0, n);
    if (s.length >= n * 3 && unit.repeat(Math.ceil(s.length / n)).slice(0, s.length) === s) return true;
  }
  return false;
}

/** Whether `pw` is `name`, or `name` with only digits, punctuation or spaces around it. */
function isName(pw: string, name: string | null | undefined): boolean {
  const n = squash(name ?? '');
  if (n.length < 2) return false;
  const p = squash(pw);
  const nameCore = core(n);
  return p === n || core(p) === n || (nameCore.length >= 2 && core(p) === nameCore);
}

/** Null when the password may be used; otherwise the first problem, length first. Length counts characters, not bytes. */
export function passwordProblem(pw: string, who: { username?: string | null; institution?: string | null } = {}): PasswordProblem | null {
  const length = [...pw].length;
  if (length < PASSWORD_MIN) return 'tooShort';
  if (length > PASSWORD_MAX) return 'tooLong';
  if (isName(pw, who.username)) return 'username';
  if (isName(pw, who.institution)) return 'institution';
  const lower = pw.toLowerCase();
  const c = core(lower);
  if (COMMON.has(lower) || COMMON.has(squash(pw)) || repeated(lower) || COMMON_WORDS.has(c) || repeated(c)) return 'common';
  return null;
}
