import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { AppError } from '../../shared/ipc/errors';
import { auditKey, registerAuditMac } from '../db/auditChain';
import { closeConnection, inTransaction, lockExclusive, rekeyConnection, sealLegacyChain, unlockExclusive } from '../db/connection';
import { acquireDataLock, networkLocation } from '../db/dataFolder';
import { fileKey, filesDir } from '../db/fileStore';
import { migrate } from '../db/migrate';
import { DatabaseOpenError, kyselyOf, newWriteWaiters, openSqlite, type Sqlite, type WriteWaiters } from '../db/open';
import type { PostgresTarget } from '../db/pg/connect';
import type { Witness } from './branchWitness';
import type { Database } from '../db/schema';
import { syncAuditHead } from './auditHead';
import type { AppContext } from './context';

export const DB_FILE = 'loankeeper.db';

/** What every open store has: the services need only this. */
interface StoreCore {
  db: Kysely<Database>;
  /** Kept while the store is open so that new users' wraps need no re-encryption. */
  dataKey: Buffer;
  /** The audit chain's HMAC key (db/auditChain.ts), derived from the data key. */
  auditKey: Buffer;
  /** Main's writers waiting for the write lock now (db/open.ts): the batch's thread gives way to them. */
  writeWaiters?: WriteWaiters;
  /** Brings the audit head outside the database up to date; the Kysely driver calls it after each commit. */
  afterCommit(): void;
  close(): void;
}

/** The single-PC store: an encrypted SQLite file in a local data folder, documents as encrypted files beside it. */
export interface LocalStore extends StoreCore {
  kind: 'local';
  dir: string;
  file: string;
  sqlite: Sqlite;
  /** Where document files live and the key that opens them (db/fileStore.ts). */
  files: { dir: string; key: Buffer };
}

/**
 * A branch's PostgreSQL server (db/pg): several PCs on one database, the same services. The audit chain's key
 * never reaches the server (db/auditLog.ts), and every write transaction takes the writer lock (db/pg/writer.ts).
 */
export interface BranchStore extends StoreCore {
  kind: 'branch';
  /** The server and database, as shown to people (no password). */
  server: string;
  /** How to reach it, credentials included: kept in memory for the server's own tools (backups through pg_dump). */
  target: PostgresTarget;
  /** The key check of `dataKey` (db/keyring.ts): every write transaction compares it with the branch's keyring. */
  keyCheck: string;
  /**
   * The key rotation this PC runs or has taken over at sign-in (features/keys/branchRotation.ts): while its journal
   * is in its files phase, only this PC writes. In the confirm phase, the recovery key is still to be taken.
   */
  rotation: { id: string; phase: 'files' | 'confirm' } | null;
  /** The audit head as this PC last saw it, kept on this PC (kernel/branchWitness.ts); null when not kept. */
  witness: Witness | null;
  /** The witness's file (named by the chain key). */
  witnessFile: string | null;
  /** The server sessions (backend process ids) of this PC's own pool: other sessions are other PCs or tools. */
  ownSessions(): number[];
  /** Resolves when the witness has caught up with the commits so far. */
  settled(): Promise<void>;
  /** Whether the branch's data key is no longer the one this PC holds (rotated since it signed in). */
  keyRetired(): Promise<boolean>;
}

export type Store = LocalStore | BranchStore;

export function dbPath(dir: string): string {
  return join(dir, DB_FILE);
}

export function storeExists(dir: string | null): dir is string {
  return !!dir && existsSync(dbPath(dir));
}

/** Opens the encrypted store with the data key and brings its schema up to date. */
export async function openStore(ctx: AppContext, dir: string, dataKey: Buffer, create = false): Promise<LocalStore> {
  const file = dbPath(dir);
  assertLocalFolder(ctx, dir);
  const lock = acquireDataLock(dir, () => ctx.clock.now());
  if ('heldBy' in lock) {
    throw new AppError('CONFLICT', ctx.t('errors.dataDirInUse', { dir, host: lock.heldBy.host, since: new Date(lock.heldBy.since).toLocaleString(ctx.config.locale) }));
  }
  let sqlite: Sqlite;
  try {
    sqlite = openSqlite(file, dataKey, { create });
  } catch (e) {
    lock.release();
    throw storeError(ctx, e);
  }
  const key = Buffer.from(dataKey);
  const files = { dir: filesDir(dir), key: fileKey(dataKey) };
  const macKey = auditKey(dataKey);
  // Set by the MAC function when an entry is appended; the head outside is synced only after such a commit.
  let appended = false;
  registerAuditMac(sqlite, macKey, () => (appended = true));
  const hooks = { afterCommit: () => {}, afterRollback: () => void (appended = false) };
  const writeWaiters = newWriteWaiters();
  const db = kyselyOf(sqlite, hooks, writeWaiters);
  const store: LocalStore = {
    kind: 'local',
    dir,
    file,
    sqlite,
    db,
    writeWaiters,
    dataKey: key,
    files,
    auditKey: macKey,
    afterCommit: () => {
      // Still inside an outer transaction (a nested one is a savepoint): wait for the real commit.
      if (!appended || inTransaction(sqlite)) return;
      appended = false;
      syncAuditHead(store);
    },
    close: () => {
      key.fill(0);
      files.key.fill(0);
      macKey.fill(0);
      closeConnection(sqlite);
      lock.release();
    },
  };
  hooks.afterCommit = store.afterCommit;
  try {
    await migrate(db, sqlite, dir, ctx.nowIso());
    sealLegacyChain(sqlite, ctx.nowIso());
    store.afterCommit();
  } catch (e) {
    store.close();
    throw new AppError('IO', ctx.t('errors.migrationFailed', { file, detail: (e as Error).message }));
  }
  // A crash after a commit may have left the head outside behind: catch it up along the chain.
  syncAuditHead(store);
  return store;
}

/**
 * Re-encrypts the database under `newKey` (SQLite3 Multiple Ciphers' `PRAGMA rekey`, one transaction through the
 * WAL: a crash leaves it wholly under one key or the other) and moves the store's keys on with it: the files'
 * key and the audit chain's key change in place, so the MAC function registered on this connection follows.
 */
export function rekeyStore(store: LocalStore, newKey: Buffer): void {
  if (newKey.length !== 32) throw new Error('a data key is 32 bytes');
  rekeyConnection(store, newKey);
  store.dataKey.set(newKey);
  store.files.key.set(fileKey(newKey));
  store.auditKey.set(auditKey(newKey));
}

/**
 * Takes the database for this connection alone (SQLite's exclusive locking mode, held until released): fails with
 * "database is locked" while another window or command has it open, and keeps others out until released.
 */
export function holdExclusive(store: LocalStore): void {
  lockExclusive(store);
}

export function releaseExclusive(store: LocalStore): void {
  unlockExclusive(store);
}

export { sealLegacyChain };
// What a service needs of an open store, in a module of their own that the batch's worker loads without the rest
// of this one (migrations, the folder lock, the keyring).
export { localOnly, requireLocalStore, requireStore } from './storeAccess';

/** A data folder on a network share is refused: SQLite's WAL does not work over network file systems. */
export function assertLocalFolder(ctx: AppContext, dir: string): void {
  const share = networkLocation(dir);
  if (share) {
    const message = ctx.t('errors.networkDataDir', { dir: share });
    throw new AppError('VALIDATION', message, [{ path: 'dataDir', message }]);
  }
}

export function storeError(ctx: AppContext, e: unknown): AppError {
  if (e instanceof DatabaseOpenError) {
    if (e.kind === 'not-a-database') return new AppError('IO', ctx.t('errors.notOurDatabase', { file: e.file }));
    if (e.kind === 'missing') return new AppError('NOT_FOUND', ctx.t('errors.databaseMissing', { file: e.file }));
    return new AppError('IO', ctx.t('errors.databaseIo', { file: e.file }));
  }
  return e instanceof AppError ? e : new AppError('INTERNAL', ctx.t('errors.internal'));
}
