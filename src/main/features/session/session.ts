import { AppError } from '../../../shared/ipc/errors';
import type { SessionInfo } from '../../../shared/ipc/session';
import { permissionsOf, type Role } from '../../../shared/permissions';
import { isLegacyWrap, keyCheck, readKeyring, unwrapKey, wrapKey, type Keyring } from '../../db/keyring';
import { parseRecoveryKey, readRecoveryFile, recoveryCandidates, recoveryFilePath } from '../../db/recoveryKey';
import { passwordProblem } from '../../../shared/passwords';
import { recordAudit } from '../../kernel/audit';
import { requireSession } from '../../kernel/authz';
import type { AppContext, Session } from '../../kernel/context';
import { ensureArchiveDefaults } from '../archive/archive';
import { ensureCatalogue } from '../warnings/warnings';
import { assertNewPassword, assertNotLockedOut, clearFailures, institutionOfStore, loadKeyring, putRecoveryWrap, putWrap, readRecoveryWrap, reconcileKeyring, recordFailure, saveKeyring, setAsideKeyring, withKeyring } from '../keys/keys';
import { assertRotationAllows, openStoreWith, readJournal } from '../keys/rotation';
import { readSettings } from '../../kernel/settings';
import { localOnly, requireStore, storeError, storeExists, type LocalStore, type Store } from '../../kernel/store';
import { branchLogin, branchRecover, checkBranchPassword } from './branch';

export function sessionInfo(s: Session): SessionInfo {
  return {
    username: s.username,
    displayName: s.displayName,
    roles: s.roles,
    permissions: [...permissionsOf(s.roles)],
    mustChangePassword: s.mustChangePassword,
    mustChangeReason: s.mustChangePassword ? (s.mustChangeReason ?? 'reset') : null,
    idleMinutes: s.idleMinutes,
  };
}

function dataDir(ctx: AppContext): string {
  const dir = ctx.config.dataDir;
  if (!storeExists(dir)) throw new AppError('NOT_FOUND', ctx.t('errors.noStore'));
  return dir;
}

async function ensureStore(ctx: AppContext, dir: string, dataKey: Buffer): Promise<LocalStore> {
  if (!ctx.store) {
    ctx.store = (await openStoreWith(ctx, dir, dataKey)).store;
    await reconcileKeyring(ctx, ctx.store);
  }
  return localOnly(ctx, ctx.store);
}

/** The institution's name as the keyring carries it (the password rule refuses it). */
function institutionOf(dir: string): string | null {
  const kr = readKeyring(dir);
  return kr.kind === 'ok' ? kr.keyring.institution : null;
}

/**
 * A user whose entry is of the old kind (the password wraps the data key) gets a key pair now that the password
 * is at hand, so that a later rotation can re-seal their key. After the commit, like every keyring write.
 */
async function upgradeLegacyWrap(ctx: AppContext, store: LocalStore, username: string, password: string): Promise<void> {
  const keyring = loadKeyring(ctx, store.dir);
  const wrap = keyring.users[username];
  if (!wrap || !isLegacyWrap(wrap)) return;
  await store.db.transaction().execute(async (trx) => {
    await putWrap(trx, keyring, username, wrapKey(store.dataKey, password));
    await recordAudit(trx, ctx.nowIso(), { actor: username, action: 'keys.upgradeUserKey', entity: 'user', entityId: username });
  });
  saveKeyring(ctx, store.dir, keyring);
}

async function startSession(ctx: AppContext, store: Store, username: string, action: string, weakPassword = false): Promise<SessionInfo> {
  const user = await store.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!user) throw new AppError('FORBIDDEN', ctx.t('errors.badCredentials', { left: '-' }));
  if (user.disabled) throw new AppError('FORBIDDEN', ctx.t('errors.userDisabled'));
  const settings = await readSettings(store.db);
  ctx.session = {
    username,
    displayName: user.display_name,
    roles: JSON.parse(user.roles) as Role[],
    // A password that no longer meets the rule still signs in, once: its user sets a new one first.
    mustChangePassword: !!user.must_change_password || weakPassword,
    mustChangeReason: user.must_change_password ? 'reset' : weakPassword ? 'rule' : null,
    locked: false,
    lastActivity: ctx.clock.now().getTime(),
    idleMinutes: settings.idleMinutes,
  };
  await store.db.transaction().execute((trx) => recordAudit(trx, ctx.nowIso(), { actor: username, action, entity: 'user', entityId: username }));
  // A store from before the archive catalogue or the warning signals gets them at sign-in, so that reading never writes.
  await ensureArchiveDefaults(store.db, ctx.nowIso());
  await ensureCatalogue(store.db, ctx.nowIso());
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
  if (ctx.config.server) return branchLogin(ctx, input, (store, weak) => startSession(ctx, store, input.username, 'session.login', weak));
  const dir = dataDir(ctx);
  const keyring = loadKeyring(ctx, dir);
  const key = unwrapFor(ctx, dir, keyring, input.username, input.password);
  if (ctx.session && ctx.session.username !== input.username) logout(ctx);
  const store = await ensureStore(ctx, dir, key);
  await assertRotationAllows(ctx, store, input.username);
  await upgradeLegacyWrap(ctx, store, input.username, input.password);
  const weak = passwordProblem(input.password, { username: input.username, institution: institutionOf(dir) }) !== null;
  return startSession(ctx, store, input.username, 'session.login', weak);
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
  if (ctx.store.kind === 'branch') {
    await checkBranchPassword(ctx, ctx.store, s.username, input.password);
    s.locked = false;
    s.lastActivity = ctx.clock.now().getTime();
    return sessionInfo(s);
  }
  const keyring = loadKeyring(ctx, localOnly(ctx, ctx.store).dir);
  unwrapFor(ctx, localOnly(ctx, ctx.store).dir, keyring, s.username, input.password);
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
  assertNewPassword(ctx, input.newPassword, { username: s.username, institution: institutionOfStore(ctx, store) }, 'newPassword');
  let key: Buffer;
  if (store.kind === 'branch') {
    await checkBranchPassword(ctx, store, s.username, input.oldPassword);
    key = store.dataKey;
  } else {
    key = unwrapFor(ctx, store.dir, loadKeyring(ctx, store.dir), s.username, input.oldPassword);
  }
  await withKeyring(ctx, store, async (trx, keyring) => {
    await putWrap(trx, keyring, s.username, wrapKey(key, input.newPassword));
    await trx.updateTable('users').set({ must_change_password: 0, updated_at: ctx.nowIso() }).where('username', '=', s.username).execute();
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'session.changePassword', entity: 'user', entityId: s.username });
  });
  s.mustChangePassword = false;
  s.mustChangeReason = null;
  return sessionInfo(s);
}

/**
 * Forgotten password: the recovery key opens the store, the user gets a new password. The recovery key unwraps
 * the data key through the recovery wrap in the keyring or, when the keyring is lost or damaged, in
 * `recovery.json` beside the database; a store's original legacy key (the data key itself) still works until
 * the next rotation. A missing or damaged keyring is rebuilt from the wraps mirrored in the database.
 */
export async function recover(ctx: AppContext, input: { recoveryKey: string; username: string; newPassword: string }): Promise<SessionInfo> {
  if (ctx.config.server) return branchRecover(ctx, input, (store) => startSession(ctx, store, input.username, 'session.login'));
  const dir = dataDir(ctx);
  const parsed = parseRecoveryKey(input.recoveryKey);
  const badKey = () => new AppError('FORBIDDEN', ctx.t('errors.badRecoveryKey'), [{ path: 'recoveryKey', message: ctx.t('errors.badRecoveryKey') }]);
  if (!parsed) throw badKey();
  const state = readKeyring(dir);
  assertNewPassword(ctx, input.newPassword, { username: input.username, institution: state.kind === 'ok' ? state.keyring.institution : null }, 'newPassword');
  const wraps = [state.kind === 'ok' ? state.keyring.recovery : null, readRecoveryFile(recoveryFilePath(dir))?.wrap];
  let candidates = recoveryCandidates(parsed, wraps);
  // With a keyring that vouches for its key, only that key (or, mid-rotation, the one its journal leads to) will do.
  const journal = readJournal(dir);
  if (state.kind === 'ok') candidates = candidates.filter((k) => keyCheck(k) === state.keyring.keyCheck || (journal && keyCheck(k) === journal.oldCheck));
  if (candidates.length === 0) throw badKey();
  logout(ctx);
  let store: LocalStore | null = null;
  let key: Buffer | null = null;
  let lastError: unknown = null;
  for (const k of candidates) {
    try {
      ({ store, key } = await openStoreWith(ctx, dir, k));
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (!store || !key) {
    // With a keyring that vouches for the key, the database itself is at fault.
    if (state.kind === 'ok') throw storeError(ctx, lastError);
    throw badKey();
  }
  ctx.store = store;
  try {
    const user = await store.db.selectFrom('users').selectAll().where('username', '=', input.username).executeTakeFirst();
    if (!user || user.disabled) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchUser'), [{ path: 'username', message: ctx.t('errors.noSuchUser') }]);
    await assertRotationAllows(ctx, store, input.username);
    // The keyring as the database knows it: the one on disk (after a rotation finished on opening, re-read), or rebuilt.
    const now = readKeyring(dir);
    const keyring = now.kind === 'ok' && now.keyring.keyCheck === keyCheck(store.dataKey) ? now.keyring : await rebuildKeyring(ctx, store, store.dataKey);
    const rebuilt = keyring !== (now.kind === 'ok' ? now.keyring : null);
    const recoveryWrap = await readRecoveryWrap(store.db);
    await store.db.transaction().execute(async (trx) => {
      await putWrap(trx, keyring, input.username, wrapKey(store.dataKey, input.newPassword));
      await trx.updateTable('users').set({ must_change_password: 0, updated_at: ctx.nowIso() }).where('username', '=', input.username).execute();
      if (recoveryWrap) await putRecoveryWrap(trx, keyring, recoveryWrap);
      await recordAudit(trx, ctx.nowIso(), {
        actor: input.username,
        action: 'session.recover',
        entity: 'user',
        entityId: input.username,
        detail: { keyringRebuilt: rebuilt, recoveryKey: parsed.secret && !parsed.legacyDataKey ? 'wrapped' : 'legacy' },
      });
    });
    // After the commit; the damaged keyring is moved aside only once its replacement is certain.
    delete keyring.attempts[input.username];
    if (rebuilt && now.kind !== 'missing') setAsideKeyring(dir, ctx.nowIso());
    saveKeyring(ctx, dir, keyring);
    return await startSession(ctx, store, input.username, 'session.login');
  } catch (e) {
    logout(ctx);
    throw e;
  }
}

async function rebuildKeyring(ctx: AppContext, store: LocalStore, key: Buffer): Promise<Keyring> {
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
    recovery: await readRecoveryWrap(store.db),
    // No head survives a lost keyring; the next commit records the database's. Backups still witness.
    auditHead: null,
  };
}
