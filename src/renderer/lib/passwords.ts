import type { TFunction } from 'i18next';
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_PROBLEM_KEYS, passwordProblem } from '../../shared/passwords';

/** The export password's floor (archive export: ASCII, 8 characters, see shared/ipc/archive.ts). Not the sign-in rule. */
export const MIN_PASSWORD = 8;

export interface PasswordOwner {
  username?: string | null;
  institution?: string | null;
}

/** The sign-in password rule (shared/passwords.ts, the same one main enforces) as a message, or null. */
export function passwordRuleError(password: string, who: PasswordOwner, t: TFunction): string | null {
  const problem = passwordProblem(password, who);
  return problem ? t(PASSWORD_PROBLEM_KEYS[problem], { min: PASSWORD_MIN, max: PASSWORD_MAX }) : null;
}

/** Client-side checks for every "new password + confirm" pair: the rule, then match. */
export function passwordErrors<P extends string, C extends string>(
  password: string,
  confirm: string,
  t: TFunction,
  pKey: P,
  cKey: C,
  who: PasswordOwner = {},
): Partial<Record<P | C, string>> {
  const e: Partial<Record<P | C, string>> = {};
  const problem = passwordRuleError(password, who, t);
  if (problem) e[pKey] = problem;
  else if (password !== confirm) e[cKey] = t('setup.passwordMismatch');
  return e;
}
