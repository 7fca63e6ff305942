import BetterSqlite from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type QueryCompiler, type SqliteDialectConfig } from 'kysely';
import { LoanKeeperSqliteCompiler } from './dialectSql';
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

/** Told when a transaction ends, so that what follows a commit (the audit head outside the database) runs after it. */
export interface TransactionHooks {
  afterCommit(): void;
  afterRollback(): void;
}

/**
 * How many writers of main's connection are waiting for the write lock (in BEGIN IMMEDIATE) now: one counter in
 * shared memory that the batch's thread reads between its write transactions, so that it gives way to them.
 */
export type WriteWaiters = Int32Array;

export function newWriteWaiters(): WriteWaiters {
  return new Int32Array(new SharedArrayBuffer(4));
}

/**
 * SQLite's plain BEGIN is deferred: two writers that both read first can both go on to write. BEGIN IMMEDIATE
 * takes the write lock at the start, so a second writer (another process, another connection) waits for it
 * (busy_timeout) and then reads what the first one committed. Every write transaction is serialised.
 */
class ImmediateDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly hooks: TransactionHooks | undefined,
    private readonly waiters: WriteWaiters | undefined,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // The driver is synchronous: while BEGIN waits for the lock (busy_timeout), this thread is blocked and counted.
    if (this.waiters) Atomics.add(this.waiters, 0, 1);
    try {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    } finally {
      if (this.waiters) Atomics.sub(this.waiters, 0, 1);
    }
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    this.hooks?.afterCommit();
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } finally {
      this.hooks?.afterRollback();
    }
  }
}

class ImmediateDialect extends SqliteDialect {
  constructor(
    private readonly settings: SqliteDialectConfig,
    private readonly hooks: TransactionHooks | undefined,
    private readonly waiters: WriteWaiters | undefined,
  ) {
    super(settings);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateDriver(this.settings, this.hooks, this.waiters);
  }

  /** The neutral functions of ./dialect.ts in SQLite's SQL. */
  override createQueryCompiler(): QueryCompiler {
    return new LoanKeeperSqliteCompiler();
  }
}

export function kyselyOf(db: Sqlite, hooks?: TransactionHooks, waiters?: WriteWaiters): Kysely<Database> {
  return new Kysely<Database>({ dialect: new ImmediateDialect({ database: db }, hooks, waiters) });
}


/** What holds a connection: the open store (kernel/store.ts) or a bare connection, such as a backup's copy. */
export type Connection = Sqlite | { readonly sqlite: Sqlite };

/** The driver behind a connection; only src/main/db reaches it. */
export function driverOf(c: Connection): Sqlite {
  return 'sqlite' in c ? c.sqlite : c;
}
