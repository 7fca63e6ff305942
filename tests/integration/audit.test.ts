import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readKeyring, writeKeyring } from '../../src/main/db/keyring';
import { dataKeyFromRecoveryKey } from '../../src/main/db/recoveryKey';
import { verifyAudit } from '../../src/main/features/audit/audit';
import { runChecks } from '../../src/main/features/backups/maintenance';
import { login } from '../../src/main/features/session/session';
import { DEFAULT_SETTINGS } from '../../src/main/kernel/settings';
import { updateSettings } from '../../src/main/features/settings/settings';
import { createUser, updateUser } from '../../src/main/features/users/users';
import { dropAuditTriggers, rawOpen, recomputeChain } from '../helpers/attacker';
import { ADMIN_PASSWORD, newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

/** A store with a few entries; returns the data key (which the recovery key unwraps). */
async function seeded(): Promise<Buffer> {
  env = newEnv();
  const key = dataKeyFromRecoveryKey(await setUp(env), join(env.dataDir, 'loankeeper.db'))!;
  await createUser(env.ctx, { username: 'risk1', displayName: '风控甲', roles: ['risk'], password: 'Risk-pass-001' });
  await updateUser(env.ctx, { username: 'risk1', displayName: '风控乙', roles: ['risk'] });
  return key;
}

/** Closes the app, lets `tamper` work on the file with the bare driver, then signs in again and checks. */
async function afterTampering(key: Buffer, tamper: (db: ReturnType<typeof rawOpen>) => void) {
  env.ctx.close();
  const db = rawOpen(join(env.dataDir, 'loankeeper.db'), key);
  try {
    tamper(db);
  } finally {
    db.close();
  }
  const ctx = env.restart();
  await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
  return verifyAudit(ctx);
}

describe('audit chain', () => {
  it('records who, when, what and why; the head kept in the keyring matches the database', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'risk1', displayName: '风控甲', roles: ['risk'], password: 'Risk-pass-001' });
    await updateSettings(env.ctx, { ...DEFAULT_SETTINGS, institution: '测试小额贷款有限公司', branch: '城东支行', idleMinutes: 10, ltvLimitPercent: 60, allocationOrder: ['interest', 'penalty', 'principal'], attachmentMaxMb: 20 });
    const check = await verifyAudit(env.ctx);
    expect(check).toMatchObject({ ok: true, count: 4, brokenAt: null, problem: null, lag: 0, legacyForks: 0 });
    expect(check.outside).toEqual(check.head);
    const rows = await localStoreOf(env.ctx).db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['setup.create', 'setup.confirmRecoveryKey', 'users.create', 'settings.update']);
    expect(rows[2]).toMatchObject({ actor: 'admin', entity: 'user', entity_id: 'risk1', at: '2026-11-23T01:00:00.000Z' });
    expect(check.head).toEqual({ count: 4, hash: rows[3].hash });
    const kr = readKeyring(env.dataDir);
    expect(kr.kind === 'ok' && kr.keyring.auditHead).toMatchObject({ count: 4, id: rows[3].id, hash: rows[3].hash });
  });

  it('the log refuses UPDATE and DELETE, and an entry that does not follow the head', async () => {
    await seeded();
    const { sqlite } = localStoreOf(env.ctx);
    expect(() => sqlite.prepare(`UPDATE audit_log SET detail = '{}' WHERE id = 2`).run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_log WHERE id = 2').run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() =>
      sqlite.prepare(`INSERT INTO audit_log (at, actor, action, entity, entity_id, reason, detail, prev_hash, hash) VALUES ('x', 'x', 'x', 'x', 'x', NULL, '{}', ?, 'x')`).run('0'.repeat(64)),
    ).toThrow(/follow the current head/);
    expect(() => sqlite.prepare('UPDATE audit_scheme SET legacy_count = 0').run()).toThrow(/append-only/);
    expect((await verifyAudit(env.ctx)).ok).toBe(true);
  });

  it('recordAudit runs only inside a transaction', async () => {
    await seeded();
    const { recordAudit } = await import('../../src/main/kernel/audit');
    await expect(recordAudit(localStoreOf(env.ctx).db as never, '2026-11-23T01:00:00.000Z', { actor: 'x', action: 'x', entity: 'x', entityId: 'x' })).rejects.toThrow(/transaction/);
  });

  it('catches an edited entry', async () => {
    const key = await seeded();
    const r = await afterTampering(key, (db) => {
      dropAuditTriggers(db);
      db.prepare(`UPDATE audit_log SET detail = '{"roles":["admin"]}' WHERE id = 3`).run();
    });
    expect(r).toMatchObject({ ok: false, problem: 'edited', brokenAt: 3 });
  });

  it('catches an edited entry whose HMACs were all recomputed with the key: the head outside no longer matches', async () => {
    const key = await seeded();
    const r = await afterTampering(key, (db) => {
      dropAuditTriggers(db);
      db.prepare(`UPDATE audit_log SET detail = '{"roles":["admin"]}' WHERE id = 3`).run();
      recomputeChain(db, key);
    });
    expect(r).toMatchObject({ ok: false, problem: 'headOffChain', brokenAt: null });
    expect(r.outside!.count).toBe(4);
    // The app kept working (it signed in and wrote an entry) but never moved the head onto the rewritten chain.
    expect(r.count).toBe(5);
  });

  it('catches entries rewritten with plain SHA-256 by someone without the key', async () => {
    const key = await seeded();
    const r = await afterTampering(key, (db) => {
      dropAuditTriggers(db);
      const row = db.prepare('SELECT * FROM audit_log WHERE id = 4').get() as { prev_hash: string; at: string; actor: string; action: string; entity: string; entity_id: string; detail: string };
      const detail = '{"forged":true}';
      const hash = createHash('sha256').update(JSON.stringify([row.prev_hash, row.at, row.actor, row.action, row.entity, row.entity_id, '', detail])).digest('hex');
      db.prepare('UPDATE audit_log SET detail = ?, hash = ? WHERE id = 4').run(detail, hash);
    });
    expect(r).toMatchObject({ ok: false, problem: 'edited', brokenAt: 4 });
  });

  it('catches the newest entries deleted', async () => {
    const key = await seeded();
    const r = await afterTampering(key, (db) => {
      dropAuditTriggers(db);
      db.prepare('DELETE FROM audit_log WHERE id > 2').run();
    });
    expect(r).toMatchObject({ ok: false, problem: 'headAhead' });
    expect(r.outside!.count).toBe(4);
  });

  it('catches every entry deleted', async () => {
    const key = await seeded();
    const r = await afterTampering(key, (db) => {
      dropAuditTriggers(db);
      db.prepare('DELETE FROM audit_log').run();
      db.prepare(`DELETE FROM sqlite_sequence WHERE name = 'audit_log'`).run();
    });
    expect(r).toMatchObject({ ok: false, problem: 'headAhead' });
    expect(await runChecks(env.ctx)).toMatchObject({ ok: false });
  });

  it('catches a middle entry deleted', async () => {
    const key = await seeded();
    const r = await afterTampering(key, (db) => {
      dropAuditTriggers(db);
      db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    });
    expect(r).toMatchObject({ ok: false, problem: 'link', brokenAt: 3 });
  });

  it('catches a head in the keyring that was not written with the key', async () => {
    await seeded();
    const kr = readKeyring(env.dataDir);
    if (kr.kind !== 'ok') throw new Error('keyring');
    writeKeyring(env.dataDir, { ...kr.keyring, auditHead: { ...kr.keyring.auditHead!, count: 2 } });
    expect(await verifyAudit(env.ctx)).toMatchObject({ ok: false, problem: 'headForged' });
  });
});
