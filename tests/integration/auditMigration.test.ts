import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS, legacyHash, SCHEME_SWITCH } from '../../src/main/db/auditChain';
import { migrate } from '../../src/main/db/migrate';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { kyselyOf, openSqlite, type Sqlite } from '../../src/main/db/open';
import { checkAuditChain } from '../../src/main/kernel/audit';
import { AppContext } from '../../src/main/kernel/context';
import { openStore, type Store } from '../../src/main/kernel/store';
import { dropAuditTriggers, rawOpen } from '../helpers/attacker';

let root: string;
let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
  rmSync(root, { recursive: true, force: true });
});

function legacyEntry(db: Sqlite, prev: string, n: number): string {
  const r = { at: `2026-11-0${n}T01:00:00.000Z`, actor: 'admin', action: 'users.update', entity: 'user', entity_id: `u${n}`, reason: null, detail: '{}', prev_hash: prev };
  const hash = legacyHash(r);
  db.prepare('INSERT INTO audit_log (at, actor, action, entity, entity_id, reason, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(r.at, r.actor, r.action, r.entity, r.entity_id, r.reason, r.detail, r.prev_hash, hash);
  return hash;
}

/** A database as the version before 0016 left it: SHA-256 entries, one of them a fork by two writers at once. */
async function legacyStore(dir: string, key: Buffer): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const db = openSqlite(join(dir, 'loankeeper.db'), key, { create: true });
  const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0016'));
  await migrate(kyselyOf(db), db, dir, '2026-11-01T00:00:00.000Z', before);
  const h1 = legacyEntry(db, GENESIS, 1);
  const h2 = legacyEntry(db, h1, 2);
  legacyEntry(db, h2, 3);
  legacyEntry(db, h2, 4); // read the same head as entry 3: the fork the old code allowed
  db.close();
}

const ctx = () => new AppContext({ configDir: join(root, 'config'), defaultDataDir: join(root, 'data'), resourcesDir: resolve('resources') });

describe('migration 0016 on a database with a legacy chain', () => {
  it('keeps the old entries, seals them with a switch entry, and does not call the old fork tampering', async () => {
    root = mkdtempSync(join(tmpdir(), 'lk-mig-'));
    const dir = join(root, 'data');
    const key = randomBytes(32);
    await legacyStore(dir, key);
    store = await openStore(ctx(), dir, key);
    expect(readdirSync(join(dir, 'backups')).some((f) => f.startsWith('before-0016_audit_chain'))).toBe(true);
    const rows = store.sqlite.prepare('SELECT id, action, prev_hash, detail FROM audit_log ORDER BY id').all() as { id: number; action: string; prev_hash: string; detail: string }[];
    expect(rows.map((r) => r.action)).toEqual(['users.update', 'users.update', 'users.update', 'users.update', SCHEME_SWITCH]);
    expect(JSON.parse(rows[4].detail)).toMatchObject({ legacyCount: 4, scheme: 'hmac-sha256' });
    expect(checkAuditChain(store, null)).toMatchObject({ ok: true, problem: null, count: 5, legacyForks: 1 });
    // Opening again does not seal twice.
    store.close();
    store = await openStore(ctx(), dir, key);
    expect(checkAuditChain(store, null)).toMatchObject({ ok: true, count: 5 });
  });

  it('a legacy entry rewritten afterwards (its SHA-256 redone, which needs no key) breaks the seal', async () => {
    root = mkdtempSync(join(tmpdir(), 'lk-mig-'));
    const dir = join(root, 'data');
    const key = randomBytes(32);
    await legacyStore(dir, key);
    store = await openStore(ctx(), dir, key);
    store.close();
    store = null;
    const db = rawOpen(join(dir, 'loankeeper.db'), key);
    dropAuditTriggers(db);
    const r = db.prepare('SELECT * FROM audit_log WHERE id = 4').get() as Parameters<typeof legacyHash>[0];
    const forged = { ...r, detail: '{"roles":["admin"]}' };
    db.prepare('UPDATE audit_log SET detail = ?, hash = ? WHERE id = 4').run(forged.detail, legacyHash(forged));
    db.close();
    store = await openStore(ctx(), dir, key);
    expect(checkAuditChain(store, null)).toMatchObject({ ok: false, problem: 'legacy', brokenAt: 5 });
  });
});
