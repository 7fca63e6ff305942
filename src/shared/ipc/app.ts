import { z } from 'zod';
import { empty, locale, optionalText, password, text, username } from './fields';
import type { SessionInfo } from './session';
import { reads, writes, type AccessOf } from './access';

export type Locale = z.infer<typeof locale>;

/** Where the app is: no store yet, locked out, showing the recovery key, or working. */
export type Stage = 'setup' | 'login' | 'recovery-confirm' | 'ready';

export interface AppInfo {
  stage: Stage;
  locale: Locale;
  institution: string | null;
  branch: string | null;
  dataDir: string | null;
  version: string;
  locked: boolean;
  session: SessionInfo | null;
}

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
  'setup.recoveryKeyPdf': empty,
  'setup.confirmRecoveryKey': z.object({ confirmed: z.literal(true) }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const appAccess = {
  'app.info': reads('public'),
  'app.setLocale': writes('public'),
  'setup.defaults': reads('public'),
  'setup.create': writes('public'),
  'setup.recoveryKeyPdf': reads('public'),
  'setup.confirmRecoveryKey': writes('public'),
} satisfies AccessOf<typeof appChannels>;

export interface AppOutputs {
  'app.info': AppInfo;
  'app.setLocale': AppInfo;
  'setup.defaults': { dataDir: string };
  'setup.create': { recoveryKey: string; dataDir: string };
  'setup.recoveryKeyPdf': { fileName: string; base64: string };
  'setup.confirmRecoveryKey': AppInfo;
}
