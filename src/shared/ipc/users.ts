import { z } from 'zod';
import { ROLES, type Role } from '../permissions';
import { empty, password, text, username } from './fields';
import { reads, writes, type AccessOf } from './access';

export interface UserRow {
  username: string;
  displayName: string;
  roles: Role[];
  disabled: boolean;
  mustChangePassword: boolean;
  /** False for a disabled user, and for one whose key entry a key rotation removed (they need a password reset). */
  canSignIn: boolean;
  createdAt: string;
}

const roles = z.array(z.enum(ROLES)).min(1).max(ROLES.length);

export const usersChannels = {
  'users.list': empty,
  /** Display names of every user, for showing who did what; open to any signed-in user. */
  'users.names': empty,
  'users.create': z.object({ username, displayName: text(50), roles, password }).strict(),
  'users.update': z.object({ username, displayName: text(50), roles }).strict(),
  'users.setDisabled': z.object({ username, disabled: z.boolean(), reason: text(500), newPassword: password.optional() }).strict(),
  'users.resetPassword': z.object({ username, newPassword: password }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const usersAccess = {
  'users.list': reads('users.manage'),
  'users.names': reads('signed-in'),
  'users.create': writes('users.manage'),
  'users.update': writes('users.manage'),
  'users.setDisabled': writes('users.manage'),
  'users.resetPassword': writes('users.manage'),
} satisfies AccessOf<typeof usersChannels>;

export interface UsersOutputs {
  'users.list': UserRow[];
  'users.names': { username: string; displayName: string }[];
  'users.create': UserRow;
  'users.update': UserRow;
  'users.setDisabled': UserRow;
  'users.resetPassword': UserRow;
}
