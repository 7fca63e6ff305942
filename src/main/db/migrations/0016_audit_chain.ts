import { sql, type Kysely } from 'kysely';

const GENESIS = '0'.repeat(64);

// Frozen. The audit log becomes append-only and cannot fork. Entries already there keep their SHA-256 hashes
// ("legacy"); audit_scheme records how many there were, and the first entry after them (written when the
// store opens, with the key) seals them under the HMAC key. The unique index covers new entries only, so an
// old chain that two writers forked still migrates.
export async function up(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ n: number; last: number }>`SELECT count(*) AS n, coalesce(max(id), 0) AS last FROM audit_log`.execute(db);
  const { n, last } = rows[0];
  await sql`CREATE TABLE audit_scheme (legacy_count INTEGER NOT NULL, legacy_last_id INTEGER NOT NULL)`.execute(db);
  await sql`INSERT INTO audit_scheme (legacy_count, legacy_last_id) VALUES (${n}, ${last})`.execute(db);
  await sql.raw(`CREATE UNIQUE INDEX audit_log_prev_hash ON audit_log(prev_hash) WHERE id > ${Number(last)}`).execute(db);
  await sql
    .raw(
      `CREATE TRIGGER audit_log_append_at_head BEFORE INSERT ON audit_log
       WHEN NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '${GENESIS}')
       BEGIN SELECT RAISE(ABORT, 'audit_log: an entry must follow the current head'); END`,
    )
    .execute(db);
  for (const table of ['audit_log', 'audit_scheme']) {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`).execute(db);
    }
  }
  await sql.raw(`CREATE TRIGGER audit_scheme_once BEFORE INSERT ON audit_scheme BEGIN SELECT RAISE(ABORT, 'audit_scheme is written once'); END`).execute(db);
}
