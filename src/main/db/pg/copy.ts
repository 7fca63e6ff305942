import { sql, type Kysely } from 'kysely';
import { driverOf, type Connection } from '../open';

/**
 * Copies a SQLite store's rows into a fresh branch database of the same schema (the bench loads its demo portfolio
 * this way; not a migration path for real data: the audit chain, which the server keys differently, is left out).
 * Each table in one write transaction, in batches of JSON rows (`json_populate_recordset`), with the server's
 * triggers and foreign keys off for that transaction only (`session_replication_role = replica`, which needs the
 * cluster's owner, as the bench's throwaway cluster has); the identity columns then continue after the ids copied,
 * and the tables are vacuumed and analysed.
 */
const SKIP = new Set(['audit_log', 'audit_scheme', 'kysely_migration', 'kysely_migration_lock']);
const BATCH = 5000;

export async function copyIntoPostgres(src: Connection, dst: Kysely<any>): Promise<Record<string, number>> {
  const sqlite = driverOf(src);
  const tables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((t) => t.name);
  const cols = (await sql<{ table_name: string; column_name: string; is_identity: string }>`
    SELECT table_name, column_name, is_identity FROM information_schema.columns WHERE table_schema = 'public'`.execute(dst)).rows;
  const byTable = new Map<string, { name: string; identity: boolean }[]>();
  for (const c of cols) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), { name: c.column_name, identity: c.is_identity === 'YES' }]);
  const copied: Record<string, number> = {};
  for (const table of tables) {
    const columns = byTable.get(table);
    if (!columns || SKIP.has(table)) continue;
    const have = new Set((sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name));
    const names = columns.map((c) => c.name).filter((n) => have.has(n));
    const list = sql.join(names.map((n) => sql.ref(n)));
    let n = 0;
    await dst.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
      const select = sqlite.prepare(`SELECT ${names.map((c) => `"${c}"`).join(', ')} FROM "${table}"`);
      let rows: Record<string, unknown>[] = [];
      const flush = async () => {
        if (rows.length === 0) return;
        const json = JSON.stringify(rows, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? `\\x${Buffer.from((v as { data: number[] }).data).toString('hex')}` : v));
        await sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${sql.table(table)}, ${json}::json)`.execute(trx);
        n += rows.length;
        rows = [];
      };
      for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
        rows.push(row);
        if (rows.length === BATCH) await flush();
      }
      await flush();
      for (const c of columns.filter((x) => x.identity)) {
        await sql`SELECT setval(pg_get_serial_sequence(${table}, ${c.name}), (SELECT coalesce(max(${sql.ref(c.name)}), 0) + 1 FROM ${sql.table(table)}), false)`.execute(trx);
      }
    });
    copied[table] = n;
  }
  // The planner's statistics and the visibility map now, not when autovacuum comes round to them (mid-batch).
  await sql`VACUUM (ANALYZE)`.execute(dst);
  return copied;
}
