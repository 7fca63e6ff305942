import type { TFunction } from 'i18next';
import { z } from 'zod';
import { isHostName, isLoopback, serverUrl } from '../../../shared/serverAddress';
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

/** The branch server's fields on the first step; the address is built from them (shared/serverAddress.ts). */
export interface ServerValues extends Record<string, unknown> {
  host: string;
  port: number | string;
  database: string;
  user: string;
  dbPassword: string;
  ca: string;
}

export const SERVER_FIELDS = ['host', 'port', 'database', 'user', 'dbPassword', 'ca'] as const;

/**
 * The server step, checked as setup.joinServer and setup.createOnServer check it, plus the rule the wizard adds:
 * a server on another PC is reached over TLS with verify-full, so the branch's CA certificate is required.
 * Outputs the channels' { url, dbPassword, ca }.
 */
export function serverSchema(t: TFunction) {
  const shape = contract['setup.joinServer'].shape;
  const worded = (key: 'validation.host' | 'validation.caRequired') => ({ message: t(key), params: { worded: true } });
  return z
    .object({
      host: z.string().trim().min(1).max(253).refine(isHostName, worded('validation.host')),
      port: z.preprocess((p) => (p === '' ? undefined : p), z.number().int().min(1).max(65535)),
      database: z.string().trim().min(1).max(63),
      user: z.string().trim().min(1).max(63),
      dbPassword: shape.dbPassword,
      ca: z.string().trim(),
    })
    .superRefine((v, ctx) => {
      if (v.ca === '' && !isLoopback(v.host)) ctx.addIssue({ code: 'custom', path: ['ca'], ...worded('validation.caRequired') });
      else if (v.ca !== '' && !shape.ca.safeParse(v.ca).success) ctx.addIssue({ code: 'custom', path: ['ca'], message: 'validation.caPem' });
    })
    .transform((v) => ({ url: serverUrl(v), dbPassword: v.dbPassword, ca: v.ca === '' ? null : v.ca }));
}

export type ServerForm = ContractForm<ServerValues, ReturnType<typeof serverSchema>>;

/** setup.createOnServer's own fields (the server's come from the first step), the password typed twice. */
export const serverSetupSchema = (t: TFunction) => withConfirm(contract['setup.createOnServer'].omit({ url: true, dbPassword: true, ca: true }), 'password', t, 'passwordConfirm');

/** The institution and administrator's fields of either path: the steps only use the form's fields. */
export type StepForm = Omit<SetupForm, 'toInput'>;
