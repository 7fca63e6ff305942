import { once } from 'node:events';
import { sql, type Kysely } from 'kysely';
import { walkChainOf, readHeadOf, AuditKeyPlugin } from '../auditLog';
import type { ChainProblem, Head } from '../auditChain';
import type { Database } from '../schema';
import { openPostgres, poolConfig, type PostgresTarget } from './connect';
import { runTool, toolEnv, type PgTools } from './tools';

/**
 * The branch server's side of a backup: the facts of a database read in one snapshot (row counts, the documents'
 * digests, the audit head), pg_dump of that same snapshot, pg_restore into a scratch database, and the swap of a
 * restored database for the live one. What is done with the bytes (sealing them on the desktop) is dumpFile.ts's.
 */

export interface BranchFacts {
  serverVersion: string;
  serverMajor: number;
  database: string;
  tables: Record<string, number>;
  documents: { key: string; name: string; sha256: string }[];
  head: Head | null;
  latestEntryAt: string | null;
  institution: string | null;
  branch: string | null;
}

/** A tool ran and failed, or the server refused a step; `kind` says which, `detail` what the server or tool said. */
export class PgBackupError extends Error {
  constructor(
    readonly kind: 'pg_dump' | 'pg_restore' | 'no-createdb' | 'in-use' | 'swap',
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

function settingText(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    const v = JSON.parse(value) as unknown;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** The facts of the database `db` is on; call it inside one read-only transaction so they are of one moment. */
export async function readBranchFacts(db: Kysely<Database>): Promise<BranchFacts> {
  const v = await sql<{ version: string; num: string; db: string }>`SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num, current_database() AS db`.execute(db);
  const names = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`.execute(db);
  const tables: Record<string, number> = {};
  for (const { name } of names.rows) {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(db);
    tables[name] = Number(r.rows[0].n);
  }
  const docs = await sql<{ id: number; name: string; sha: string }>`SELECT id, file_name AS name, encode(sha256(content), 'hex') AS sha FROM documents ORDER BY id`.execute(db);
  const imported = await sql<{ archive_id: number; path: string; sha: string }>`SELECT archive_id, path, encode(sha256(content), 'hex') AS sha FROM imported_files ORDER BY archive_id, path`.execute(db);
  const latest = await db.selectFrom('audit_log').select('at').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const settings = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['institution', 'branch']).execute();
  const setting = (k: string) => settingText(settings.find((s) => s.key === k)?.value);
  return {
    serverVersion: v.rows[0].version,
    serverMajor: Math.floor(Number(v.rows[0].num) / 10000),
    database: v.rows[0].db,
    tables,
    documents: [...docs.rows.map((d) => ({ key: `d:${d.id}`, name: d.name, sha256: d.sha })), ...imported.rows.map((d) => ({ key: `i:${d.archive_id}/${d.path}`, name: d.path, sha256: d.sha }))],
    head: await readHeadOf(db),
    latestEntryAt: latest?.at ?? null,
    institution: setting('institution'),
    branch: setting('branch'),
  };
}

/** The server's major version, to choose a pg_dump at least as new. */
export async function serverMajor(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ num: string }>`SELECT current_setting('server_version_num') AS num`.execute(db);
  return Math.floor(Number(r.rows[0].num) / 10000);
}

/**
 * pg_dump (custom format) of the database `db` is on, in the snapshot the facts are read in: `begin` gets the facts
 * and returns where the archive's bytes go as they come (nothing is buffered on disk). A sink that throws stops
 * the dump.
 */
export async function dumpBranch(db: Kysely<Database>, target: PostgresTarget, tools: PgTools, begin: (facts: BranchFacts) => (chunk: Buffer) => void): Promise<BranchFacts> {
  return db
    .transaction()
    .setAccessMode('read only')
    .execute(async (trx) => {
      const snap = await sql<{ id: string }>`SELECT pg_export_snapshot() AS id`.execute(trx);
      const facts = await readBranchFacts(trx);
      const sink = begin(facts);
      const { env, release } = toolEnv(target);
      const run = runTool(tools.pgDump, ['--format=custom', '--no-password', `--snapshot=${snap.rows[0].id}`], env);
      try {
        run.stdin.end();
        for await (const chunk of run.stdout) sink(chunk as Buffer);
        const { code, stderr } = await run.done;
        if (code !== 0) throw new PgBackupError('pg_dump', stderr || `exit code ${code}`);
        return facts;
      } catch (e) {
        run.kill();
        throw e;
      } finally {
        release();
      }
    });
}

/** Feeds the archive to pg_restore into `database` (an empty one), in one transaction; stops at the first error. */
export async function restoreInto(target: PostgresTarget, tools: PgTools, database: string, archive: AsyncIterable<Buffer>): Promise<void> {
  const { env, release } = toolEnv(target, database);
  const run = runTool(tools.pgRestore, ['--no-password', '--exit-on-error', '--single-transaction', '--no-owner', `--dbname=${database}`], env);
  let ended = false;
  void run.done.then(() => (ended = true));
  try {
    void (async () => {
      for await (const _ of run.stdout) void _;
    })();
    for await (const chunk of archive) {
      if (ended) break;
      if (!run.stdin.write(chunk)) await Promise.race([once(run.stdin, 'drain'), run.done]);
    }
    run.stdin.end();
    const { code, stderr } = await run.done;
    if (code !== 0) throw new PgBackupError('pg_restore', stderr || `exit code ${code}`);
  } catch (e) {
    run.kill();
    throw e;
  } finally {
    release();
  }
}

/** The target with another database named (same server, same credentials). */
export function onDatabase(target: PostgresTarget, database: string, extra: Partial<PostgresTarget> = {}): PostgresTarget {
  const url = new URL(target.url);
  url.pathname = `/${encodeURIComponent(database)}`;
  return { ...target, ...extra, url: url.toString() };
}

export function databaseOf(target: PostgresTarget): string {
  return String(poolConfig(target).database);
}

/** An empty database beside the branch's, with its encoding and collation. Refused without CREATEDB: PgBackupError('no-createdb'). */
export async function createScratch(db: Kysely<Database>, name: string): Promise<void> {
  const src = await sql<{ collate: string; ctype: string }>`SELECT datcollate AS collate, datctype AS ctype FROM pg_database WHERE datname = current_database()`.execute(db);
  const { collate, ctype } = src.rows[0];
  try {
    await sql`CREATE DATABASE ${sql.id(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE ${sql.lit(collate)} LC_CTYPE ${sql.lit(ctype)}`.execute(db);
  } catch (e) {
    if ((e as { code?: string }).code === '42501') throw new PgBackupError('no-createdb', (e as Error).message);
    throw e;
  }
}

/** Drops a scratch database (its connections, ours only, are ended first). */
export async function dropDatabase(db: Kysely<Database>, name: string): Promise<void> {
  await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(db);
}

/** A Kysely on another database of the same server, carrying the chain key (one connection). */
export function openDatabase(target: PostgresTarget, database: string, chainKey: Buffer): { db: Kysely<Database>; close: () => Promise<void> } {
  const base = openPostgres(onDatabase(target, database, { max: 1 }));
  return { db: base.withPlugin(new AuditKeyPlugin(chainKey)), close: () => base.destroy() };
}

export interface ScratchCheck {
  facts: BranchFacts;
  chain: { problem: ChainProblem | null; brokenAt: number | null; head: Head | null };
}

/** The facts and the chain walk of a restored database. */
export async function checkDatabase(db: Kysely<Database>, chainKey: Buffer): Promise<ScratchCheck> {
  const facts = await db
    .transaction()
    .setAccessMode('read only')
    .execute((trx) => readBranchFacts(trx));
  const walk = await walkChainOf(db, chainKey);
  return { facts, chain: { problem: walk.problem, brokenAt: walk.brokenAt, head: walk.head } };
}

/** Other connections to these databases than the asking one: who they are, as the server knows them. */
export async function otherSessions(db: Kysely<Database>, databases: string[]): Promise<string[]> {
  const r = await sql<{ app: string | null; addr: string | null; since: string | null }>`SELECT application_name AS app, client_addr::text AS addr, backend_start::text AS since
      FROM pg_stat_activity WHERE datname = ANY(${databases}) AND pid <> pg_backend_pid() ORDER BY backend_start`.execute(db);
  return r.rows.map((s) => `${s.app || '?'}@${s.addr ?? 'local'}`);
}

/**
 * The client sessions on this database that are not the asker's own (`own`: its pool's backend process ids), as
 * `application@address` with when they connected: other PCs, tools, a crashed PC's session the server has not yet
 * noticed. The server's own workers (autovacuum) are not clients and do not count.
 */
export async function otherClients(db: Kysely<Database>, own: number[]): Promise<string[]> {
  const r = await sql<{ app: string | null; addr: string | null; since: string | null }>`SELECT application_name AS app, client_addr::text AS addr, to_char(backend_start, 'YYYY-MM-DD HH24:MI') AS since
      FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND pid <> ALL(${own}::int[])
      ORDER BY backend_start`.execute(db);
  return [...new Set(r.rows.map((s) => `${s.app || '?'}@${s.addr ?? 'local'} (${s.since ?? '?'})`))];
}

/**
 * Puts `incoming` in the place of `live`: both renames in one transaction, from the server's maintenance database
 * (a database cannot be renamed by a connection to it), so that the name always answers with one whole database.
 * The old one keeps living as `retired`. Refused while anyone else is connected to either (PgBackupError('in-use')).
 */
export async function swapDatabases(target: PostgresTarget, live: string, incoming: string, retired: string): Promise<void> {
  let admin: Kysely<Database> | null = null;
  let lastError: unknown = null;
  for (const maintenance of ['postgres', 'template1']) {
    const db = openPostgres(onDatabase(target, maintenance, { max: 1 }));
    try {
      await sql`SELECT 1`.execute(db);
      admin = db;
      break;
    } catch (e) {
      lastError = e;
      await db.destroy();
    }
  }
  if (!admin) throw new PgBackupError('swap', (lastError as Error)?.message ?? '');
  try {
    const others = await otherSessions(admin, [live, incoming]);
    if (others.length > 0) throw new PgBackupError('in-use', [...new Set(others)].join(', '));
    await admin.connection().execute(async (c) => {
      await sql`BEGIN`.execute(c);
      try {
        await sql`ALTER DATABASE ${sql.id(live)} RENAME TO ${sql.id(retired)}`.execute(c);
        await sql`ALTER DATABASE ${sql.id(incoming)} RENAME TO ${sql.id(live)}`.execute(c);
        await sql`COMMIT`.execute(c);
      } catch (e) {
        await sql`ROLLBACK`.execute(c);
        const code = (e as { code?: string }).code;
        if (code === '55006') throw new PgBackupError('in-use', (e as Error).message);
        throw new PgBackupError('swap', (e as Error).message);
      }
    });
    await sql`DROP DATABASE IF EXISTS ${sql.id(retired)} WITH (FORCE)`.execute(admin);
  } finally {
    await admin.destroy();
  }
}

/**
 * The list of backups is about files made from this server, not data of the backup: a restored database takes the
 * live one's list (the backup made just before the restore included), and its id counter follows it.
 */
export async function carryBackups(from: Kysely<Database>, trx: Kysely<Database>): Promise<void> {
  const rows = await from.selectFrom('backups').selectAll().orderBy('id').execute();
  await trx.deleteFrom('backups').execute();
  if (rows.length > 0) await trx.insertInto('backups').values(rows).execute();
  await sql`SELECT setval(pg_get_serial_sequence('backups', 'id'), greatest((SELECT max(id) FROM backups), 1), (SELECT count(*) > 0 FROM backups))`.execute(trx);
}
