import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readKeyring, wrapKey } from '../../src/main/db/keyring';
import { dataKeyFromRecoveryKey, parseRecoveryKey } from '../../src/main/db/recoveryKey';
import { changePassword, login, logout, recover } from '../../src/main/features/session/session';
import { createUser, resetPassword, setUserDisabled } from '../../src/main/features/users/users';
import { ADMIN_PASSWORD, fail, newEnv, setUp, sha256File, type TestEnv, localStoreOf } from '../helpers/context';
import { createInstitution } from '../../src/main/features/app/setup';
import { backupTo } from '../../src/main/features/backups/maintenance';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('keyring and users', () => {
  it('a reset re-wraps the same data key: the user logs in with the new password, nothing is re-encrypted', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'First-pass-1' });
    const dataKeyBefore = Buffer.from(localStoreOf(env.ctx).dataKey);
    const wrapBefore = readKeyring(env.dataDir);
    await resetPassword(env.ctx, { username: 'officer1', newPassword: 'Second-pass-2' });
    const wrapAfter = readKeyring(env.dataDir);
    if (wrapBefore.kind !== 'ok' || wrapAfter.kind !== 'ok') throw new Error('keyring');
    expect(wrapAfter.keyring.users.officer1.data).not.toBe(wrapBefore.keyring.users.officer1.data);
    expect(wrapAfter.keyring.keyCheck).toBe(wrapBefore.keyring.keyCheck);
    logout(env.ctx);
    expect((await fail(login(env.ctx, { username: 'officer1', password: 'First-pass-1' }))).code).toBe('FORBIDDEN');
    const s = await login(env.ctx, { username: 'officer1', password: 'Second-pass-2' });
    expect(s.mustChangePassword).toBe(true);
    expect(localStoreOf(env.ctx).dataKey.equals(dataKeyBefore)).toBe(true);
    const changed = await changePassword(env.ctx, { oldPassword: 'Second-pass-2', newPassword: 'Third-pass-3' });
    expect(changed.mustChangePassword).toBe(false);
    logout(env.ctx);
    await login(env.ctx, { username: 'officer1', password: 'Third-pass-3' });
  });

  it('a disabled user can no longer unwrap the key; enabling needs a new password', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'officer2', displayName: '赵信贷', roles: ['officer'], password: 'Officer2-pass' });
    await setUserDisabled(env.ctx, { username: 'officer2', disabled: true, reason: '离职' });
    const kr = readKeyring(env.dataDir);
    expect(kr.kind === 'ok' && kr.keyring.users.officer2).toBeFalsy();
    expect((await fail(setUserDisabled(env.ctx, { username: 'officer2', disabled: false, reason: '返岗' }))).code).toBe('VALIDATION');
    logout(env.ctx);
    const e = await fail(login(env.ctx, { username: 'officer2', password: 'Officer2-pass' }));
    expect(e.message).toContain('停用');
    await login(env.ctx, { username: 'admin', password: ADMIN_PASSWORD });
    await setUserDisabled(env.ctx, { username: 'officer2', disabled: false, reason: '返岗', newPassword: 'Officer2-new' });
    logout(env.ctx);
    await login(env.ctx, { username: 'officer2', password: 'Officer2-new' });
  });

  it('forgotten admin password: the recovery key unlocks and sets a new password; a wrong key is refused', async () => {
    env = newEnv();
    const key = await setUp(env);
    const ctx = env.restart();
    const wrong = key.replace(/^./, key[0] === 'A' ? 'B' : 'A');
    expect((await fail(recover(ctx, { recoveryKey: wrong, username: 'admin', newPassword: 'Brand-new-pass' }))).code).toBe('FORBIDDEN');
    const before = sha256File(join(env.dataDir, 'loankeeper.db'));
    expect(sha256File(join(env.dataDir, 'loankeeper.db'))).toBe(before);
    const s = await recover(ctx, { recoveryKey: key.toLowerCase().replace(/-/g, ' '), username: 'admin', newPassword: 'Brand-new-pass' });
    expect(s.username).toBe('admin');
    logout(ctx);
    expect((await fail(login(ctx, { username: 'admin', password: ADMIN_PASSWORD }))).code).toBe('FORBIDDEN');
    await login(ctx, { username: 'admin', password: 'Brand-new-pass' });
  });

  it.each([
    ['missing', (f: string) => rmSync(f)],
    ['damaged', (f: string) => writeFileSync(f, '{"format": "loankeeper-keyring", "vers')],
  ])('a %s keyring with an intact database: login explains, the recovery key still works and rewrites the keyring', async (kind, damage) => {
    env = newEnv();
    const key = await setUp(env);
    await createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'Officer-pass-1' });
    const krFile = join(env.dataDir, 'keyring.json');
    const ctx = env.restart();
    damage(krFile);
    const e = await fail(login(ctx, { username: 'admin', password: ADMIN_PASSWORD }));
    expect(e.code).toBe('IO');
    expect(e.message).toContain('恢复密钥');
    expect(e.message).toContain(krFile);
    await recover(ctx, { recoveryKey: key, username: 'admin', newPassword: 'After-recovery-1' });
    const kr = readKeyring(env.dataDir);
    expect(kr.kind).toBe('ok');
    if (kind === 'damaged') expect(readdirSync(env.dataDir).some((f) => f.startsWith('keyring.json.damaged-'))).toBe(true);
    // The other users' wraps came back from the database mirror.
    logout(ctx);
    await login(ctx, { username: 'officer1', password: 'Officer-pass-1' });
    expect(JSON.parse(readFileSync(krFile, 'utf8')).setupConfirmed).toBe(true);
    expect(existsSync(krFile)).toBe(true);
  });

  it('keyring deleted: the recovery key opens everything through recovery.json; it is a wrap, not the data key', async () => {
    env = newEnv();
    const key = await setUp(env);
    const dataKey = Buffer.from(localStoreOf(env.ctx).dataKey);
    const parsed = parseRecoveryKey(key)!;
    expect(parsed.legacyDataKey).toBeNull();
    expect(parsed.secret!.equals(dataKey)).toBe(false);
    await createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'Officer-pass-1' });
    const recoveryFile = join(env.dataDir, 'recovery.json');
    const side = JSON.parse(readFileSync(recoveryFile, 'utf8'));
    expect(side).toMatchObject({ format: 'loankeeper-recovery', wrap: { v: 2, kdf: 'hkdf-sha256' } });
    expect(readFileSync(recoveryFile, 'utf8')).not.toContain(dataKey.toString('base64'));
    const ctx = env.restart();
    rmSync(join(env.dataDir, 'keyring.json'));
    expect(dataKeyFromRecoveryKey(key, join(env.dataDir, 'loankeeper.db'))!.equals(dataKey)).toBe(true);
    await recover(ctx, { recoveryKey: key, username: 'admin', newPassword: 'After-recovery-1' });
    const kr = readKeyring(env.dataDir);
    expect(kr.kind === 'ok' && kr.keyring.recovery?.id).toBe(side.wrap.id);
    logout(ctx);
    await login(ctx, { username: 'officer1', password: 'Officer-pass-1' });
    // recovery.json lost too: written again from the database at the next open.
    rmSync(recoveryFile);
    logout(ctx);
    await login(ctx, { username: 'officer1', password: 'Officer-pass-1' });
    expect(JSON.parse(readFileSync(recoveryFile, 'utf8')).wrap.id).toBe(side.wrap.id);
  });

  it('new passwords follow the rule (setup, new user, reset, change, recovery); an older weak password still signs in and must be changed', async () => {
    env = newEnv();
    const problems = async (p: Promise<unknown>) => (await fail(p)).issues?.map((i) => i.message);
    const setup = { institution: '杭州测试小额贷款股份有限公司', branch: '', dataDir: env.dataDir, adminUsername: 'admin', adminName: '王管理', locale: 'zh-CN' as const };
    expect(await problems(createInstitution(env.ctx, { ...setup, password: '杭州测试小额贷款股份有限公司' }))).toEqual(['密码不能是机构名称']);
    expect(existsSync(join(env.dataDir, 'loankeeper.db'))).toBe(false);
    const key = await setUp(env);
    expect(await problems(createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'Short-pw-1' }))).toEqual([expect.stringContaining('12')]);
    expect(await problems(createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'officer1-2026!' }))).toEqual(['密码不能是用户名']);
    expect(await problems(createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'Password1234' }))).toEqual([expect.stringContaining('常见')]);
    await createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: '春眠不觉晓处处闻啼鸟' + '夜来' });
    expect(await problems(resetPassword(env.ctx, { username: 'officer1', newPassword: '测试小额贷款有限公司2026' }))).toEqual(['密码不能是机构名称']);
    expect(await problems(changePassword(env.ctx, { oldPassword: ADMIN_PASSWORD, newPassword: 'qwertyuiop123' }))).toEqual([expect.stringContaining('常见')]);
    // A password from before the rule (set here behind the rule's back) still opens, once, to be changed.
    const keyring = readKeyring(env.dataDir);
    if (keyring.kind !== 'ok') throw new Error('keyring');
    const weak = wrapKey(localStoreOf(env.ctx).dataKey, 'secret88');
    keyring.keyring.users.officer1 = weak;
    localStoreOf(env.ctx).sqlite.prepare('UPDATE key_wraps SET wrap = ? WHERE username = ?').run(JSON.stringify(weak), 'officer1');
    localStoreOf(env.ctx).sqlite.prepare('UPDATE users SET must_change_password = 0 WHERE username = ?').run('officer1');
    writeFileSync(join(env.dataDir, 'keyring.json'), JSON.stringify(keyring.keyring));
    logout(env.ctx);
    const s = await login(env.ctx, { username: 'officer1', password: 'secret88' });
    expect(s).toMatchObject({ mustChangePassword: true, mustChangeReason: 'rule' });
    const changed = await changePassword(env.ctx, { oldPassword: 'secret88', newPassword: 'a much longer pass phrase' });
    logout(env.ctx);
    expect(await problems(recover(env.ctx, { recoveryKey: key, username: 'officer1', newPassword: 'abcabcabcabc' }))).toEqual([expect.stringContaining('常见')]);
    expect(changed).toMatchObject({ mustChangePassword: false, mustChangeReason: null });
    logout(env.ctx);
    expect(await login(env.ctx, { username: 'officer1', password: 'a much longer pass phrase' })).toMatchObject({ mustChangePassword: false });
  });

  it('a backup carries the recovery wrap beside it: the recovery key opens the copy alone, elsewhere', async () => {
    env = newEnv();
    const key = await setUp(env);
    const dataKey = Buffer.from(localStoreOf(env.ctx).dataKey);
    const backup = join(env.root, 'backup.db');
    await backupTo(env.ctx, backup);
    const elsewhere = join(env.root, 'elsewhere');
    mkdirSync(elsewhere);
    copyFileSync(backup, join(elsewhere, 'copy.db'));
    expect(dataKeyFromRecoveryKey(key, join(elsewhere, 'copy.db'))).toBeNull();
    copyFileSync(`${backup}.recovery.json`, join(elsewhere, 'copy.db.recovery.json'));
    expect(dataKeyFromRecoveryKey(key, join(elsewhere, 'copy.db'))!.equals(dataKey)).toBe(true);
  });
});
