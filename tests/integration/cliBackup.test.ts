import { rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cmdBackup, cmdCheck, cmdInit, cmdRestore, cmdVerifyBackup } from '../../src/main/cli/commands';
import { LOCK_FILE } from '../../src/main/db/dataFolder';
import { newEnv, type TestEnv } from '../helpers/context';

// Each test sets up whole stores (scrypt for every user): more than the default when the machine is busy.
vi.setConfig({ testTimeout: 120_000 });

let env: TestEnv;
afterEach(() => {
  vi.restoreAllMocks();
  env?.cleanup();
});

/** What the command writes; progress goes to stderr, so it is kept too unless only stdout is asked for. */
function capture(stdoutOnly = false) {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stdoutOnly || out.push(String(s)), true));
  return out;
}

describe('CLI verify-backup and restore', () => {
  it('verifies a backup, refuses what is not one, and restores a damaged store; another installation needs its recovery key', async () => {
    env = newEnv();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, 'Cli-admin-pass\n');
    const dataDir = join(env.root, 'store');
    const other = join(env.root, 'other');
    let out = capture();
    await cmdInit({ 'data-dir': dataDir, institution: '测试小贷', admin: 'admin', 'password-file': pw });
    out = capture(true);
    await cmdInit({ 'data-dir': other, institution: '别处小贷', admin: 'admin', 'password-file': pw });
    const otherKey = join(env.root, 'other-key.txt');
    writeFileSync(otherKey, out.join('').trim());
    const flags = { 'data-dir': dataDir, user: 'admin', 'password-file': pw };
    const backup = join(env.root, 'b.lkbackup');
    out = capture();
    await cmdBackup({ ...flags, to: backup });
    expect(out.join('')).toMatch(/已备份到 .*b\.lkbackup\n核验通过 \(verified\)：\d+ 张表，档案文件 \d+ 个，与数据库一致。OK/);

    out = capture();
    await cmdVerifyBackup({ ...flags, file: backup });
    expect(out.join('')).toMatch(/机构 institution: 测试小贷[\s\S]*核验通过：可以用于恢复。OK/);

    const pdf = join(env.root, 'x.pdf');
    writeFileSync(pdf, '%PDF-1.4 not a backup');
    await expect(cmdVerifyBackup({ ...flags, file: pdf })).rejects.toThrow(`核验未通过 (verification failed)：${pdf} 是 PDF 文件，不是贷后管家的备份。`);
    await expect(cmdRestore({ ...flags, file: pdf })).rejects.toThrow('是 PDF 文件');

    const elsewhere = join(env.root, 'elsewhere.lkbackup');
    capture();
    await cmdBackup({ 'data-dir': other, user: 'admin', 'password-file': pw, to: elsewhere });
    await expect(cmdVerifyBackup({ ...flags, file: elsewhere })).rejects.toThrow('另一个安装');
    out = capture();
    await cmdVerifyBackup({ ...flags, file: elsewhere, 'recovery-key-file': otherKey });
    expect(out.join('')).toMatch(/别处小贷[\s\S]*另一个安装的备份，已用其恢复密钥打开[\s\S]*OK/);

    // The app has the folder open (another live process on this PC): refused.
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ host: hostname(), pid: process.ppid, since: new Date().toISOString(), heartbeat: new Date().toISOString() }));
    await expect(cmdRestore({ ...flags, file: backup })).rejects.toThrow('正被另一个程序使用');
    rmSync(join(dataDir, LOCK_FILE));

    // The database is cut short: check cannot even sign in; restore brings it back.
    const db = join(dataDir, 'loankeeper.db');
    truncateSync(db, Math.floor(statSync(db).size / 2) + 7);
    await expect(cmdCheck(flags)).rejects.toThrow();
    out = capture();
    await cmdRestore({ ...flags, file: backup });
    expect(out.join('')).toMatch(/… 核验备份[\s\S]*… 备份当前数据[\s\S]*… 替换数据库[\s\S]*已从 .* 恢复/);
    out = capture();
    await cmdCheck(flags);
    expect(out.join('')).not.toContain('FAIL');
  });
});
