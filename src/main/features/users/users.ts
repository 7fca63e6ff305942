import { AppError } from '../../../shared/ipc/errors';
import type { UserRow } from '../../../shared/ipc/users';
import type { Role } from '../../../shared/permissions';
import { wrapKey } from '../../db/keyring';
import type { UsersTable } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import type { AppContext } from '../../kernel/context';
import { assertNewPassword, institutionOfStore, putWrap, removeWrap, withKeyring } from '../keys/keys';
import { requirePermission, requireSession } from '../../kernel/authz';
import { requireStore, type Store } from '../../kernel/store';

function toRow(u: UsersTable, hasKey: boolean): UserRow {
  return {
    username: u.username,
    displayName: u.display_name,
    roles: JSON.parse(u.roles) as Role[],
    disabled: !!u.disabled,
    mustChangePassword: !!u.must_change_password,
    // An active user whose key entry a rotation removed (it was of the old kind) needs a password reset.
    canSignIn: !u.disabled && hasKey,
    createdAt: u.created_at,
  };
}

async function keyHolders(store: Store): Promise<Set<string>> {
  return new Set((await store.db.selectFrom('key_wraps').select('username').execute()).map((r) => r.username));
}

async function rowOf(ctx: AppContext, store: Store, username: string): Promise<UserRow> {
  return toRow(await findUser(ctx, store, username), (await keyHolders(store)).has(username));
}

async function findUser(ctx: AppContext, store: Store, username: string): Promise<UsersTable> {
  const u = await store.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!u) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchUser'), [{ path: 'username', message: ctx.t('errors.noSuchUser') }]);
  return u;
}

export async function listUsers(ctx: AppContext): Promise<UserRow[]> {
  requirePermission(ctx, 'users.manage');
  const store = requireStore(ctx);
  const rows = await store.db.selectFrom('users').selectAll().orderBy('created_at').orderBy('username').execute();
  const holders = await keyHolders(store);
  return rows.map((r) => toRow(r, holders.has(r.username)));
}

export async function createUser(
  ctx: AppContext,
  input: { username: string; displayName: string; roles: Role[]; password: string },
): Promise<UserRow> {
  const s = requirePermission(ctx, 'users.manage');
  const store = requireStore(ctx);
  const exists = await store.db.selectFrom('users').select('username').where('username', '=', input.username).executeTakeFirst();
  if (exists) throw new AppError('CONFLICT', ctx.t('errors.userExists'), [{ path: 'username', message: ctx.t('errors.userExists') }]);
  assertNewPassword(ctx, input.password, { username: input.username, institution: institutionOfStore(ctx, store) }, 'password');
  const now = ctx.nowIso();
  const roles = [...new Set(input.roles)];
  // On one PC the keyring file follows the commit: a crash in between leaves the wrap in key_wraps only, and the next start copies it over.
  await withKeyring(ctx, store, async (trx, keyring) => {
    await trx
      .insertInto('users')
      .values({ username: input.username, display_name: input.displayName, roles: JSON.stringify(roles), disabled: 0, must_change_password: 1, created_at: now, updated_at: now })
      .execute();
    await putWrap(trx, keyring, input.username, wrapKey(store.dataKey, input.password));
    await recordAudit(trx, now, { actor: s.username, action: 'users.create', entity: 'user', entityId: input.username, detail: { displayName: input.displayName, roles } });
  });
  return rowOf(ctx, store, input.username);
}

export async function updateUser(ctx: AppContext, input: { username: string; displayName: string; roles: Role[] }): Promise<UserRow> {
  const s = requirePermission(ctx, 'users.manage');
  const store = requireStore(ctx);
  const before = await findUser(ctx, store, input.username);
  const roles = [...new Set(input.roles)];
  await assertAdminRemains(ctx, store, input.username, roles.includes('admin') && !before.disabled);
  await store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ display_name: input.displayName, roles: JSON.stringify(roles), updated_at: ctx.nowIso() })
      .where('username', '=', input.username)
      .execute();
    await recordAudit(trx, ctx.nowIso(), {
      actor: s.username,
      action: 'users.update',
      entity: 'user',
      entityId: input.username,
      detail: { before: { displayName: before.display_name, roles: JSON.parse(before.roles) }, after: { displayName: input.displayName, roles } },
    });
  });
  if (input.username === s.username) s.roles = roles;
  return rowOf(ctx, store, input.username);
}

/** Disabling removes the user's wrap, so the password no longer opens the store; enabling needs a new password. */
export async function setUserDisabled(
  ctx: AppContext,
  input: { username: string; disabled: boolean; reason: string; newPassword?: string },
): Promise<UserRow> {
  const s = requirePermission(ctx, 'users.manage');
  const store = requireStore(ctx);
  const user = await findUser(ctx, store, input.username);
  if (input.username === s.username) throw new AppError('RULE_VIOLATION', ctx.t('errors.cannotDisableSelf'));
  if (input.disabled) await assertAdminRemains(ctx, store, input.username, false);
  if (!input.disabled && !input.newPassword) {
    throw new AppError('VALIDATION', ctx.t('errors.enableNeedsPassword'), [{ path: 'newPassword', message: ctx.t('errors.enableNeedsPassword') }]);
  }
  if (!input.disabled) assertNewPassword(ctx, input.newPassword!, { username: input.username, institution: institutionOfStore(ctx, store) }, 'newPassword');
  // A disabled user whose wrap a crash left in the keyring file is still refused: the database says disabled.
  await withKeyring(ctx, store, async (trx, keyring) => {
    await trx
      .updateTable('users')
      .set({ disabled: input.disabled ? 1 : 0, must_change_password: input.disabled ? user.must_change_password : 1, updated_at: ctx.nowIso() })
      .where('username', '=', input.username)
      .execute();
    if (input.disabled) {
      await removeWrap(trx, keyring, input.username);
      if (!keyring.disabled.includes(input.username)) keyring.disabled.push(input.username);
    } else {
      await putWrap(trx, keyring, input.username, wrapKey(store.dataKey, input.newPassword!));
      keyring.disabled = keyring.disabled.filter((u) => u !== input.username);
    }
    await recordAudit(trx, ctx.nowIso(), {
      actor: s.username,
      action: input.disabled ? 'users.disable' : 'users.enable',
      entity: 'user',
      entityId: input.username,
      reason: input.reason,
    });
  });
  return rowOf(ctx, store, input.username);
}

/** A reset re-wraps the same data key under a new password; nothing is re-encrypted. */
export async function resetPassword(ctx: AppContext, input: { username: string; newPassword: string }): Promise<UserRow> {
  const s = requirePermission(ctx, 'users.manage');
  const store = requireStore(ctx);
  const user = await findUser(ctx, store, input.username);
  if (user.disabled) throw new AppError('RULE_VIOLATION', ctx.t('errors.userDisabled'));
  assertNewPassword(ctx, input.newPassword, { username: input.username, institution: institutionOfStore(ctx, store) }, 'newPassword');
  await withKeyring(ctx, store, async (trx, keyring) => {
    await putWrap(trx, keyring, input.username, wrapKey(store.dataKey, input.newPassword));
    delete keyring.attempts[input.username];
    await trx.updateTable('users').set({ must_change_password: 1, updated_at: ctx.nowIso() }).where('username', '=', input.username).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'users.resetPassword', entity: 'user', entityId: input.username });
  });
  return rowOf(ctx, store, input.username);
}

/** There must always be one active administrator left. */
async function assertAdminRemains(ctx: AppContext, store: Store, username: string, staysAdmin: boolean): Promise<void> {
  if (staysAdmin) return;
  const admins = await store.db.selectFrom('users').select(['username', 'roles']).where('disabled', '=', 0).execute();
  const others = admins.filter((a) => a.username !== username && (JSON.parse(a.roles) as Role[]).includes('admin'));
  if (others.length === 0) throw new AppError('RULE_VIOLATION', ctx.t('errors.lastAdmin'));
}

export async function userNames(ctx: AppContext): Promise<{ username: string; displayName: string }[]> {
  requireSession(ctx);
  const rows = await requireStore(ctx).db.selectFrom('users').select(['username', 'display_name']).orderBy('username').execute();
  return rows.map((r) => ({ username: r.username, displayName: r.display_name }));
}
