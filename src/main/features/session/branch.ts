import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionInfo } from '../../../shared/ipc/session';
import { AppError } from '../../../shared/ipc/errors';
import { passwordProblem } from '../../../shared/passwords';
import { auditKey } from '../../db/auditChain';
import { readBranchKeyring, writeBranchKeyring } from '../../db/branchKeyring';
import { keyCheck, keyMatches, unwrapKey, wrapKey, type Keyring } from '../../db/keyring';
import { openPostgres, type PostgresTarget } from '../../db/pg/connect';
import { migratePostgres } from '../../db/pg/migrate';
import { encodeRecoveryKey, newRecoverySecret, parseRecoveryKey, recoveryCandidates, sealRecovery } from '../../db/recoveryKey';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { openBranchStore } from '../../kernel/branchStore';
import { witnessPath } from '../../kernel/branchWitness';
import { claimBranchRotation } from '../keys/branchRotation';
import type { AppContext, ServerConfig } from '../../kernel/context';
import type { BranchStore } from '../../kernel/store';
import { DEFAULT_SETTINGS, writeSettings } from '../../kernel/settings';
import { ensureArchiveDefaults } from '../archive/archive';
import { seedCatalogue } from '../warnings/warnings';
import { assertNewPassword, assertNotLockedOut, countFailure, putRecoveryWrap, putWrap, withKeyring } from '../keys/keys';

/**
 * Working on the branch server: setting a branch up on an empty database, and signing in. The keyring lives in
 * the branch database (db/branchKeyring.ts); a user's password unwraps the branch's data key from it, as on one
 * PC. The server's own password is the database's, kept by the OS for this Windows user (safeStorage), or for
 * this run only when the OS offers no such store (the command line).
 */

/** What a PC needs to reach the server; the address carries no password. */
export interface ServerInput {
  url: string;
  password: string;
  ca: string | null;
}

/** Where this PC keeps the branch's audit head (kernel/branchWitness.ts): named by the branch's key, not its address. */
export function witnessFileFor(ctx: AppContext, dataKey: Buffer): string {
  const chainKey = auditKey(dataKey);
  try {
    return witnessPath(ctx.paths.witnessDir ?? ctx.paths.configDir, chainKey);
  } finally {
    chainKey.fill(0);
  }
}

export function withPassword(url: string, password: string | null): string {
  const u = new URL(url);
  u.password = password === null ? '' : encodeURIComponent(password);
  return u.toString();
}

function stripPassword(url: string): string {
  return withPassword(url, null);
}

/** The configured server with its password, or a clear error when this PC does not know it. */
export function serverTarget(ctx: AppContext, server: ServerConfig | null = ctx.config.server): PostgresTarget {
  if (!server) throw new AppError('NOT_FOUND', ctx.t('errors.noStore'));
  const password = (server.secret && ctx.shell?.revealSecret(server.secret)) || ctx.serverPassword;
  if (password === null) throw new AppError('LOCKED', ctx.t('errors.serverPasswordNeeded'));
  return { url: withPassword(server.url, password), ca: server.ca ?? undefined, locale: ctx.config.locale };
}

function remember(ctx: AppContext, input: ServerInput, names: { institution: string; branch: string }): void {
  const secret = ctx.shell?.protectSecret(input.password) ?? null;
  ctx.serverPassword = secret ? null : input.password;
  ctx.saveConfig({ dataDir: null, server: { url: stripPassword(input.url), ca: input.ca, secret, institution: names.institution, branch: names.branch } });
}

/** Reaches the server with a short-lived pool and runs `fn`; connection failures become a clear message. */
async function withServer<T>(ctx: AppContext, target: PostgresTarget, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = openPostgres({ ...target, max: 1 });
  try {
    return await fn(db);
  } catch (e) {
    if (e instanceof AppError) throw e;
    // invalid_password: the server was reached and refused the database's user or password.
    if ((e as { code?: unknown }).code === '28P01') {
      const message = ctx.t('errors.serverBadPassword');
      throw new AppError('FORBIDDEN', message, [{ path: 'dbPassword', message }]);
    }
    throw new AppError('IO', ctx.t('errors.serverUnreachable', { detail: (e as Error).message }));
  } finally {
    await db.destroy();
  }
}

/**
 * Sets a branch up on an empty database: the schema, the administrator, the branch's data key wrapped for their
 * password and for a new recovery key (shown once, confirmed as on one PC).
 */
export async function createBranchInstitution(
  ctx: AppContext,
  input: ServerInput & { institution: string; branch: string; adminUsername: string; adminName: string; password: string; adminPassword: string },
): Promise<{ recoveryKey: string }> {
  assertNewPassword(ctx, input.adminPassword, { username: input.adminUsername, institution: input.institution }, 'password');
  const target: PostgresTarget = { url: withPassword(input.url, input.password), ca: input.ca ?? undefined, locale: ctx.config.locale };
  const dataKey = randomBytes(32);
  const recoverySecret = newRecoverySecret();
  const recoveryWrap = sealRecovery(dataKey, recoverySecret);
  const stamp = ctx.nowIso();
  await withServer(ctx, target, async (db) => {
    await migratePostgres(db);
    // One branch per database: an institution already there is joined, never overwritten.
    if ((await readBranchKeyring(db)).kind !== 'missing' || (await db.selectFrom('users').select('username').limit(1).executeTakeFirst())) {
      throw new AppError('CONFLICT', ctx.t('errors.serverHasBranch'));
    }
  });
  ctx.close();
  const store = await openBranchStore(target, dataKey, witnessFileFor(ctx, dataKey));
  try {
    const wrap = wrapKey(dataKey, input.adminPassword);
    const keyring: Keyring = {
      format: 'loankeeper-keyring',
      version: 1,
      keyCheck: keyCheck(dataKey),
      setupConfirmed: false,
      institution: input.institution,
      branch: input.branch,
      users: {},
      disabled: [],
      attempts: {},
      recovery: recoveryWrap,
      auditHead: null,
    };
    await store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({ username: input.adminUsername, display_name: input.adminName, roles: JSON.stringify(['admin']), disabled: 0, must_change_password: 0, created_at: stamp, updated_at: stamp })
        .execute();
      await writeSettings(trx, { ...DEFAULT_SETTINGS, institution: input.institution, branch: input.branch });
      await putWrap(trx, keyring, input.adminUsername, wrap);
      await putRecoveryWrap(trx, keyring, recoveryWrap);
      await writeBranchKeyring(trx, keyring);
      const signals = await seedCatalogue(trx, stamp);
      await recordAudit(trx, stamp, { actor: input.adminUsername, action: 'setup.create', entity: 'institution', entityId: input.institution, detail: { branch: input.branch, recoveryKeyId: recoveryWrap.id, warningSignals: signals, store: 'branch' } });
    });
    await ensureArchiveDefaults(store.db, stamp);
  } catch (e) {
    store.close();
    throw e;
  }
  remember(ctx, input, input);
  ctx.store = store;
  ctx.session = { username: input.adminUsername, displayName: input.adminName, roles: ['admin'], mustChangePassword: false, mustChangeReason: null, locked: false, lastActivity: ctx.clock.now().getTime(), idleMinutes: DEFAULT_SETTINGS.idleMinutes };
  ctx.pendingRecoveryKey = encodeRecoveryKey(recoverySecret);
  recoverySecret.fill(0);
  return { recoveryKey: ctx.pendingRecoveryKey };
}

/** The administrator has stored the recovery key: the branch is ready for the other PCs. */
export async function confirmBranchRecoveryKey(ctx: AppContext): Promise<void> {
  const store = ctx.store;
  if (!store || store.kind !== 'branch' || !ctx.session) throw new AppError('CONFLICT', ctx.t('errors.noPendingSetup'));
  await store.db.transaction().execute(async (trx) => {
    const state = await readBranchKeyring(trx);
    if (state.kind !== 'ok') throw new AppError('IO', ctx.t('errors.branchKeyringDamaged'));
    state.keyring.setupConfirmed = true;
    await writeBranchKeyring(trx, state.keyring);
    await recordAudit(trx, ctx.nowIso(), { actor: ctx.session!.username, action: 'setup.confirmRecoveryKey', entity: 'institution', entityId: state.keyring.institution });
  });
  ctx.pendingRecoveryKey = null;
}

/** Another PC of the branch: checks that the server holds a branch that is set up, and remembers it. */
export async function joinBranch(ctx: AppContext, input: ServerInput): Promise<{ institution: string; branch: string }> {
  const target: PostgresTarget = { url: withPassword(input.url, input.password), ca: input.ca ?? undefined, locale: ctx.config.locale };
  const keyring = await withServer(ctx, target, async (db) => {
    // An empty database has no keyring's table (undefined_table); a refused connection is said as such.
    const state = await readBranchKeyring(db).catch((e: unknown) => {
      if ((e as { code?: unknown }).code === '42P01') return { kind: 'missing' as const };
      throw e;
    });
    if (state.kind !== 'ok' || !state.keyring.setupConfirmed) throw new AppError('NOT_FOUND', ctx.t('errors.serverHasNoBranch'));
    return state.keyring;
  });
  ctx.close();
  remember(ctx, input, keyring);
  return { institution: keyring.institution, branch: keyring.branch };
}

/**
 * Signs in on the branch server. Failed passwords are counted in the branch's keyring, inside a write
 * transaction, so five wrong guesses from any PCs lock the user everywhere; scrypt's cost is the real limit.
 */
export async function branchLogin(
  ctx: AppContext,
  input: { username: string; password: string },
  start: (store: BranchStore, weak: boolean) => Promise<SessionInfo>,
): Promise<SessionInfo> {
  const target = serverTarget(ctx);
  const key = await withServer(ctx, target, async (db) => {
    const state = await readBranchKeyring(db);
    if (state.kind !== 'ok') throw new AppError(state.kind === 'missing' ? 'NOT_FOUND' : 'IO', ctx.t(state.kind === 'missing' ? 'errors.serverHasNoBranch' : 'errors.branchKeyringDamaged'));
    const keyring = state.keyring;
    assertNotLockedOut(ctx, keyring, input.username);
    if (keyring.users[input.username] === undefined && keyring.disabled.includes(input.username)) throw new AppError('FORBIDDEN', ctx.t('errors.userDisabled'));
    const wrap = keyring.users[input.username];
    const opened = wrap ? unwrapKey(wrap, input.password) : null;
    if (opened && !keyMatches(keyring, opened)) throw new AppError('IO', ctx.t('errors.branchKeyringDamaged'));
    // The institution's name as the branch now has it (an administrator may have changed it from another PC).
    const server = ctx.config.server;
    if (opened && server && (server.institution !== keyring.institution || server.branch !== keyring.branch)) {
      ctx.saveConfig({ server: { ...server, institution: keyring.institution, branch: keyring.branch } });
    }
    if (!opened || keyring.attempts[input.username]) {
      // Counted on the keyring as it is now (another PC may have counted meanwhile).
      const error = await db.transaction().execute(async (trx) => {
        const now = await readBranchKeyring(trx);
        if (now.kind !== 'ok') return null;
        const counted = opened ? (delete now.keyring.attempts[input.username], null) : countFailure(ctx, now.keyring, input.username);
        await writeBranchKeyring(trx, now.keyring);
        return counted;
      });
      if (!opened) throw error ?? new AppError('FORBIDDEN', ctx.t('errors.badCredentials', { left: '-' }));
    }
    return opened;
  });
  if (ctx.session && ctx.session.username !== input.username) ctx.close();
  // A store this PC opened before the branch's key was rotated holds the old key: it goes, and the new one opens.
  if (ctx.store && (ctx.store.kind !== 'branch' || ctx.store.keyCheck !== keyCheck(key))) ctx.close();
  if (!ctx.store) ctx.store = await openBranchStore(target, key, witnessFileFor(ctx, key));
  key.fill(0);
  try {
    // A rotation of the data key unfinished on the server: only an administrator, to finish it.
    await claimBranchRotation(ctx, ctx.store as BranchStore, input.username);
  } catch (e) {
    ctx.close();
    throw e;
  }
  const weak = passwordProblem(input.password, { username: input.username, institution: ctx.config.server?.institution ?? null }) !== null;
  return start(ctx.store as BranchStore, weak);
}

/**
 * Forgotten password on the branch server: the recovery key opens the branch's recovery wrap, kept in the keyring
 * in the database, and the user gets a new password there, for every PC. A key that opens nothing, or a key of
 * another branch, is refused before anything is written; a disabled or unknown user is refused after.
 */
export async function branchRecover(
  ctx: AppContext,
  input: { recoveryKey: string; username: string; newPassword: string },
  start: (store: BranchStore) => Promise<SessionInfo>,
): Promise<SessionInfo> {
  const badKey = () => new AppError('FORBIDDEN', ctx.t('errors.badRecoveryKey'), [{ path: 'recoveryKey', message: ctx.t('errors.badRecoveryKey') }]);
  const parsed = parseRecoveryKey(input.recoveryKey);
  if (!parsed) throw badKey();
  assertNewPassword(ctx, input.newPassword, { username: input.username, institution: ctx.config.server?.institution ?? null }, 'newPassword');
  const target = serverTarget(ctx);
  const key = await withServer(ctx, target, async (db) => {
    const state = await readBranchKeyring(db);
    if (state.kind !== 'ok') throw new AppError(state.kind === 'missing' ? 'NOT_FOUND' : 'IO', ctx.t(state.kind === 'missing' ? 'errors.serverHasNoBranch' : 'errors.branchKeyringDamaged'));
    const keyring = state.keyring;
    const found = recoveryCandidates(parsed, [keyring.recovery]).find((k) => keyMatches(keyring, k));
    if (!found) throw badKey();
    return found;
  });
  ctx.close();
  const store = await openBranchStore(target, key, witnessFileFor(ctx, key));
  key.fill(0);
  ctx.store = store;
  try {
    const user = await store.db.selectFrom('users').select(['disabled']).where('username', '=', input.username).executeTakeFirst();
    if (!user || user.disabled) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchUser'), [{ path: 'username', message: ctx.t('errors.noSuchUser') }]);
    await claimBranchRotation(ctx, store, input.username);
    await withKeyring(ctx, store, async (trx, keyring) => {
      await putWrap(trx, keyring, input.username, wrapKey(store.dataKey, input.newPassword));
      delete keyring.attempts[input.username];
      await trx.updateTable('users').set({ must_change_password: 0, updated_at: ctx.nowIso() }).where('username', '=', input.username).execute();
      await recordAudit(trx, ctx.nowIso(), { actor: input.username, action: 'session.recover', entity: 'user', entityId: input.username, detail: { store: 'branch' } });
    });
    return await start(store);
  } catch (e) {
    ctx.close();
    throw e;
  }
}

/** The signed-in user's password checked again (unlocking the screen) against the branch's keyring. */
export async function checkBranchPassword(ctx: AppContext, store: BranchStore, username: string, password: string): Promise<void> {
  const state = await readBranchKeyring(store.db);
  if (state.kind !== 'ok') throw new AppError('IO', ctx.t('errors.branchKeyringDamaged'));
  assertNotLockedOut(ctx, state.keyring, username);
  const wrap = state.keyring.users[username];
  const opened = wrap ? unwrapKey(wrap, password) : null;
  if (opened) {
    opened.fill(0);
    return;
  }
  const error = await store.db.transaction().execute(async (trx) => {
    const now = await readBranchKeyring(trx);
    if (now.kind !== 'ok') return null;
    const counted = countFailure(ctx, now.keyring, username);
    await writeBranchKeyring(trx, now.keyring);
    return counted;
  });
  throw error ?? new AppError('FORBIDDEN', ctx.t('errors.badCredentials', { left: '-' }));
}
