import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKey, type Head } from '../../src/main/db/auditChain';
import { headOnChainOf, readHeadOf, walkChainOf } from '../../src/main/db/auditLog';
import { openPostgres } from '../../src/main/db/pg/connect';
import { migratePostgres } from '../../src/main/db/pg/migrate';
import type { Database } from '../../src/main/db/schema';
import { startPgServer, type PgServer } from '../support/pgServer';
import pkg from '../../package.json' with { type: 'json' };

/**
 * Several desktops writing to one branch server at once, as separate processes with their own pools: notice
 * serials stay unique and gap-free, the audit chain stays one valid chain, and no write is lost. Then the same
 * writers without the writer lock (db/pg/writer.ts) collide, which shows the test can see what the lock prevents.
 */

const WRITERS = 4;
const EACH = 40;

let server: PgServer;
let db: Kysely<Database>;
let script: string;
let tmp: string;
const dataKey = randomBytes(32);

async function writerScript(): Promise<string> {
  const outDir = resolve('node_modules/.cache/lk-branch-writer');
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: 'tests/helpers/branchWriter.ts',
      outDir,
      emptyOutDir: true,
      target: 'node22',
      minify: false,
      rollupOptions: {
        external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)],
        output: { format: 'es', entryFileNames: 'branchWriter.mjs' },
      },
    },
  });
  return join(outDir, 'branchWriter.mjs');
}

function run(args: string[]): Promise<{ serials: string[]; failures: number }> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += String(d)));
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('exit', (code) => (code === 0 ? ok(JSON.parse(out) as { serials: string[]; failures: number }) : fail(new Error(`writer exited ${code}: ${err}`))));
  });
}

/** Starts the writers together (they wait for a file) and collects what each got. */
async function writeAtOnce(mode: 'lock' | 'plain'): Promise<{ serials: string[]; failures: number }[]> {
  const go = join(tmp, `go-${mode}`);
  const runs = Array.from({ length: WRITERS }, (_, w) => run([server.url, dataKey.toString('hex'), String(EACH), `pc${w + 1}`, go, mode]));
  await new Promise((r) => setTimeout(r, 1500));
  writeFileSync(go, '');
  return Promise.all(runs);
}

beforeAll(async () => {
  [server, script] = await Promise.all([startPgServer(), writerScript()]);
  db = openPostgres({ url: server.url });
  await migratePostgres(db);
  tmp = mkdtempSync(join(tmpdir(), 'lk-pgconc-'));
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('several desktops on one branch server', () => {
  it('keeps serials unique and gap-free, the audit chain whole, and loses no write', async () => {
    // Meanwhile another PC reads the head again and again (as its witness does after each commit).
    const heads = new Map<string, Head>();
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const h = await readHeadOf(db);
        if (h) heads.set(`${h.count}:${h.id}`, h);
      }
    })();
    const results = await writeAtOnce('lock');
    writing = false;
    await reader;
    expect(results.map((r) => r.failures)).toEqual(Array(WRITERS).fill(0));
    const serials = results.flatMap((r) => r.serials);
    expect(serials).toHaveLength(WRITERS * EACH);
    const numbers = serials.map((s) => Number(s.slice(-6))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: WRITERS * EACH }, (_, i) => i + 1));

    // Every serial a writer was given is in the chain, under its writer's name, and the chain verifies.
    const entries = await db.selectFrom('audit_log').select(['actor', 'entity_id']).where('action', '=', 'notices.prepare').execute();
    expect(entries.map((e) => `${e.actor} ${e.entity_id}`).sort()).toEqual(results.flatMap((r, w) => r.serials.map((s) => `pc${w + 1} ${s}`)).sort());
    const walk = await walkChainOf(db, auditKey(dataKey));
    expect(walk.problem).toBeNull();
    expect(walk.count).toBe(WRITERS * EACH);
    expect((await db.selectFrom('serial_counters').select('last').where('year', '=', 2026).executeTakeFirstOrThrow()).last).toBe(WRITERS * EACH);
    // Every head read while others wrote is one the chain had: the entry and the count of one moment.
    expect(heads.size).toBeGreaterThan(10);
    const offChain: Head[] = [];
    for (const h of heads.values()) if (!(await headOnChainOf(db, h))) offChain.push(h);
    expect(offChain).toEqual([]);
  }, 120_000);

  it('a changed entry is found by the walk, with the key the server never saw', async () => {
    const victim = await db.selectFrom('audit_log').select('id').orderBy('id').offset(10).limit(1).executeTakeFirstOrThrow();
    // The server refuses the edit itself (append-only triggers) …
    await expect(db.updateTable('audit_log').set({ actor: 'someone' }).where('id', '=', victim.id).execute()).rejects.toThrow(/append-only/);
    // … and a walk under another key calls the chain edited from its first keyed entry.
    const walk = await walkChainOf(db, auditKey(randomBytes(32)));
    expect(walk.problem).toBe('edited');
  });

  it('without the writer lock the same writers collide (duplicate serials or refused appends)', async () => {
    const before = (await db.selectFrom('serial_counters').select('last').where('year', '=', 2026).executeTakeFirstOrThrow()).last;
    const results = await writeAtOnce('plain');
    const serials = results.flatMap((r) => r.serials);
    const failures = results.reduce((n, r) => n + r.failures, 0);
    const duplicates = serials.length - new Set(serials).size;
    expect(duplicates + failures).toBeGreaterThan(0);
    // Whatever got through still forms one chain: the unique prev_hash index refused every fork.
    expect((await walkChainOf(db, auditKey(dataKey))).problem).toBeNull();
    expect(before).toBe(WRITERS * EACH);
  }, 120_000);

  it('a connection ended by the server between two statements of a transaction fails that transaction, not the process', async () => {
    const other = openPostgres({ url: server.url });
    try {
      const outcome = other
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
          // Ended from another session while this one holds it with no statement running (an administrator, a restart).
          await sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(db);
          await new Promise((r) => setTimeout(r, 300));
          await sql`SELECT 1`.execute(trx);
        })
        .then(() => 'committed', (e: Error) => e.message);
      expect(await outcome).toMatch(/terminat|not queryable|Connection terminated/i);
      // The pool goes on with a new connection.
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(other)).rows[0]!.one).toBe(1);
    } finally {
      await other.destroy();
    }
  });
});
