import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, isUncPath, LOCK_FILE, networkFsName, networkLocation } from '../../src/main/db/dataFolder';
import { createInstitution } from '../../src/main/features/app/setup';
import { login } from '../../src/main/features/session/session';
import { ADMIN_PASSWORD, fail, newEnv, setUp, type TestEnv } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('data folder on a network share', () => {
  it('recognises UNC paths and network file systems, and not local ones', () => {
    for (const p of ['\\\\fileserver\\贷后\\data', '//nas/share/data', '\\\\?\\UNC\\server\\share']) expect(isUncPath(p), p).toBe(true);
    for (const p of ['C:\\LoanKeeper\\data', 'E:\\', '/home/user/data', '\\\\?\\C:\\data', 'data']) expect(isUncPath(p), p).toBe(false);
    expect(networkFsName(0x6969)).toBe('NFS');
    expect(networkFsName(0xff534d42)).toBe('CIFS');
    expect(networkFsName(0xfe534d42)).toBe('SMB2');
    expect(networkFsName(0xef53)).toBeNull(); // ext4
    expect(networkFsName(0x01021994)).toBeNull(); // tmpfs
    expect(networkLocation(process.cwd())).toBeNull();
  });

  it('the wizard refuses a share with a clear message and writes nothing', async () => {
    env = newEnv();
    const e = await fail(createInstitution(env.ctx, { institution: '星河小贷', branch: '', dataDir: '//fileserver/贷后/data', adminUsername: 'admin', adminName: '王管理', password: ADMIN_PASSWORD, locale: 'zh-CN' }));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('网络共享');
    expect(e.issues?.[0].path).toBe('dataDir');
  });
});

describe('data.lock', () => {
  it('names the PC that holds the folder, is taken over when stale, and is removed on close', async () => {
    env = newEnv();
    await setUp(env);
    const lockFile = join(env.dataDir, LOCK_FILE);
    // setUp left the store open: the lock is ours.
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    const ctx = env.restart();
    expect(existsSync(lockFile)).toBe(false);
    // Another PC's fresh heartbeat: sign-in is refused, naming that PC.
    const now = env.clock.now().toISOString();
    writeFileSync(lockFile, JSON.stringify({ host: 'CREDIT-PC-07', pid: 4242, since: now, heartbeat: now }));
    const e = await fail(login(ctx, { username: 'admin', password: ADMIN_PASSWORD }));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('CREDIT-PC-07');
    expect(ctx.store).toBeNull();
    // Three minutes without a heartbeat: that PC stopped without closing; the lock is taken over.
    env.clock.advance(3 * 60_000);
    await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('two processes of the same PC share the folder', () => {
    env = newEnv();
    mkdirSync(env.dataDir, { recursive: true });
    const a = acquireDataLock(env.dataDir);
    expect('heldBy' in a).toBe(false);
    const other = acquireDataLock(env.dataDir, () => new Date(), 'OTHER-PC');
    expect(other).toMatchObject({ heldBy: { pid: process.pid } });
    if (!('heldBy' in a)) a.release();
    expect(existsSync(join(env.dataDir, LOCK_FILE))).toBe(false);
  });
});
