import { sql, type Kysely } from 'kysely';
import { DEFAULT_MIGRATION_TABLE, Migrator, type Migration } from 'kysely/migration';
import { PG_MIGRATIONS } from './migrations';

/**
 * Brings a branch database up to date. Each migration runs in its own transaction (PostgreSQL's DDL is
 * transactional), and Kysely's migration lock keeps two PCs starting at once from migrating twice. There is no
 * copy beforehand as for SQLite: the server's own backups (pg_dump, base backups) are the administrator's.
 *
 * Every sign-in opens the store, and a database that is already up to date is by far the usual case: one query
 * says so, instead of the migrator's lock, tables and transaction (a few round trips over the LAN each time).
 */
export async function migratePostgres(db: Kysely<any>, migrations: Record<string, Migration> = PG_MIGRATIONS): Promise<string[]> {
  if (await upToDate(db, migrations)) return [];
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Whether the database has run exactly these migrations; anything else (none yet, fewer, others) goes to the migrator. */
async function upToDate(db: Kysely<any>, migrations: Record<string, Migration>): Promise<boolean> {
  const table = await sql<{ t: string | null }>`SELECT to_regclass(${DEFAULT_MIGRATION_TABLE})::text AS t`.execute(db);
  if (!table.rows[0].t) return false;
  const done = (await sql<{ name: string }>`SELECT name FROM ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db)).rows.map((r) => r.name).sort();
  const known = Object.keys(migrations).sort();
  return done.length === known.length && done.every((name, i) => name === known[i]);
}
