import BetterSqlite from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema';

export type Sqlite = BetterSqlite.Database;

export class DatabaseOpenError extends Error {
  constructor(
    readonly kind: 'not-a-database' | 'missing' | 'io',
    readonly file: string,
    cause?: unknown,
  ) {
    super(`${kind}: ${file}`, { cause });
  }
}

/** Applies the SQLCipher v4 key before any other statement, then the session pragmas. */
export function applyKey(db: Sqlite, key: Buffer | null): void {
  if (key) {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
  }
}

/** Opens (or with `create`, creates) an encrypted database file. A wrong key fails here, on the first read. */
export function openSqlite(file: string, key: Buffer | null, opts: { create: boolean }): Sqlite {
  if (!opts.create && !existsSync(file)) throw new DatabaseOpenError('missing', file);
  let db: Sqlite;
  try {
    db = new BetterSqlite(file, { fileMustExist: !opts.create });
  } catch (e) {
    throw new DatabaseOpenError('io', file, e);
  }
  try {
    applyKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.pragma('journal_mode=WAL');
    db.pragma('foreign_keys=ON');
    db.pragma('synchronous=FULL');
    db.pragma('temp_store=MEMORY');
    db.pragma('busy_timeout=5000');
    return db;
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw new DatabaseOpenError('not-a-database', file, e);
    throw new DatabaseOpenError('io', file, e);
  }
}

export function kyselyOf(db: Sqlite): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
}

