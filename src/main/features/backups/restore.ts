import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import type { MessageKey } from '../../../shared/i18n';
import type { BackupInspection, RestoreJobView, RestorePhase } from '../../../shared/ipc/backups';
import { AppError } from '../../../shared/ipc/errors';
import { can, type Role } from '../../../shared/permissions';
import { acquireDataLock, readLock, LOCK_STALE_MS } from '../../db/dataFolder';
import { fileKey, filesDir, listStoredFiles, writeEncryptedFile } from '../../db/fileStore';
import { keyCheck, readKeyring, unwrapKey, writeKeyring, type Keyring, type Wrap } from '../../db/keyring';
import { migrate } from '../../db/migrate';
import { kyselyOf, type Sqlite } from '../../db/open';
import { backupRows, integrityCheck, keyWrapsIn, latestAuditAt, openCopyForEdit, probeUsers, restoreEdits, rowCount, settingText, userIn, usersIn, vacuumInto } from '../../db/maintenance';
import { dataKeyFromRecoveryKey, parseRecoveryKey, recoveryFilePath, writeRecoveryFile, type RecoveryWrap } from '../../db/recoveryKey';
import { auditKey, readHead, readKeyHistory, registerAuditMac, signHead } from '../../db/auditChain';
import { BackupError, backupError } from './backupErrors';
import { BackupOpenError, checkBackup, inlineBytes, openBackup, readFacts, sha256, storedFileHash, totalRows, type DbFacts, type Problem } from '../../db/backupFiles';
import { backupBeforeRestore, exclusive, stampOf } from './backups';
import { BACKUP_HEAD_KEY } from '../../db/backupHead';
import type { AppContext } from '../../kernel/context';
import { assertNotLockedOut, clearFailures, loadKeyring, RECOVERY_SETTING, recordFailure } from '../keys/keys';
import { requirePermission, requireSession } from '../../kernel/authz';
import { logout } from '../session/session';
import { dbPath, sealLegacyChain, storeExists, localOnly, type BranchStore } from '../../kernel/store';
import { authoriseBranch, inspectBranchBackup, runBranchRestore } from './branchRestore';

/**
 * Restoring a backup: it is read through and checked before anything is touched; the current state is kept
 * first (a verified backup into backups/, or, when the store is too damaged for that, a copy of its files as
 * found); the backup is copied next to the store, its documents are moved back out into the encrypted file
 * store (as the app keeps them), the new database is checked once more, then it replaces the old one by a
 * rename. The user is signed out and signs in again.
 */

export interface RestoreInput {
  file: string;
  recoveryKey: string;
  username: string;
  password: string;
}

type Report = (phase: RestorePhase, done: number, total: number) => void;

const fail = (ctx: AppContext, key: MessageKey, params: Record<string, string | number> = {}, field?: string, code: AppError['code'] = 'IO') => backupError(ctx, code, key, params, field);

class NeedsRecoveryKey extends BackupError {}

function needsKey(ctx: AppContext, key: MessageKey, params: Record<string, string | number> = {}): NeedsRecoveryKey {
  return new NeedsRecoveryKey('VALIDATION', ctx.t(key, params), key, params, 'recoveryKey');
}

function problemError(ctx: AppContext, p: Problem, code: AppError['code'] = 'IO'): BackupError {
  return new BackupError(code, ctx.t(p.key, p.params), p.key, p.params);
}

// ---------- who may restore ----------

interface Authorised {
  dir: string;
  /** This data folder's data key, unwrapped with the user's password. */
  ourKey: Buffer;
  signedIn: boolean;
}

/** Another process (the app, while the command line restores) or another PC has the data folder open. */
function folderInUseBy(ctx: AppContext, dir: string): string | null {
  const held = readLock(dir);
  if (!held) return null;
  const me = hostname();
  if (held.host !== me) return ctx.clock.now().getTime() - Date.parse(held.heartbeat) < LOCK_STALE_MS ? held.host : null;
  if (held.pid === process.pid) return null;
  try {
    process.kill(held.pid, 0);
    return held.host;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? held.host : null;
  }
}

/**
 * Signed in: the administrator confirms with their password. Signed out (the store cannot be opened): the
 * password must unwrap this folder's data key; whether the user is an administrator is checked in the backup.
 */
export function authorise(ctx: AppContext, input: { username: string; password: string }): Authorised {
  const signedIn = !!ctx.session;
  if (signedIn) {
    const s = requireSession(ctx);
    // The channel is open signed out, so its refusal names the reason rather than a bare "no permission".
    if (!can(s.roles, 'settings.manage')) throw fail(ctx, 'backups.errors.notAdminNow', { user: s.username }, undefined, 'FORBIDDEN');
    if (s.username !== input.username) throw fail(ctx, 'backups.errors.otherUser', {}, 'username', 'FORBIDDEN');
  } else if (ctx.store) {
    throw new AppError('LOCKED', ctx.t('errors.notLoggedIn'));
  }
  const dir = ctx.config.dataDir;
  if (!dir || !storeExists(dir)) throw new AppError('NOT_FOUND', ctx.t('errors.noStore'));
  const host = folderInUseBy(ctx, dir);
  if (host) throw fail(ctx, 'backups.errors.folderInUse', { dir, host }, undefined, 'CONFLICT');
  return { dir, ourKey: unwrapDataKey(ctx, dir, input.username, input.password), signedIn };
}

/** This data folder's data key from the keyring, with the user's password; failures count towards the lockout. */
export function unwrapDataKey(ctx: AppContext, dir: string, username: string, password: string): Buffer {
  const keyring = loadKeyring(ctx, dir);
  assertNotLockedOut(ctx, keyring, username);
  const wrap = keyring.users[username];
  const key = wrap ? unwrapKey(wrap, password) : null;
  if (!key) {
    const e = recordFailure(ctx, dir, keyring, username);
    throw new AppError(e.code, e.message, [{ path: 'password', message: e.message }]);
  }
  clearFailures(ctx, dir, keyring, username);
  return key;
}

function isAdminIn(db: Sqlite, username: string): boolean {
  const u = userIn(db, username);
  return !!u && !u.disabled && (JSON.parse(u.roles) as Role[]).includes('admin');
}

// ---------- opening the backup ----------

interface Opened {
  db: Sqlite;
  key: Buffer;
  foreign: boolean;
}

/** This installation's earlier data keys (a key rotation keeps them in the database): older backups are under them. */
function retiredKeys(ctx: AppContext, ourKey: Buffer): Buffer[] {
  const store = ctx.store;
  if (!store || store.kind !== 'local' || !store.dataKey.equals(ourKey)) return [];
  try {
    return readKeyHistory(store)
      .reverse()
      .map((k) => Buffer.from(k.dataKey, 'hex'));
  } catch {
    return [];
  }
}

/**
 * Opens the backup with this installation's key (or one it had before a rotation), or else with the recovery key
 * given for it: a recovery key opens its wrap beside the backup (`<file>.recovery.json`, written with it), and
 * an old-kind recovery key is the data key itself.
 */
function openWithKeys(ctx: AppContext, file: string, ourKey: Buffer, recoveryKey: string): Opened {
  const asProblem = (e: unknown): never => {
    if (e instanceof BackupOpenError) throw problemError(ctx, e.problem(file), 'VALIDATION');
    throw e;
  };
  for (const key of [ourKey, ...retiredKeys(ctx, ourKey)]) {
    try {
      return { db: openBackup(file, key), key, foreign: false };
    } catch (e) {
      if (!(e instanceof BackupOpenError && e.kind === 'wrong-key')) asProblem(e);
    }
  }
  if (!recoveryKey.trim()) throw needsKey(ctx, 'backups.errors.needsRecoveryKey', { file });
  if (!parseRecoveryKey(recoveryKey)) throw needsKey(ctx, 'backups.errors.recoveryKeyFormat');
  const key = dataKeyFromRecoveryKey(recoveryKey, file);
  if (!key) {
    // A recovery key of the current kind opens only its wrap, which travels beside the backup.
    const sidecar = `${file}.recovery.json`;
    if (!parseRecoveryKey(recoveryKey)!.legacyDataKey && !existsSync(sidecar)) throw needsKey(ctx, 'backups.errors.recoveryFileMissing', { file, sidecar: basename(sidecar) });
    throw needsKey(ctx, 'backups.errors.recoveryKeyWrong', { file });
  }
  try {
    return { db: openBackup(file, key), key, foreign: !key.equals(ourKey) };
  } catch (e) {
    if (e instanceof BackupOpenError && e.kind === 'wrong-key') throw needsKey(ctx, 'backups.errors.recoveryKeyWrong', { file });
    return asProblem(e);
  }
}

function count(db: Sqlite, table: string): number {
  try {
    return rowCount(db, table);
  } catch {
    return 0;
  }
}

function setting(db: Sqlite, key: string): string | null {
  const r = settingText(db, key);
  return r !== undefined ? (JSON.parse(r) as string) : null;
}

function describe(file: string, db: Sqlite, facts: DbFacts, foreign: boolean): Omit<BackupInspection, 'ok' | 'reason' | 'needsRecoveryKey'> {
  const latest = { at: latestAuditAt(db) };
  return {
    file,
    foreign,
    size: statSync(file).size,
    institution: setting(db, 'institution'),
    branch: setting(db, 'branch'),
    latestEntryAt: latest.at,
    counts: { borrowers: count(db, 'borrowers'), loans: count(db, 'loans'), documents: facts.docs.length, users: count(db, 'users'), auditEntries: count(db, 'audit_log') },
    tables: Object.keys(facts.tables).length,
    rows: totalRows(facts),
  };
}

/**
 * Reads a backup through with this installation's key (or the recovery key given for it) and says what it holds
 * and whether every check passed. Nothing is changed. `ourKey`: the open store's, or one unwrapped from the keyring.
 */
export async function inspectWithKey(ctx: AppContext, file: string, ourKey: Buffer, recoveryKey: string, onProgress?: (done: number, total: number) => void): Promise<BackupInspection> {
  const path = resolve(file);
  const empty: BackupInspection = { file: path, ok: false, reason: null, needsRecoveryKey: false, foreign: false, size: 0, institution: null, branch: null, latestEntryAt: null, counts: null, tables: 0, rows: 0 };
  let opened: Opened;
  try {
    opened = openWithKeys(ctx, path, ourKey, recoveryKey);
  } catch (e) {
    if (e instanceof BackupError) return { ...empty, reason: e.message, needsRecoveryKey: e instanceof NeedsRecoveryKey };
    throw e;
  }
  try {
    const facts = readFacts(opened.db);
    const problem = await checkBackup(opened.db, opened.key, facts, onProgress);
    return { ...describe(path, opened.db, facts, opened.foreign), ok: problem === null, reason: problem ? ctx.t(problem.key, problem.params) : null, needsRecoveryKey: false };
  } catch (e) {
    return { ...empty, reason: ctx.t('backups.problems.damaged', { kind: (e as Error).message }) };
  } finally {
    opened.db.close();
  }
}

/** 检查备份 before a restore, by the signed-in administrator. */
export function inspectBackup(ctx: AppContext, input: { file: string; recoveryKey: string }): Promise<BackupInspection> {
  requirePermission(ctx, 'settings.manage');
  if (ctx.store?.kind === 'branch') {
    const branch = ctx.store;
    return exclusive(ctx, () => inspectBranchBackup(ctx, branch, input.file));
  }
  const store = localOnly(ctx, ctx.store!);
  return exclusive(ctx, () => inspectWithKey(ctx, input.file, store.dataKey, input.recoveryKey));
}

// ---------- the keyring after a restore ----------

/**
 * The restored store's keyring. Same installation: the users as they were in the backup, each keeping the
 * password they have now (who restores signs in again with the password just used). Another installation:
 * its own users and passwords, rebuilt from the copy of every wrap the database keeps, and its recovery key.
 */
function restoredKeyring(db: Sqlite, key: Buffer, current: Keyring | null, sameKey: boolean): Keyring {
  const users = usersIn(db);
  const mirror = new Map(keyWrapsIn(db).map((w) => [w.username, JSON.parse(w.wrap) as Wrap]));
  const check = keyCheck(key);
  // Only wraps of this very key carry over: after a rotation the current ones wrap another key.
  const same = sameKey && current?.keyCheck === check ? current : null;
  const wraps: Record<string, Wrap> = {};
  for (const u of users) {
    if (u.disabled) continue;
    const now = same?.users[u.username];
    const then = mirror.get(u.username);
    if (now) wraps[u.username] = now;
    else if (then) wraps[u.username] = then;
  }
  // The recovery key in force now, if it wraps this key (one replaced after the backup must not come back); else the backup's.
  const row = settingText(db, RECOVERY_SETTING);
  const recovery = same?.recovery ?? (row !== undefined ? (JSON.parse(row) as RecoveryWrap) : null);
  return {
    format: 'loankeeper-keyring',
    version: 1,
    keyCheck: check,
    setupConfirmed: true,
    institution: setting(db, 'institution') ?? '',
    branch: setting(db, 'branch') ?? '',
    users: wraps,
    disabled: users.filter((u) => u.disabled).map((u) => u.username),
    attempts: {},
    recovery,
    auditHead: null,
  };
}

// ---------- the restore ----------

interface Safety {
  kind: 'backup' | 'as-found';
  path: string;
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The store's files exactly as they are, for when no verified backup of it can be made (it is damaged). */
function copyAsFound(ctx: AppContext, dir: string, stamp: string): string {
  const target = join(dir, 'backups', `before-restore-${stamp}-as-found`);
  try {
    mkdirSync(target, { recursive: true });
    const db = dbPath(dir);
    for (const f of [db, `${db}-wal`, join(dir, 'keyring.json'), recoveryFilePath(dir)]) {
      if (!existsSync(f)) continue;
      const to = join(target, f.slice(dir.length + 1));
      copyFileSync(f, to);
      fsyncFile(to);
    }
  } catch (e) {
    throw fail(ctx, (e as NodeJS.ErrnoException).code === 'ENOSPC' ? 'backups.errors.safetyDiskFull' : 'backups.errors.safetyFailed', { dir: target });
  }
  return target;
}

/** Keeps the current state before anything is replaced; refuses the restore when it cannot be kept. */
async function keepCurrentState(ctx: AppContext, auth: Authorised, stamp: string): Promise<Safety> {
  if (auth.signedIn && ctx.store) {
    try {
      const made = await backupBeforeRestore(ctx);
      if (made.status === 'verified') return { kind: 'backup', path: made.file };
    } catch {
      // A damaged store cannot be backed up; its files are kept as they are instead.
    }
  }
  return { kind: 'as-found', path: copyAsFound(ctx, auth.dir, stamp) };
}

export interface RestoreOutcome {
  safetyCopy: string;
  foreign: boolean;
  documents: number;
}

/** The whole restore; the job below runs it in the background, the command line directly. */
export async function runRestore(ctx: AppContext, input: RestoreInput, auth: Authorised, report: Report = () => {}): Promise<RestoreOutcome> {
  const file = resolve(input.file);
  const dir = auth.dir;
  const id = randomBytes(6).toString('hex');
  const work = join(dir, `.restore-${id}`);
  const next = join(dir, `.loankeeper.db.restore-${id}.tmp`);
  const files = filesDir(dir);
  const written: string[] = [];
  let replaced = false;

  // 1. The backup opens with a key we hold and passes every check.
  report('verify', 0, 0);
  const opened = openWithKeys(ctx, file, auth.ourKey, input.recoveryKey);
  let stage: Sqlite | null = null;
  try {
    const facts = readFacts(opened.db);
    const problem = await checkBackup(opened.db, opened.key, facts, (d, t) => report('verify', d, t));
    if (problem) throw fail(ctx, 'backups.errors.backupBad', { reason: ctx.t(problem.key, problem.params) }, undefined, 'VALIDATION');
    if (!auth.signedIn) {
      // Signed out, the store could not be opened: only a backup of this installation, by one of its administrators.
      if (opened.foreign) throw fail(ctx, 'backups.errors.foreignNeedsSignIn', {}, undefined, 'FORBIDDEN');
      if (!isAdminIn(opened.db, input.username)) throw fail(ctx, 'backups.errors.notAdminInBackup', { user: input.username }, undefined, 'FORBIDDEN');
      const current = currentUsersReadable(dbPath(dir), auth.ourKey);
      if (current && !isAdminIn(current, input.username)) {
        current.close();
        throw fail(ctx, 'backups.errors.notAdminNow', { user: input.username }, undefined, 'FORBIDDEN');
      }
      current?.close();
    }

    // 2. The current state is kept.
    report('safety', 0, 0);
    const stamp = stampOf(ctx.clock.now());
    const safety = await keepCurrentState(ctx, auth, stamp);
    const carried = backupHistory(ctx);

    // 3. A working copy of the backup beside the store, brought to this version's schema.
    report('copy', 0, 0);
    mkdirSync(work, { recursive: true });
    const staged = join(work, 'stage.db');
    try {
      vacuumInto(opened.db, staged);
    } catch (e) {
      throw fail(ctx, (e as { code?: string }).code === 'SQLITE_FULL' ? 'backups.errors.restoreDiskFull' : 'backups.errors.restoreCopyFailed', { dir });
    }
    opened.db.close();
    stage = openCopyForEdit(staged, opened.key);
    // The chain's MAC function, for the entries this copy gets: an old backup's seal after migration, the restore.
    const mac = auditKey(opened.key);
    registerAuditMac(stage, mac, () => {});
    await migrate(kyselyOf(stage), stage, work, ctx.nowIso());
    sealLegacyChain(stage, ctx.nowIso());

    // 4. Documents back out into the file store, encrypted as the app stores them; the keyring; the record.
    const inline = readFacts(stage).docs.filter((d) => d.ref === null);
    const key = fileKey(opened.key);
    try {
      const edits = restoreEdits(stage);
      edits.begin();
      let done = 0;
      for (const d of inline) {
        const bytes = inlineBytes(stage, d);
        if (bytes.length > 0) {
          let ref: string;
          try {
            ref = writeEncryptedFile(files, key, bytes);
          } catch (e) {
            throw fail(ctx, (e as NodeJS.ErrnoException).code === 'ENOSPC' ? 'backups.errors.restoreDiskFull' : 'backups.errors.restoreWriteFailed', { dir: files });
          }
          written.push(ref);
          if (d.table === 'documents') edits.documentToFile(d.rowKey[0] as number, ref, crc32(bytes));
          else edits.importedToFile(d.rowKey[0] as number, d.rowKey[1] as string, ref);
        }
        report('documents', ++done, inline.length);
        await yieldToLoop();
      }
      const current = readKeyring(dir);
      const keyring = restoredKeyring(stage, opened.key, current.kind === 'ok' ? current.keyring : null, !opened.foreign);
      edits.replaceWraps(keyring.users);
      if (carried) {
        // The list of backups is about files on this PC, not the data: it stays as it was, with the one just made.
        edits.replaceBackups(carried);
      }
      // The copy's own audit head was a stamp of the copy, not data of the store.
      edits.deleteSetting(BACKUP_HEAD_KEY);
      if (keyring.recovery) {
        const value = JSON.stringify(keyring.recovery);
        edits.putSetting(RECOVERY_SETTING, value);
      }
      edits.appendAudit(ctx.nowIso(), {
        actor: input.username,
        action: 'maintenance.restore',
        entity: 'store',
        entityId: dbPath(dir),
        detail: { from: file, safetyCopy: safety.path, otherInstallation: opened.foreign, documents: written.length },
      });
      edits.commit();
      // The head kept outside is the restored chain's: the entries after the backup are gone on purpose, and the
      // restore entry above says so.
      const head = readHead(stage);
      keyring.auditHead = head ? signHead(mac, head) : null;

      // 5. The new database, compacted, beside the old one; read back before it replaces anything.
      report('replace', 0, 0);
      try {
        vacuumInto(stage, next);
        fsyncFile(next);
      } catch (e) {
        throw fail(ctx, (e as { code?: string }).code === 'SQLITE_FULL' ? 'backups.errors.restoreDiskFull' : 'backups.errors.restoreCopyFailed', { dir });
      }
      stage.close();
      stage = null;
      const check = openBackup(next, opened.key);
      try {
        const ok = integrityCheck(check) === 'ok';
        if (!ok) throw fail(ctx, 'backups.errors.restoreCopyFailed', { dir });
        for (const d of readFacts(check).docs) {
          const got = d.ref ? storedFileHash(files, key, d.ref) : sha256(inlineBytes(check, d));
          if (got !== d.sha256) throw fail(ctx, 'backups.errors.restoreWriteFailed', { dir: files });
        }
      } finally {
        check.close();
      }

      // 6. The swap: sign out, close, rename the new database over the old one, then its keyring.
      if (auth.signedIn) logout(ctx);
      const lock = acquireDataLock(dir, () => ctx.clock.now());
      if ('heldBy' in lock) throw fail(ctx, 'backups.errors.folderInUse', { dir, host: lock.heldBy.host }, undefined, 'CONFLICT');
      try {
        const db = dbPath(dir);
        try {
          for (const f of [`${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
          renameSync(next, db);
        } catch {
          // E.g. another program (a virus scanner) holds the file: the old database is still in place.
          throw fail(ctx, 'backups.errors.replaceFailed', { file: db });
        }
        replaced = true;
        fsyncDir(dir);
        writeKeyring(dir, keyring);
        writeRecoveryFile(recoveryFilePath(dir), keyring.keyCheck, keyring.recovery);
      } finally {
        lock.release();
      }
      report('done', 0, 0);

      // 7. The old store's document files: in the verified backup already, or kept with the copy as found.
      const keep = new Set(written);
      for (const f of listStoredFiles(files)) {
        if (keep.has(f)) continue;
        try {
          if (safety.kind === 'backup') rmSync(join(files, f));
          else {
            mkdirSync(join(safety.path, 'files'), { recursive: true });
            renameSync(join(files, f), join(safety.path, 'files', f));
          }
        } catch {
          // Left in place: `check` counts it as an unreferenced file.
        }
      }
      return { safetyCopy: safety.path, foreign: opened.foreign, documents: written.length };
    } finally {
      key.fill(0);
    }
  } catch (e) {
    if (!replaced) {
      for (const ref of written) rmSync(join(files, ref), { force: true });
      rmSync(next, { force: true });
    }
    throw e;
  } finally {
    if (opened.db.open) opened.db.close();
    if (stage?.open) stage.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The open store's list of backups (the one just made before the restore included); null when it cannot be read. */
function backupHistory(ctx: AppContext): Record<string, unknown>[] | null {
  try {
    return ctx.store?.kind === 'local' ? backupRows(ctx.store) : null;
  } catch {
    return null;
  }
}

/** The current store read-only, to see who is an administrator there; null when it cannot be read (damaged). */
function currentUsersReadable(file: string, key: Buffer): Sqlite | null {
  let db: Sqlite | null = null;
  try {
    db = openBackup(file, key);
    probeUsers(db);
    return db;
  } catch {
    db?.close();
    return null;
  }
}

// ---------- the job ----------

const jobs = new Map<string, RestoreJobView>();
const running = new WeakMap<AppContext, string>();

/** While a restore runs, every other channel waits its turn (register.ts refuses them). */
export function restoreRunning(ctx: AppContext): boolean {
  return running.has(ctx);
}

function jobView(j: RestoreJobView): RestoreJobView {
  return { ...j };
}

/** Starts a restore in the background; the renderer polls its progress. Refusals end the job with their reason. */
export async function startRestore(ctx: AppContext, input: RestoreInput): Promise<RestoreJobView> {
  if (running.has(ctx)) throw fail(ctx, 'backups.errors.restoreRunning', {}, undefined, 'CONFLICT');
  if (ctx.store?.kind === 'branch') return startBranchRestore(ctx, ctx.store, input);
  const auth = authorise(ctx, input);
  const id = randomBytes(8).toString('hex');
  const job: RestoreJobView = { id, state: 'running', phase: 'verify', done: 0, total: 0, error: null, needsRecoveryKey: false, safetyCopy: null, foreign: false };
  jobs.set(id, job);
  running.set(ctx, id);
  void exclusive(ctx, async () => {
    await yieldToLoop();
    return runRestore(ctx, input, auth, (phase, done, total) => Object.assign(job, { phase, done, total }));
  })
    .then(
      (r) => Object.assign(job, { state: 'done', phase: 'done', safetyCopy: r.safetyCopy, foreign: r.foreign }),
      (e: unknown) => {
        if (!(e instanceof AppError)) console.error('restore failed', e);
        Object.assign(job, { state: 'failed', error: e instanceof AppError ? e.message : ctx.t('errors.internal'), needsRecoveryKey: e instanceof NeedsRecoveryKey });
      },
    )
    .finally(() => {
      auth.ourKey.fill(0);
      running.delete(ctx);
    });
  return jobView(job);
}

/** The branch server's restore (branchRestore.ts), as the same background job. */
async function startBranchRestore(ctx: AppContext, store: BranchStore, input: RestoreInput): Promise<RestoreJobView> {
  await authoriseBranch(ctx, store, input);
  if (running.has(ctx)) throw fail(ctx, 'backups.errors.restoreRunning', {}, undefined, 'CONFLICT');
  const id = randomBytes(8).toString('hex');
  const job: RestoreJobView = { id, state: 'running', phase: 'verify', done: 0, total: 0, error: null, needsRecoveryKey: false, safetyCopy: null, foreign: false };
  jobs.set(id, job);
  running.set(ctx, id);
  void exclusive(ctx, async () => {
    await yieldToLoop();
    return runBranchRestore(ctx, store, input, (phase, done, total) => Object.assign(job, { phase, done, total }));
  })
    .then(
      (r) => Object.assign(job, { state: 'done', phase: 'done', safetyCopy: r.safetyCopy, foreign: r.foreign }),
      (e: unknown) => {
        if (!(e instanceof AppError)) console.error('restore failed', e);
        Object.assign(job, { state: 'failed', error: e instanceof AppError ? e.message : ctx.t('errors.internal') });
      },
    )
    .finally(() => running.delete(ctx));
  return jobView(job);
}

/** Resolves when the restore job has ended (done or failed). */
export async function restoreSettled(ctx: AppContext): Promise<void> {
  while (running.has(ctx)) await new Promise((r) => setTimeout(r, 50));
}

export function restoreStatus(ctx: AppContext, input: { jobId: string }): RestoreJobView {
  const j = jobs.get(input.jobId);
  if (!j) throw new AppError('NOT_FOUND', ctx.t('backups.errors.noSuchJob'));
  return jobView(j);
}
