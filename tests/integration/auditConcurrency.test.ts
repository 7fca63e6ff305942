import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { APPEND_SQL, appendParams, auditKey, entryMac, readTip, registerAuditMac } from '../../src/main/db/auditChain';
import { dataKeyFromRecoveryKey } from '../../src/main/db/recoveryKey';
import { verifyAudit } from '../../src/main/features/audit/audit';
import { login } from '../../src/main/features/session/session';
import { dropAuditTriggers, rawOpen } from '../helpers/attacker';
import { ADMIN_PASSWORD, newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';
import pkg from '../../package.json' with { type: 'json' };

let env: TestEnv;
afterEach(() => env?.cleanup());

const insert = `INSERT INTO audit_log (at, actor, action, entity, entity_id, reason, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Builds the writer script for plain Node, inside the project so that its packages resolve. */
async function writerScript(): Promise<string> {
  const outDir = resolve('node_modules/.cache/lk-audit-writer');
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: 'tests/helpers/auditWriter.ts',
      outDir,
      emptyOutDir: true,
      target: 'node22',
      minify: false,
      rollupOptions: {
        external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)],
        output: { format: 'es', entryFileNames: 'auditWriter.mjs' },
      },
    },
  });
  return join(outDir, 'auditWriter.mjs');
}

function run(script: string, args: string[]): Promise<void> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`writer exited ${code}: ${err}`))));
  });
}

describe('concurrent writers', () => {
  it('a second connection that read a stale head cannot fork the chain, triggers or not', async () => {
    env = newEnv();
    const dataKey = dataKeyFromRecoveryKey(await setUp(env), join(env.dataDir, 'loankeeper.db'))!;
    const file = join(env.dataDir, 'loankeeper.db');
    const a = rawOpen(file, dataKey);
    const b = rawOpen(file, dataKey);
    try {
      registerAuditMac(b, auditKey(dataKey), () => {});
      const stale = readTip(a)!;
      b.prepare(APPEND_SQL).run(appendParams('2026-11-23T01:00:01.000Z', { actor: 'b', action: 'test.write', entity: 'test', entityId: 'b' }));
      const row = { at: '2026-11-23T01:00:02.000Z', actor: 'a', action: 'test.write', entity: 'test', entity_id: 'a', reason: null, detail: '{}', prev_hash: stale.hash };
      const values = [row.at, row.actor, row.action, row.entity, row.entity_id, row.reason, row.detail, row.prev_hash, entryMac(auditKey(dataKey), row)];
      expect(() => a.prepare(insert).run(values)).toThrow(/follow the current head/);
      dropAuditTriggers(a);
      expect(() => a.prepare(insert).run(values)).toThrow(/UNIQUE constraint failed: audit_log.prev_hash/);
    } finally {
      a.close();
      b.close();
    }
    expect(await verifyAudit(env.ctx)).toMatchObject({ ok: true, problem: null, count: 3 });
  });

  it('a transaction takes the write lock at BEGIN, so another writer waits instead of reading a head it would fork', async () => {
    env = newEnv();
    const dataKey = dataKeyFromRecoveryKey(await setUp(env), join(env.dataDir, 'loankeeper.db'))!;
    const other = rawOpen(join(env.dataDir, 'loankeeper.db'), dataKey);
    other.pragma('busy_timeout=0');
    try {
      await localStoreOf(env.ctx).db.transaction().execute(async () => {
        expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i);
      });
      other.exec('BEGIN IMMEDIATE');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
  });

  it('three processes appending at once leave one straight chain that check passes', { timeout: 120_000 }, async () => {
    env = newEnv();
    const dataKey = dataKeyFromRecoveryKey(await setUp(env), join(env.dataDir, 'loankeeper.db'))!;
    const script = await writerScript();
    env.ctx.close();
    const go = join(env.root, 'go');
    const each = 40;
    const writers = ['p1', 'p2', 'p3'].map((label) => run(script, [env.dataDir, dataKey.toString('hex'), String(each), label, go]));
    // Let every writer open the store first, then start them together.
    await new Promise((r) => setTimeout(r, 1500));
    writeFileSync(go, '');
    await Promise.all(writers);
    const ctx = env.restart();
    await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    const check = await verifyAudit(ctx);
    // setup.create, setup.confirmRecoveryKey, the writers' entries, the login just now.
    expect(check).toMatchObject({ ok: true, problem: null, count: 2 + 3 * each + 1, legacyForks: 0 });
    const rows = localStoreOf(ctx).sqlite.prepare(`SELECT actor FROM audit_log WHERE action = 'test.write' ORDER BY id`).all() as { actor: string }[];
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set(['p1', 'p2', 'p3']));
    const switches = rows.filter((r, i) => i > 0 && r.actor !== rows[i - 1].actor).length;
    // Three writers one after another would switch twice: they did write at the same time.
    expect(switches).toBeGreaterThan(2);
  });
});
