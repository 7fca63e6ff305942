import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditKey, readHead, signHead } from '../../src/main/db/auditChain';
import { readKeyring, writeKeyring } from '../../src/main/db/keyring';
import { dataKeyFromRecoveryKey } from '../../src/main/db/recoveryKey';
import { reanchorAudit, verifyAudit } from '../../src/main/features/audit/audit';
import { BACKUP_HEAD_KEY, checkAgainstBackup } from '../../src/main/db/backupHead';
import { backupTo, runChecks } from '../../src/main/features/backups/maintenance';
import { login } from '../../src/main/features/session/session';
import { createUser, updateUser } from '../../src/main/features/users/users';
import { dropAuditTriggers, rawOpen, recomputeChain } from '../helpers/attacker';
import { ADMIN_PASSWORD, newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

async function withBackup(): Promise<{ key: Buffer; backup: string }> {
  env = newEnv();
  const key = dataKeyFromRecoveryKey(await setUp(env), join(env.dataDir, 'loankeeper.db'))!;
  await createUser(env.ctx, { username: 'risk1', displayName: '风控甲', roles: ['risk'], password: 'Risk-pass-001' });
  const backup = join(env.root, 'backup-1.db');
  await backupTo(env.ctx, backup);
  await updateUser(env.ctx, { username: 'risk1', displayName: '风控乙', roles: ['risk'] });
  return { key, backup };
}

/** Replaces the live database with the file given, as someone restoring by hand would. */
function putInPlace(file: string): void {
  env.ctx.close();
  const live = join(env.dataDir, 'loankeeper.db');
  for (const f of [`${live}-wal`, `${live}-shm`]) rmSync(f, { force: true });
  copyFileSync(file, live);
}

describe('the audit head kept in backups', () => {
  it('a backup carries its own signed head, and check holds the live chain against it', async () => {
    const { key, backup } = await withBackup();
    const copy = rawOpen(backup, key);
    const stored = JSON.parse((copy.prepare('SELECT value FROM settings WHERE key = ?').get(BACKUP_HEAD_KEY) as { value: string }).value);
    expect(stored).toMatchObject({ ...signHead(auditKey(key), readHead(copy)!), takenAt: '2026-11-23T01:00:00.000Z' });
    copy.close();
    const r = await runChecks(env.ctx, { backups: [backup] });
    expect(r.ok).toBe(true);
    expect(r.backups).toEqual([{ file: backup, takenAt: '2026-11-23T01:00:00.000Z', head: { count: 3, hash: stored.hash }, ok: true, problem: null }]);
    expect(checkAgainstBackup(localStoreOf(env.ctx), join(env.root, 'nope.db'))).toMatchObject({ ok: false, problem: 'unreadable' });
  });

  it('someone with the key who rewrites the chain and the keyring head too is caught by the backup kept elsewhere', async () => {
    const { key, backup } = await withBackup();
    env.ctx.close();
    const db = rawOpen(join(env.dataDir, 'loankeeper.db'), key);
    dropAuditTriggers(db);
    db.prepare(`UPDATE audit_log SET detail = '{}' WHERE id = 3`).run();
    recomputeChain(db, key);
    const kr = readKeyring(env.dataDir);
    if (kr.kind !== 'ok') throw new Error('keyring');
    writeKeyring(env.dataDir, { ...kr.keyring, auditHead: signHead(auditKey(key), readHead(db)!) });
    db.close();
    const ctx = env.restart();
    await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    // The limit: with the key and every copy but the backup rewritten, the keyring agrees with the database.
    expect(await verifyAudit(ctx)).toMatchObject({ ok: true });
    const r = await runChecks(ctx, { backups: [backup] });
    expect(r.ok).toBe(false);
    expect(r.backups[0]).toMatchObject({ ok: false, problem: 'liveOffChain' });
  });

  it('restoring an older copy reads as entries missing until an administrator re-anchors, which the chain records', async () => {
    const { backup } = await withBackup();
    const outsideBefore = (await verifyAudit(env.ctx)).outside!;
    putInPlace(backup);
    const ctx = env.restart();
    await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    expect(await verifyAudit(ctx)).toMatchObject({ ok: false, problem: 'headAhead' });
    // The backup itself is still in the chain: nothing was rewritten, only cut back to it.
    expect((await runChecks(ctx, { backups: [backup] })).backups[0]).toMatchObject({ ok: true });
    const head = await reanchorAudit(ctx, { reason: '硬盘故障，从 11 月 23 日备份恢复' });
    expect(await verifyAudit(ctx)).toMatchObject({ ok: true, problem: null, lag: 0, head });
    const last = localStoreOf(ctx).sqlite.prepare('SELECT action, reason, detail FROM audit_log ORDER BY id DESC LIMIT 1').get() as { action: string; reason: string; detail: string };
    expect(last).toMatchObject({ action: 'audit.reanchor', reason: '硬盘故障，从 11 月 23 日备份恢复' });
    expect(JSON.parse(last.detail).previous).toMatchObject({ count: outsideBefore.count, hash: outsideBefore.hash });
  });

  it('re-anchoring refuses a chain that is broken in itself', async () => {
    const { key } = await withBackup();
    env.ctx.close();
    const db = rawOpen(join(env.dataDir, 'loankeeper.db'), key);
    dropAuditTriggers(db);
    db.prepare(`UPDATE audit_log SET detail = '{}' WHERE id = 3`).run();
    db.close();
    const ctx = env.restart();
    await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    await expect(reanchorAudit(ctx, { reason: 'x' })).rejects.toMatchObject({ code: 'RULE_VIOLATION' });
  });
});
