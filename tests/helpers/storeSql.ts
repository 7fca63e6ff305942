import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { AppContext } from '../../src/main/kernel/context';

/**
 * A number that grows whenever anything is written to the open store, by anyone: for "reads never write" on both
 * stores. On one PC, the rows this connection changed (`total_changes()`) plus the commits of any other
 * connection, such as the batch's thread (`data_version`). On the branch server, a counter that a row trigger on
 * every table advances, installed in the test's database on first use; a sequence, so that a write rolled back
 * still counts.
 */
export async function storeWrites(ctx: AppContext): Promise<number> {
  const store = ctx.store;
  if (!store) throw new Error('no store is open');
  if (store.kind === 'local') {
    const changes = (store.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    return changes + (store.sqlite.pragma('data_version', { simple: true }) as number);
  }
  const installed = await sql<{ t: string | null }>`SELECT to_regclass('lk_test_writes')::text AS t`.execute(store.db);
  if (!installed.rows[0].t) {
    await sql`CREATE SEQUENCE lk_test_writes`.execute(store.db);
    await sql`CREATE FUNCTION lk_test_count_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('lk_test_writes'); RETURN NULL; END $$`.execute(store.db);
    await sql`DO $$ DECLARE t text; BEGIN
      FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        EXECUTE format('CREATE TRIGGER lk_test_count_write AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION lk_test_count_write()', t);
      END LOOP; END $$`.execute(store.db);
  }
  const r = await sql<{ n: string }>`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM lk_test_writes`.execute(store.db);
  return Number(r.rows[0].n);
}

/**
 * A statement of a test's own, with `?` for its values, run on whichever store is open: for tests that set rows
 * up by hand or look at them directly. Rows come back with integer columns as numbers on both stores (db/pg turns
 * PostgreSQL's bigint strings into numbers).
 */
export async function rawQuery<T = Record<string, unknown>>(ctx: AppContext, text: string, ...params: unknown[]): Promise<T[]> {
  const store = ctx.store;
  if (!store) throw new Error('no store is open');
  const fragments = text.split('?');
  if (fragments.length !== params.length + 1) throw new Error(`${params.length} values for ${fragments.length - 1} placeholders`);
  return (await sql<T>(fragments as unknown as TemplateStringsArray, ...params).execute(store.db)).rows;
}

/**
 * Makes the store refuse every `op` on `table` with `message`, as a full disk or a failing server would, until the
 * returned function is called: a temporary trigger on one PC, a trigger in the test's database on the server.
 */
export async function refuseWrites(ctx: AppContext, table: string, op: 'INSERT' | 'UPDATE', message: string): Promise<() => Promise<void>> {
  const store = ctx.store;
  if (!store) throw new Error('no store is open');
  const name = `lk_test_refuse_${table}`;
  if (store.kind === 'local') {
    store.sqlite.exec(`CREATE TEMP TRIGGER ${name} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, '${message}'); END`);
    return async () => void store.sqlite.exec(`DROP TRIGGER ${name}`);
  }
  await sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`).execute(store.db);
  await sql.raw(`CREATE TRIGGER ${name} BEFORE ${op} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`).execute(store.db);
  return async () => {
    await sql.raw(`DROP TRIGGER ${name} ON ${table}`).execute(store.db);
    await sql.raw(`DROP FUNCTION ${name}()`).execute(store.db);
  };
}

/**
 * Whether the store still holds each document's bytes, asked again at each call: on one PC the encrypted files
 * the rows named when this was called (so a file left behind after its row let go of it still counts), on the
 * server the sealed bytes in the rows.
 */
export async function documentBytesHeld(ctx: AppContext, ids: number[]): Promise<() => Promise<boolean[]>> {
  const store = ctx.store;
  if (!store) throw new Error('no store is open');
  if (store.kind === 'local') {
    const rows = await store.db.selectFrom('documents').select(['id', 'file_ref']).where('id', 'in', ids).execute();
    const refs = ids.map((id) => rows.find((r) => r.id === id)?.file_ref ?? null);
    return async () => refs.map((ref) => ref !== null && existsSync(join(store.files.dir, ref)));
  }
  return async () => {
    const rows = await rawQuery<{ id: number; n: number }>(ctx, `SELECT id, length(content) AS n FROM documents WHERE id IN (${ids.map(() => '?').join(', ')})`, ...ids);
    return ids.map((id) => (rows.find((r) => r.id === id)?.n ?? 0) > 0);
  };
}

/**
 * What the store keeps at rest for its documents, to search for clear text: on one PC the database file (after a
 * checkpoint) and each document file; on the server each document row's bytes.
 */
export async function documentsAtRest(ctx: AppContext): Promise<{ database: Buffer; documents: Buffer[] }> {
  const store = ctx.store;
  if (!store) throw new Error('no store is open');
  if (store.kind === 'local') {
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { database: readFileSync(store.file), documents: readdirSync(store.files.dir).map((f) => readFileSync(join(store.files.dir, f))) };
  }
  const rows = await store.db.selectFrom('documents').select('content').orderBy('id').execute();
  return { database: Buffer.concat(rows.map((r) => r.content)), documents: rows.map((r) => r.content) };
}
