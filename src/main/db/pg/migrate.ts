import type { Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { PG_MIGRATIONS } from './migrations';

/**
 * Brings a branch database up to date. Each migration runs in its own transaction (PostgreSQL's DDL is
 * transactional), and Kysely's migration lock keeps two PCs starting at once from migrating twice. There is no
 * copy beforehand as for SQLite: the server's own backups (pg_dump, base backups) are the administrator's.
 */
export async function migratePostgres(db: Kysely<any>, migrations: Record<string, Migration> = PG_MIGRATIONS): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
