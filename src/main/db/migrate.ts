import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { MIGRATIONS } from './migrations';
import type { Sqlite } from './open';

type MigrationMap = Record<string, Migration>;

export function pendingMigrations(applied: string[], migrations: MigrationMap = MIGRATIONS): string[] {
  return Object.keys(migrations)
    .sort()
    .filter((n) => !applied.includes(n));
}

export async function appliedMigrations(db: Kysely<any>, migrations: MigrationMap = MIGRATIONS): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt).map((m) => m.name);
}

/** Brings the schema up to date; an existing database is copied (VACUUM INTO, same key) first. */
export async function migrate(
  db: Kysely<any>,
  sqlite: Sqlite,
  dir: string,
  stamp: string,
  migrations: MigrationMap = MIGRATIONS,
): Promise<{ applied: string[]; backup: string | null }> {
  const pending = pendingMigrations(await appliedMigrations(db, migrations), migrations);
  if (pending.length === 0) return { applied: [], backup: null };
  const hasData = (sqlite.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type='table' AND name NOT LIKE 'kysely_%'`).get() as { n: number }).n > 0;
  let backup: string | null = null;
  if (hasData) {
    const backups = join(dir, 'backups');
    mkdirSync(backups, { recursive: true });
    backup = join(backups, `before-${pending[0]}-${stamp.replace(/[:.]/g, '-')}.db`);
    sqlite.prepare('VACUUM INTO ?').run(backup);
  }
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName), backup };
}
