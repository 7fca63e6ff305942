import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readKeyring } from '../../src/main/db/keyring';
import { changePassword, login, logout, recover } from '../../src/main/services/session';
import { createUser, resetPassword, setUserDisabled } from '../../src/main/services/users';
import { ADMIN_PASSWORD, fail, newEnv, setUp, sha256File, type TestEnv } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('keyring and users', () => {
  it('a reset re-wraps the same data key: the user logs in with the new password, nothing is re-encrypted', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'First-pass-1' });
    const dataKeyBefore = Buffer.from(env.ctx.store!.dataKey);
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
    expect(env.ctx.store!.dataKey.equals(dataKeyBefore)).toBe(true);
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
});
