import { renameSync, existsSync } from 'node:fs';
import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../../shared/ipc/errors';
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_PROBLEM_KEYS, passwordProblem } from '../../../shared/passwords';
import { keyringPath, readKeyring, writeKeyring, type Keyring, type Wrap } from '../../db/keyring';
import { recoveryFilePath, writeRecoveryFile, type RecoveryWrap } from '../../db/recoveryKey';
import type { Database } from '../../db/schema';
import { advancedHead } from '../../kernel/auditHead';
import type { AppContext } from '../../kernel/context';
import type { LocalStore, Store } from '../../kernel/store';
import { readBranchKeyring, writeBranchKeyring } from '../../db/branchKeyring';

export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;

/** The keyring of the data folder, or a clear error telling the user to use the recovery key. */
export function loadKeyring(ctx: AppContext, dir: string): Keyring {
  const state = readKeyring(dir);
  if (state.kind === 'ok') return state.keyring;
  const key = state.kind === 'missing' ? 'errors.keyringMissing' : 'errors.keyringDamaged';
  throw new AppError('IO', ctx.t(key, { file: keyringPath(dir) }));
}

/**
 * Writes the keyring. Call it after the database transaction has committed, never inside one: the database is
 * the record (wraps are mirrored in `key_wraps`), and a keyring behind it is put right when the store next
 * opens (`reconcileKeyring`). The audit head is taken from the file (another commit may have moved it since
 * `keyring` was read) and moved on to what the store has committed.
 */
export function saveKeyring(ctx: AppContext, dir: string, keyring: Keyring, store: LocalStore | null = ctx.store?.kind === 'local' ? ctx.store : null): void {
  try {
    const disk = readKeyring(dir);
    const head = disk.kind === 'ok' ? disk.keyring.auditHead : keyring.auditHead;
    keyring.auditHead = store && store.dir === dir ? advancedHead(store, head) : head;
    writeKeyring(dir, keyring);
    // The recovery wrap's second copy outside the database: it opens the store when the keyring is lost.
    writeRecoveryFile(recoveryFilePath(dir), keyring.keyCheck, keyring.recovery);
  } catch {
    throw new AppError('IO', ctx.t('errors.keyringWrite', { file: keyringPath(dir) }));
  }
}

/**
 * The password rule for a new password (setup, change, reset, new user, enabling, recovery): a VALIDATION error
 * on `field` naming the problem. Existing passwords are not judged here (see `login`).
 */
export function assertNewPassword(ctx: AppContext, password: string, who: { username: string; institution: string | null }, field: string): void {
  const problem = passwordProblem(password, who);
  if (!problem) return;
  const message = ctx.t(PASSWORD_PROBLEM_KEYS[problem], { min: PASSWORD_MIN, max: PASSWORD_MAX });
  throw new AppError('VALIDATION', message, [{ path: field, message }]);
}

/** Refuses while the user is locked out; the lockout lives in the keyring so a restart keeps it. */
export function assertNotLockedOut(ctx: AppContext, keyring: Keyring, username: string): void {
  const until = keyring.attempts[username]?.lockedUntil;
  if (until && Date.parse(until) > ctx.clock.now().getTime()) {
    throw new AppError('LOCKED', ctx.t('errors.lockedOut', { time: formatLocalTime(until) }));
  }
}

/** Counts a failed password; the fifth in a row locks the user for five minutes. */
export function recordFailure(ctx: AppContext, dir: string, keyring: Keyring, username: string): AppError {
  const error = countFailure(ctx, keyring, username);
  saveKeyring(ctx, dir, keyring);
  return error;
}

/** The counting of `recordFailure` on the keyring in memory; the caller stores it (a file, or the branch database). */
export function countFailure(ctx: AppContext, keyring: Keyring, username: string): AppError {
  const prev = keyring.attempts[username];
  const failures = (prev && !isExpiredLock(ctx, prev.lockedUntil) ? prev.failures : 0) + 1;
  if (failures >= MAX_FAILURES) {
    const until = new Date(ctx.clock.now().getTime() + LOCKOUT_MS).toISOString();
    keyring.attempts[username] = { failures: 0, lockedUntil: until };
    return new AppError('LOCKED', ctx.t('errors.lockedOut', { time: formatLocalTime(until) }));
  }
  keyring.attempts[username] = { failures, lockedUntil: null };
  return new AppError('FORBIDDEN', ctx.t('errors.badCredentials', { left: MAX_FAILURES - failures }));
}

export function clearFailures(ctx: AppContext, dir: string, keyring: Keyring, username: string): void {
  if (!keyring.attempts[username]) return;
  delete keyring.attempts[username];
  saveKeyring(ctx, dir, keyring);
}

function isExpiredLock(ctx: AppContext, until: string | null): boolean {
  return !!until && Date.parse(until) <= ctx.clock.now().getTime();
}

function formatLocalTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Stores a user's wrap in the keyring and its mirror in the database, which lets a lost keyring be rebuilt. */
export async function putWrap(db: Kysely<Database> | Transaction<Database>, keyring: Keyring, username: string, wrap: Wrap): Promise<void> {
  keyring.users[username] = wrap;
  await db
    .insertInto('key_wraps')
    .values({ username, wrap: JSON.stringify(wrap) })
    .onConflict((oc) => oc.column('username').doUpdateSet({ wrap: JSON.stringify(wrap) }))
    .execute();
}

/** The settings key that mirrors the recovery wrap inside the database (to rebuild the keyring and `recovery.json`). */
export const RECOVERY_SETTING = 'keys.recovery';

/** Stores the recovery key's wrap in the keyring and its mirror in the database; `recovery.json` follows with the keyring. */
export async function putRecoveryWrap(db: Kysely<Database> | Transaction<Database>, keyring: Keyring, wrap: RecoveryWrap): Promise<void> {
  keyring.recovery = wrap;
  const value = JSON.stringify(wrap);
  await db
    .insertInto('settings')
    .values({ key: RECOVERY_SETTING, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export async function readRecoveryWrap(db: Kysely<Database>): Promise<RecoveryWrap | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', RECOVERY_SETTING).executeTakeFirst();
  return row ? (JSON.parse(row.value) as RecoveryWrap) : null;
}

export async function removeWrap(db: Kysely<Database> | Transaction<Database>, keyring: Keyring, username: string): Promise<void> {
  delete keyring.users[username];
  await db.deleteFrom('key_wraps').where('username', '=', username).execute();
}

/** Moves an unreadable keyring aside (never deletes it) before a rebuilt one takes its place. */
export function setAsideKeyring(dir: string, stamp: string): void {
  const file = keyringPath(dir);
  if (existsSync(file)) renameSync(file, `${file}.damaged-${stamp.replace(/[:.]/g, '-')}`);
}

/**
 * The database is the record of who may unwrap the key: after a crash between a commit and the keyring write
 * that follows it, the keyring is brought back in line (wraps, disabled users, the institution's name) when
 * the store opens (and the recovery wrap, which also goes to `recovery.json`). Returns whether it had to change anything.
 */
export async function reconcileKeyring(ctx: AppContext, store: LocalStore): Promise<boolean> {
  const state = readKeyring(store.dir);
  if (state.kind !== 'ok') return false;
  const keyring = state.keyring;
  const wraps = await store.db.selectFrom('key_wraps').selectAll().execute();
  const disabled = (await store.db.selectFrom('users').select('username').where('disabled', '=', 1).orderBy('username').execute()).map((u) => u.username);
  const names = await store.db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['institution', 'branch']).execute();
  const setting = (k: string, fallback: string) => {
    const row = names.find((n) => n.key === k);
    return row ? (JSON.parse(row.value) as string) : fallback;
  };
  const users = Object.fromEntries(wraps.filter((w) => !disabled.includes(w.username)).map((w) => [w.username, JSON.parse(w.wrap) as Wrap]));
  const recovery = (await readRecoveryWrap(store.db)) ?? keyring.recovery;
  const next = { users, disabled, institution: setting('institution', keyring.institution), branch: setting('branch', keyring.branch), recovery };
  const now = { users: keyring.users, disabled: [...keyring.disabled].sort(), institution: keyring.institution, branch: keyring.branch, recovery: keyring.recovery };
  if (JSON.stringify(sortKeys(next)) === JSON.stringify(sortKeys(now))) {
    // A deleted or stale `recovery.json` is written again from the keyring.
    writeRecoveryFile(recoveryFilePath(store.dir), keyring.keyCheck, keyring.recovery);
    return false;
  }
  Object.assign(keyring, next);
  saveKeyring(ctx, store.dir, keyring, store);
  return true;
}

function sortKeys(o: { users: Record<string, Wrap> } & Record<string, unknown>): unknown {
  return { ...o, users: Object.fromEntries(Object.entries(o.users).sort(([a], [b]) => a.localeCompare(b))) };
}

/**
 * Changes the keyring together with the database: on one PC the database commits first and the keyring file is
 * written after it (see `saveKeyring`); on the branch server the keyring is in the database and changes inside
 * the same transaction, read there so that another PC's change meanwhile is not lost.
 */
export async function withKeyring<T>(ctx: AppContext, store: Store, fn: (trx: Transaction<Database>, keyring: Keyring) => Promise<T>): Promise<T> {
  if (store.kind === 'branch') {
    return store.db.transaction().execute(async (trx) => {
      const state = await readBranchKeyring(trx);
      if (state.kind !== 'ok') throw new AppError('IO', ctx.t('errors.branchKeyringDamaged'));
      const result = await fn(trx, state.keyring);
      await writeBranchKeyring(trx, state.keyring);
      return result;
    });
  }
  const keyring = loadKeyring(ctx, store.dir);
  const result = await store.db.transaction().execute((trx) => fn(trx, keyring));
  saveKeyring(ctx, store.dir, keyring, store);
  return result;
}

/** The institution's name as the keyring carries it (the password rule refuses it). */
export function institutionOfStore(ctx: AppContext, store: Store): string | null {
  if (store.kind === 'branch') return ctx.config.server?.institution ?? null;
  try {
    return loadKeyring(ctx, store.dir).institution;
  } catch {
    return null;
  }
}
