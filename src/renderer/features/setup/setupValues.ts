import type { TFunction } from 'i18next';
import type { FieldErrors } from '../../lib/form';
import { passwordErrors } from '../../lib/passwords';

export interface SetupValues extends Record<string, unknown> {
  institution: string;
  branch: string;
  dataDir: string;
  adminUsername: string;
  adminName: string;
  password: string;
  passwordConfirm: string;
}

export function validateInstitution(v: SetupValues, t: TFunction): FieldErrors<SetupValues> {
  const e: FieldErrors<SetupValues> = {};
  if (!v.institution.trim()) e.institution = t('validation.required');
  if (!v.dataDir.trim()) e.dataDir = t('validation.required');
  return e;
}

export function validateAdmin(v: SetupValues, t: TFunction): FieldErrors<SetupValues> {
  const e: FieldErrors<SetupValues> = {};
  if (!v.adminUsername.trim()) e.adminUsername = t('validation.required');
  if (!v.adminName.trim()) e.adminName = t('validation.required');
  Object.assign(e, passwordErrors(v.password, v.passwordConfirm, t, 'password', 'passwordConfirm', { username: v.adminUsername.trim(), institution: v.institution.trim() }));
  return e;
}
