import { CompiledQuery, PostgresDriver, sql, type DatabaseConnection, type Driver, type Kysely, type PostgresDialectConfig, type TransactionSettings } from 'kysely';
import type { Database } from '../schema';
import { LoanKeeperPostgresDialect } from '../dialectSql';

/**
 * How the branch server keeps check-then-write rules true with several PCs writing at once: every write
 * transaction takes one transaction-scoped advisory lock as its first statement, so writers run one after
 * another, as SQLite's BEGIN IMMEDIATE makes them do on one PC. Each statement then reads what the writers
 * before it committed (READ COMMITTED), so "only one pending proposal", "the next notice serial" and "the
 * audit head" are read and written with nobody in between; the partial unique indexes back the rules that
 * matter most even without it. Readers never wait: a read-only transaction (`setAccessMode('read only')`)
 * takes no lock and sees one snapshot (REPEATABLE READ). A branch's write rate (a few per second at most)
 * is far below what one lock can pass.
 */
export const WRITER_LOCK = 0x4c4b5752; // 'LKWR'
/** The daily batch's own lock: one PC runs the day's batch, the others wait for it and find it done. */
export const BATCH_LOCK = 0x4c4b4254; // 'LKBT'

/**
 * Runs `fn` while holding a session-level advisory lock on a connection of its own, which waits for another PC
 * that holds it. A PC that goes away (killed, unplugged) releases it with its session.
 */
export async function holdingServerLock<T>(db: Kysely<Database>, key: number, fn: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${key})`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`SELECT pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}

/** Told after each commit (the branch store's witness of the audit head follows). */
export interface CommitHooks {
  afterCommit(): void;
  /**
   * Run in every write transaction right after it takes the writer lock, before anything else: the branch store
   * refuses to write there with a data key the branch no longer uses (kernel/branchStore.ts). Throws to refuse.
   */
  afterLock?(connection: DatabaseConnection): Promise<void>;
  /** Told of each server session this pool opens and closes (its backend's process id). */
  sessionOpened?(pid: number): void;
  sessionClosed?(pid: number): void;
}

class BranchDriver extends PostgresDriver {
  constructor(
    config: PostgresDialectConfig,
    private readonly hooks: CommitHooks | undefined,
  ) {
    super(config);
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    this.hooks?.afterCommit();
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.accessMode === 'read only') {
      await connection.executeQuery(CompiledQuery.raw('start transaction isolation level repeatable read read only'));
      return;
    }
    await super.beginTransaction(connection, settings);
    await connection.executeQuery(CompiledQuery.raw('select pg_advisory_xact_lock($1)', [WRITER_LOCK]));
    if (!this.hooks?.afterLock) return;
    try {
      await this.hooks.afterLock(connection);
    } catch (e) {
      // Kysely rolls back only a transaction whose begin returned: this one must not go back to the pool open.
      await connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
      throw e;
    }
  }
}

/** With db/dialectSql.ts's compiler, so that the neutral functions of db/dialect.ts come out in PostgreSQL's SQL. */
export class BranchDialect extends LoanKeeperPostgresDialect {
  constructor(
    private readonly settings: PostgresDialectConfig,
    private readonly hooks?: CommitHooks,
  ) {
    super(settings);
  }

  override createDriver(): Driver {
    return new BranchDriver(this.settings, this.hooks);
  }
}
