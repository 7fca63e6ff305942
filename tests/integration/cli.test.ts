import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cmdBackup, cmdCheck, cmdDemo, cmdInit, cmdLoans, cmdRender, cmdRotateKeys } from '../../src/main/cli/commands';
import { rotationFaults } from '../../src/main/features/keys/rotation';
import { openSqlite } from '../../src/main/db/open';
import { dataKeyFromRecoveryKey } from '../../src/main/db/recoveryKey';
import { newEnv, type TestEnv } from '../helpers/context';

let env: TestEnv;
afterEach(() => {
  vi.restoreAllMocks();
  env?.cleanup();
});

function capture() {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return out;
}

describe('CLI commands', () => {
  it('init prints the recovery key; check passes; backup writes an encrypted copy the recovery key opens', async () => {
    env = newEnv();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, 'Cli-admin-pass\n');
    const dataDir = join(env.root, 'store');
    let out = capture();
    await cmdInit({ 'data-dir': dataDir, institution: '测试小贷', admin: 'admin', 'password-file': pw });
    const key = dataKeyFromRecoveryKey(out.join('').trim(), join(dataDir, 'loankeeper.db'));
    expect(key).not.toBeNull();

    out = capture();
    await cmdCheck({ 'data-dir': dataDir, user: 'admin', 'password-file': pw });
    expect(out.join('')).toMatch(/OK +数据库完整性[\s\S]*OK +审计哈希链[\s\S]*OK +数据库结构/);

    const to = join(env.root, 'backup.db');
    capture();
    await cmdBackup({ 'data-dir': dataDir, user: 'admin', 'password-file': pw, to });
    const copy = openSqlite(to, key, { create: false });
    expect(copy.prepare('SELECT username FROM users').all()).toEqual([{ username: 'admin' }]);
    copy.close();
    expect(() => openSqlite(to, null, { create: false })).toThrow(/not-a-database/);

    // check prints both audit heads and holds the chain against the backup's.
    out = capture();
    await cmdCheck({ 'data-dir': dataDir, user: 'admin', 'password-file': pw, backup: to });
    const text = out.join('');
    expect(text).toMatch(/数据库中的链头：共 \d+ 条，末条哈希 [0-9a-f]{64}/);
    expect(text).toMatch(/库外（密钥环）记录的链头：共 \d+ 条/);
    expect(text).toMatch(/OK +备份 .*backup\.db.*当前审计链包含该备份时的链头/);
    await expect(cmdBackup({ 'data-dir': dataDir, user: 'admin', 'password-file': pw, to })).rejects.toThrow(/已存在/);
  });

  it('refuses a wrong password and runs with the user’s own permissions', async () => {
    env = newEnv();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, 'Cli-admin-pass\n');
    const bad = join(env.root, 'bad.txt');
    writeFileSync(bad, 'nope\n');
    const dataDir = join(env.root, 'store');
    capture();
    await cmdInit({ 'data-dir': dataDir, institution: '测试小贷', admin: 'admin', 'password-file': pw });
    await expect(cmdCheck({ 'data-dir': dataDir, user: 'admin', 'password-file': bad })).rejects.toThrow(/用户名或密码错误/);
    await expect(cmdBackup({ 'data-dir': dataDir, user: 'admin', 'password-file': pw })).rejects.toThrow(/--to/);
  });

  it('render: a notice whose file cannot be written is voided, never counted as printed', async () => {
    env = newEnv();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, 'Cli-admin-pass\n');
    const dataDir = join(env.root, 'store');
    capture();
    await cmdInit({ 'data-dir': dataDir, institution: '测试小贷', admin: 'admin', 'password-file': pw });
    await cmdDemo({ 'data-dir': dataDir, user: 'admin', 'password-file': pw, borrowers: '40' });
    const out = capture();
    await cmdLoans({ 'data-dir': dataDir, user: 'supervisor1', 'password-file': pw, json: true });
    const overdue = (JSON.parse(out.join('')) as { contractNo: string; dpd: number }[]).find((l) => l.dpd > 0 && l.dpd <= 90)!;
    const bad = join(env.root, 'no-such-folder', 'n.pdf');
    await expect(cmdRender({ 'data-dir': dataDir, user: 'supervisor1', 'password-file': pw, doc: 'overdue-notice', loan: overdue.contractNo, out: bad })).rejects.toThrow(/无法写入/);
    const good = join(env.root, 'n.pdf');
    await cmdRender({ 'data-dir': dataDir, user: 'supervisor1', 'password-file': pw, doc: 'overdue-notice', loan: overdue.contractNo, out: good });
    const ctx = await (await import('../../src/main/cli/commands')).authenticated({ 'data-dir': dataDir, user: 'supervisor1', 'password-file': pw });
    const rows = await ctx.store!.db.selectFrom('notices').select(['serial', 'status']).orderBy('id').execute();
    ctx.close();
    expect(rows.map((r) => r.status)).toEqual(['void', 'printed']);
    expect(rows[0].serial).not.toBe(rows[1].serial);
  });

  it('rotate-keys: a new recovery key on stdout (and its sheet as a PDF); the old one opens nothing; a crash is resumed by running it again', async () => {
    env = newEnv();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, 'Cli-admin-pass\n');
    const dataDir = join(env.root, 'store');
    const db = join(dataDir, 'loankeeper.db');
    let out = capture();
    await cmdInit({ 'data-dir': dataDir, institution: '测试小贷', admin: 'admin', 'password-file': pw });
    const first = out.join('').trim();
    out = capture();
    const sheet = join(env.root, 'recovery.pdf');
    await cmdRotateKeys({ 'data-dir': dataDir, user: 'admin', 'password-file': pw, 'recovery-pdf': sheet });
    const second = out.join('').trim();
    expect(second).toMatch(/^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/);
    expect(readFileSync(sheet).subarray(0, 5).toString()).toBe('%PDF-');
    expect(dataKeyFromRecoveryKey(first, db)).toBeNull();
    const key = dataKeyFromRecoveryKey(second, db)!;
    expect(key).not.toBeNull();

    // Interrupted after the database changed key: the command fails; run again, it finishes and hands over a key.
    rotationFaults.at = 'rekeyed';
    capture();
    await expect(cmdRotateKeys({ 'data-dir': dataDir, user: 'admin', 'password-file': pw })).rejects.toThrow(/simulated crash/);
    out = capture();
    await cmdRotateKeys({ 'data-dir': dataDir, user: 'admin', 'password-file': pw });
    const third = out.join('').trim();
    out = capture();
    await cmdCheck({ 'data-dir': dataDir, user: 'admin', 'password-file': pw });
    expect(out.join('')).toMatch(/OK +数据库完整性[\s\S]*OK +审计哈希链[\s\S]*OK +数据库结构/);
    rmSync(join(dataDir, 'keyring.json'));
    expect(dataKeyFromRecoveryKey(second, db)).toBeNull();
    expect(dataKeyFromRecoveryKey(third, db)).not.toBeNull();
  });
});
