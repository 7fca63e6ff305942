import { z } from 'zod';
import type { AppInfo } from './app';
import { reads, writes, type AccessOf } from './access';
import { empty } from './fields';

/** What the keys page shows: the kind of recovery key, the data key's history and a rotation under way. */
export interface KeysStatus {
  /** `legacy`: the recovery key printed at setup is the data key itself (stores set up before key rotation). */
  recoveryKind: 'legacy' | 'wrapped';
  recoveryKeyId: string | null;
  /** How many times the data key has been rotated. */
  epoch: number;
  lastRotation: { at: string; id: string } | null;
  /** Active users whose password still wraps the data key directly: they sign in once, or a rotation resets them. */
  legacyUsers: string[];
  /** Active users who cannot sign in (their key entry was removed by a rotation): they need a password reset. */
  usersWithoutKey: string[];
  rotation: {
    id: string;
    phase: 'files' | 'database' | 'confirm' | 'failed';
    running: boolean;
    total: number;
    done: number;
    damaged: string[];
    error: string | null;
  } | null;
  /** A new recovery key waiting for the administrator to confirm it is stored. */
  pendingRecoveryKey: string | null;
}

export const keysChannels = {
  'keys.status': empty,
  /** Starts (or resumes) a rotation of the data key. */
  'keys.rotate': z.object({ confirmed: z.literal(true), resetLegacyUsers: z.boolean() }).strict(),
  /** A new recovery key, stored only once confirmed (`keys.confirmRecoveryKey`). */
  'keys.newRecoveryKey': z.object({ confirmed: z.literal(true) }).strict(),
  'keys.recoveryKeyPdf': empty,
  'keys.confirmRecoveryKey': z.object({ confirmed: z.literal(true) }).strict(),
};

/** Keys are the administrator's: the permission that also covers settings and backups. */
export const keysAccess = {
  'keys.status': reads('settings.manage'),
  'keys.rotate': writes('settings.manage'),
  'keys.newRecoveryKey': writes('settings.manage'),
  'keys.recoveryKeyPdf': reads('settings.manage'),
  'keys.confirmRecoveryKey': writes('settings.manage'),
} satisfies AccessOf<typeof keysChannels>;

export interface KeysOutputs {
  'keys.status': KeysStatus;
  'keys.rotate': KeysStatus;
  'keys.newRecoveryKey': { recoveryKey: string };
  'keys.recoveryKeyPdf': { fileName: string; base64: string };
  'keys.confirmRecoveryKey': AppInfo;
}
