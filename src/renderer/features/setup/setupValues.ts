import type { TFunction } from 'i18next';
import { contract } from '../../../shared/ipc/contract';
import type { ContractForm } from '../../lib/forms/useContractForm';
import { withConfirm } from '../../lib/forms/newPassword';

export interface SetupValues extends Record<string, unknown> {
  institution: string;
  branch: string;
  dataDir: string;
  adminUsername: string;
  adminName: string;
  password: string;
  passwordConfirm: string;
}

/** The first step's fields: checked (by the same schema) before the administrator's step opens. */
export const INSTITUTION_FIELDS = ['institution', 'branch', 'dataDir'] as const;

/** setup.create's own schema, with the password typed twice (main checks the rest of the password rule). */
export const setupSchema = (t: TFunction) => withConfirm(contract['setup.create'], 'password', t, 'passwordConfirm');

export type SetupForm = ContractForm<SetupValues, ReturnType<typeof setupSchema>>;
