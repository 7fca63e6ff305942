import { z } from 'zod';
import { empty, locale, optionalText, password, text, username } from './fields';
import type { SessionInfo } from './session';
import { reads, writes, type AccessOf } from './access';
import { PEM_CERTIFICATE } from '../serverAddress';

export type Locale = z.infer<typeof locale>;

/**
 * Where the app is: no store yet, locked out, showing the recovery key, or working (or, for an administrator,
 * finishing a rotation of the data key); or the data folder it
 * remembers cannot be used (a removed drive, a moved folder, no write access), which nothing may overwrite.
 */
export type Stage = 'setup' | 'login' | 'recovery-confirm' | 'ready' | 'rotation' | 'data-unavailable';

/** Why the remembered data folder cannot be used: it is gone, it holds no store, or it cannot be written. */
export type DataProblem = { kind: 'missing' | 'no-store' | 'read-only'; dir: string };

export interface AppInfo {
  stage: Stage;
  locale: Locale;
  institution: string | null;
  branch: string | null;
  dataDir: string | null;
  /** The branch server this PC works on (host:port/database), when it does. */
  server: string | null;
  version: string;
  locked: boolean;
  session: SessionInfo | null;
  dataProblem: DataProblem | null;
}

/**
 * How a PC reaches the branch server: `postgresql://user@host:port/database` (with `?sslmode=verify-full` for a
 * server on another PC), the database password apart (the OS keeps it), and the branch's CA certificate (PEM).
 */
const serverFields = {
  url: text(500).refine((u) => /^postgres(ql)?:\/\/[^\s:@/]+@[^\s@/]+\/[^\s/]+$/.test(u.split('?')[0]), { message: 'postgresql://user@host:port/database' }),
  dbPassword: text(200),
  ca: z
    .string()
    .max(20_000)
    .refine((pem) => pem.includes(PEM_CERTIFICATE), { message: 'validation.caPem' })
    .nullable(),
};

export const appChannels = {
  'app.info': empty,
  'app.setLocale': z.object({ locale }).strict(),
  'setup.defaults': empty,
  'setup.create': z
    .object({
      institution: text(100),
      branch: optionalText(100),
      dataDir: text(1000),
      adminUsername: username,
      adminName: text(50),
      password,
      locale,
    })
    .strict(),
  /** Sets a branch up on an empty PostgreSQL database (the branch server), instead of a data folder. */
  'setup.createOnServer': z
    .object({
      ...serverFields,
      institution: text(100),
      branch: optionalText(100),
      adminUsername: username,
      adminName: text(50),
      password,
      locale,
    })
    .strict(),
  /** Another PC of a branch that is already set up on its server. */
  'setup.joinServer': z.object({ ...serverFields, locale }).strict(),
  'setup.recoveryKeyPdf': empty,
  'setup.confirmRecoveryKey': z.object({ confirmed: z.literal(true) }).strict(),
  /** Points the app at another folder that already holds a store (the USB drive under a new letter…). */
  'setup.useDataDir': z.object({ dataDir: text(1000) }).strict(),
  /** Forgets the unusable folder (its files are left as they are) so the wizard can create a new store. */
  'setup.forgetDataDir': z.object({ confirmed: z.literal(true) }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const appAccess = {
  'app.info': reads('public'),
  'app.setLocale': writes('public'),
  'setup.defaults': reads('public'),
  'setup.create': writes('public'),
  // Before anyone can sign in: there is no store yet (refused once this PC has one, see setup.ts).
  'setup.createOnServer': writes('public'),
  'setup.joinServer': writes('public'),
  'setup.recoveryKeyPdf': reads('public'),
  'setup.confirmRecoveryKey': writes('public'),
  // Before sign-in by nature: the remembered data folder cannot be used, so no one can sign in.
  'setup.useDataDir': writes('public'),
  'setup.forgetDataDir': writes('public'),
} satisfies AccessOf<typeof appChannels>;

export interface AppOutputs {
  'app.info': AppInfo;
  'app.setLocale': AppInfo;
  'setup.defaults': { dataDir: string };
  'setup.create': { recoveryKey: string; dataDir: string };
  'setup.createOnServer': { recoveryKey: string; server: string };
  'setup.joinServer': AppInfo;
  'setup.recoveryKeyPdf': { fileName: string; base64: string };
  'setup.confirmRecoveryKey': AppInfo;
  'setup.useDataDir': AppInfo;
  'setup.forgetDataDir': AppInfo;
}
