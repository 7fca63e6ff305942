import { AppError } from '../../shared/ipc/errors';
import type { SessionInfo } from '../../shared/ipc/session';
import { can, permissionsOf, type Permission, type Role } from '../../shared/permissions';
import { keyCheck, keyMatches, readKeyring, unwrapKey, wrapKey, type Keyring } from '../db/keyring';
import { decodeRecoveryKey } from '../db/recoveryKey';
import { recordAudit } from './audit';
import type { AppContext, Session } from './context';
import {
  assertNotLockedOut,
  clearFailures,
  loadKeyring,
  putWrap,
  reconcileKeyring,
  recordFailure,
  saveKeyring,
  setAsideKeyring,
} from './keys';
import { readSettings } from './settings';
import { openStore, requireStore, storeError, storeExists, type Store } from './store';

export function sessionInfo(s: Session): SessionInfo {
  return {
    username: s.username,
    displayName: s.displayName,
    roles: s.roles,
    permissions: [...permissionsOf(s.roles)],
    mustChangePassword: s.mustChangePassword,
    idleMinutes: s.idleMinutes,
  };
}

/** The unlocked session; locks it first if it has been idle too long. */
export function requireSession(ctx: AppContext): Session {
  const s = ctx.session;
  if (!s || !ctx.store) throw new AppError('LOCKED', ctx.t('errors.notLoggedIn'));
  const now = ctx.clock.now().getTime();
  if (!s.locked && now - s.lastActivity > s.idleMinutes * 60_000) s.locked = true;
  if (s.locked) throw new AppError('LOCKED', ctx.t('errors.sessionLocked'));
  s.lastActivity = now;
  return s;
}

export function requirePermission(ctx: AppContext, p: Permission): Session {
  const s = requireSession(ctx);
  if (!can(s.roles, p)) throw new AppError('FORBIDDEN', ctx.t('errors.forbidden'));
  return s;
}

function dataDir(ctx: AppContext): string {
  const dir = ctx.config.dataDir;
  if (!storeExists(dir)) throw new AppError('NOT_FOUND', ctx.t('errors.noStore'));
  return dir;
}

async function ensureStore(ctx: AppContext, dir: string, dataKey: Buffer): Promise<Store> {
  if (!ctx.store) {
    ctx.store = await openStore(ctx, dir, dataKey);
    await reconcileKeyring(ctx, ctx.store);
  }
  return ctx.store;
}

async function startSession(ctx: AppContext, store: Store, username: string, action: string): Promise<SessionInfo> {
  const user = await store.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!user) throw new AppError('FORBIDDEN', ctx.t('errors.badCredentials', { left: '-' }));
  if (user.disabled) throw new AppError('FORBIDDEN', ctx.t('errors.userDisabled'));
  const settings = await readSettings(store.db);
  ctx.session = {
    username,
    displayName: user.display_name,
    roles: JSON.parse(user.roles) as Role[],
    mustChangePassword: !!user.must_change_password,
    locked: false,
    lastActivity: ctx.clock.now().getTime(),
    idleMinutes: settings.idleMinutes,
  };
  await store.db.transaction().execute((trx) => recordAudit(trx, ctx.nowIso(), { actor: username, action, entity: 'user', entityId: username }));
  return sessionInfo(ctx.session);
}

/** Unwraps the data key with the user's password; counts failures in the keyring. */
function unwrapFor(ctx: AppContext, dir: string, keyring: Keyring, username: string, password: string): Buffer {
  assertNotLockedOut(ctx, keyring, username);
  if (keyring.users[username] === undefined && keyring.disabled.includes(username)) {
    throw new AppError('FORBIDDEN', ctx.t('errors.userDisabled'));
  }
  const wrap = keyring.users[username];
  const key = wrap ? unwrapKey(wrap, password) : null;
  if (!key) throw recordFailure(ctx, dir, keyring, username);
  clearFailures(ctx, dir, keyring, username);
  return key;
}

export async function login(ctx: AppContext, input: { username: string; password: string }): Promise<SessionInfo> {
  const dir = dataDir(ctx);
  const keyring = loadKeyring(ctx, dir);
  const key = unwrapFor(ctx, dir, keyring, input.username, input.password);
  if (ctx.session && ctx.session.username !== input.username) logout(ctx);
  const store = await ensureStore(ctx, dir, key);
  return startSession(ctx, store, input.username, 'session.login');
}

export function logout(ctx: AppContext): { ok: true } {
  ctx.session = null;
  ctx.store?.close();
  ctx.store = null;
  return { ok: true };
}

export function lock(ctx: AppContext): { ok: true } {
  if (ctx.session) ctx.session.locked = true;
  return { ok: true };
}

export function heartbeat(ctx: AppContext): { locked: boolean } {
  if (!ctx.session) return { locked: true };
  try {
    requireSession(ctx);
    return { locked: false };
  } catch {
    return { locked: true };
  }
}

export async function unlock(ctx: AppContext, input: { password: string }): Promise<SessionInfo> {
  const s = ctx.session;
  if (!s || !ctx.store) throw new AppError('LOCKED', ctx.t('errors.notLoggedIn'));
  const keyring = loadKeyring(ctx, ctx.store.dir);
  unwrapFor(ctx, ctx.store.dir, keyring, s.username, input.password);
  s.locked = false;
  s.lastActivity = ctx.clock.now().getTime();
  return sessionInfo(s);
}

export async function changePassword(ctx: AppContext, input: { oldPassword: string; newPassword: string }): Promise<SessionInfo> {
  const s = requireSession(ctx);
  const store = requireStore(ctx);
  if (input.oldPassword === input.newPassword) {
    throw new AppError('VALIDATION', ctx.t('errors.samePassword'), [{ path: 'newPassword', message: ctx.t('errors.samePassword') }]);
  }
  const keyring = loadKeyring(ctx, store.dir);
  const key = unwrapFor(ctx, store.dir, keyring, s.username, input.oldPassword);
  await store.db.transaction().execute(async (trx) => {
    await putWrap(trx, keyring, s.username, wrapKey(key, input.newPassword));
    await trx.updateTable('users').set({ must_change_password: 0, updated_at: ctx.nowIso() }).where('username', '=', s.username).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'session.changePassword', entity: 'user', entityId: s.username });
  });
  saveKeyring(ctx, store.dir, keyring);
  s.mustChangePassword = false;
  return sessionInfo(s);
}

/**
 * Forgotten password: the recovery key opens the store, the user gets a new password.
 * A missing or damaged keyring is rebuilt from the wraps mirrored in the database.
 */
export async function recover(ctx: AppContext, input: { recoveryKey: string; username: string; newPassword: string }): Promise<SessionInfo> {
  const dir = dataDir(ctx);
  const key = decodeRecoveryKey(input.recoveryKey);
  const badKey = () => new AppError('FORBIDDEN', ctx.t('errors.badRecoveryKey'), [{ path: 'recoveryKey', message: ctx.t('errors.badRecoveryKey') }]);
  if (!key) throw badKey();
  const state = readKeyring(dir);
  if (state.kind === 'ok' && !keyMatches(state.keyring, key)) throw badKey();
  let store: Store;
  try {
    logout(ctx);
    store = await openStore(ctx, dir, key);
  } catch (e) {
    // With a keyring that vouches for the key, the database itself is at fault.
    if (state.kind === 'ok') throw storeError(ctx, e);
    throw badKey();
  }
  ctx.store = store;
  try {
    const user = await store.db.selectFrom('users').selectAll().where('username', '=', input.username).executeTakeFirst();
    if (!user || user.disabled) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchUser'), [{ path: 'username', message: ctx.t('errors.noSuchUser') }]);
    const keyring = state.kind === 'ok' ? state.keyring : await rebuildKeyring(ctx, store, key);
    await store.db.transaction().execute(async (trx) => {
      await putWrap(trx, keyring, input.username, wrapKey(key, input.newPassword));
      await recordAudit(trx, ctx.nowIso(), {
        actor: input.username,
        action: 'session.recover',
        entity: 'user',
        entityId: input.username,
        detail: { keyringRebuilt: state.kind !== 'ok' },
      });
    });
    // After the commit; the damaged keyring is moved aside only once its replacement is certain.
    delete keyring.attempts[input.username];
    if (state.kind !== 'ok') setAsideKeyring(dir, ctx.nowIso());
    saveKeyring(ctx, dir, keyring);
    return await startSession(ctx, store, input.username, 'session.login');
  } catch (e) {
    logout(ctx);
    throw e;
  }
}

async function rebuildKeyring(ctx: AppContext, store: Store, key: Buffer): Promise<Keyring> {
  const settings = await readSettings(store.db);
  const wraps = await store.db.selectFrom('key_wraps').selectAll().execute();
  const disabled = await store.db.selectFrom('users').select('username').where('disabled', '=', 1).execute();
  return {
    format: 'loankeeper-keyring',
    version: 1,
    keyCheck: keyCheck(key),
    setupConfirmed: true,
    institution: settings.institution,
    branch: settings.branch,
    users: Object.fromEntries(wraps.map((w) => [w.username, JSON.parse(w.wrap)])),
    disabled: disabled.map((d) => d.username),
    attempts: {},
    // No head survives a lost keyring; the next commit records the database's. Backups still witness.
    auditHead: null,
  };
}
