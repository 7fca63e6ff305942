import { z } from 'zod';
import type { Permission, Role } from '../permissions';
import { anyPassword, empty, password, text, username } from './fields';
import { reads, writes, type AccessOf } from './access';

export interface SessionInfo {
  username: string;
  displayName: string;
  roles: Role[];
  permissions: Permission[];
  mustChangePassword: boolean;
  /** `reset`: an administrator set the password; `rule`: it no longer meets the password rule. */
  mustChangeReason: 'reset' | 'rule' | null;
  idleMinutes: number;
}

export const sessionChannels = {
  'session.login': z.object({ username, password: anyPassword }).strict(),
  'session.logout': empty,
  'session.lock': empty,
  'session.unlock': z.object({ password: anyPassword }).strict(),
  'session.heartbeat': empty,
  'session.changePassword': z.object({ oldPassword: anyPassword, newPassword: password }).strict(),
  'session.recover': z.object({ recoveryKey: text(200), username, newPassword: password }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const sessionAccess = {
  'session.login': writes('public'),
  'session.logout': reads('public'),
  'session.lock': reads('signed-in'),
  'session.unlock': writes('public'),
  'session.heartbeat': reads('public'),
  'session.changePassword': writes('signed-in'),
  'session.recover': writes('public'),
} satisfies AccessOf<typeof sessionChannels>;

export interface SessionOutputs {
  'session.login': SessionInfo;
  'session.logout': { ok: true };
  'session.lock': { ok: true };
  'session.unlock': SessionInfo;
  'session.heartbeat': { locked: boolean };
  'session.changePassword': SessionInfo;
  'session.recover': SessionInfo;
}
