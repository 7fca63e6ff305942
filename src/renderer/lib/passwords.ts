import type { TFunction } from 'i18next';

/** Same floor as the contract's `password` field; checked here first so the user sees it at once. */
export const MIN_PASSWORD = 8;

/** Client-side checks for every "new password + confirm" pair: length, then match. */
export function passwordErrors<P extends string, C extends string>(
  password: string,
  confirm: string,
  t: TFunction,
  pKey: P,
  cKey: C,
): Partial<Record<P | C, string>> {
  const e: Partial<Record<P | C, string>> = {};
  if (password.length < MIN_PASSWORD) e[pKey] = t('validation.tooShort', { min: MIN_PASSWORD });
  else if (password !== confirm) e[cKey] = t('setup.passwordMismatch');
  return e;
}
