import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { AppError } from '../../shared/ipc/errors';
import { acquireDataLock, networkLocation } from '../db/dataFolder';
import { fileKey, filesDir } from '../db/fileStore';
import { migrate } from '../db/migrate';
import { DatabaseOpenError, kyselyOf, openSqlite, type Sqlite } from '../db/open';
import type { Database } from '../db/schema';
import type { AppContext } from './context';

export const DB_FILE = 'loankeeper.db';

export interface Store {
  dir: string;
  file: string;
  sqlite: Sqlite;
  db: Kysely<Database>;
  /** Kept while the store is open so that new users' wraps need no re-encryption. */
  dataKey: Buffer;
  /** Where document files live and the key that opens them (db/fileStore.ts). */
  files: { dir: string; key: Buffer };
  close(): void;
}

export function dbPath(dir: string): string {
  return join(dir, DB_FILE);
}

export function storeExists(dir: string | null): dir is string {
  return !!dir && existsSync(dbPath(dir));
}

/** Opens the encrypted store with the data key and brings its schema up to date. */
export async function openStore(ctx: AppContext, dir: string, dataKey: Buffer, create = false): Promise<Store> {
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
  const db = kyselyOf(sqlite);
  const key = Buffer.from(dataKey);
  const files = { dir: filesDir(dir), key: fileKey(dataKey) };
  try {
    await migrate(db, sqlite, dir, ctx.nowIso());
  } catch (e) {
    sqlite.close();
    lock.release();
    throw new AppError('IO', ctx.t('errors.migrationFailed', { file, detail: (e as Error).message }));
  }
  return {
    dir,
    file,
    sqlite,
    db,
    dataKey: key,
    files,
    close: () => {
      key.fill(0);
      files.key.fill(0);
      if (sqlite.open) sqlite.close();
      lock.release();
    },
  };
}

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

export function requireStore(ctx: AppContext): Store {
  if (!ctx.store) throw new AppError('LOCKED', ctx.t('errors.notLoggedIn'));
  return ctx.store;
}
