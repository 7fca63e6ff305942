import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { heartbeat, lock, login, unlock } from '../../src/main/features/session/session';
import { listUsers } from '../../src/main/features/users/users';
import { ADMIN_PASSWORD, fail, newEnv, setUp, sha256File, type TestEnv } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('lockout and idle lock', () => {
  it('five wrong passwords lock the user for five minutes, across a restart, without touching the database', async () => {
    env = newEnv();
    await setUp(env);
    let ctx = env.restart();
    const db = join(env.dataDir, 'loankeeper.db');
    const before = sha256File(db);
    for (let i = 1; i <= 4; i++) {
      const e = await fail(login(ctx, { username: 'admin', password: `wrong-${i}` }));
      expect(e.code).toBe('FORBIDDEN');
      expect(e.message).toContain(`还可尝试 ${5 - i} 次`);
    }
    const locked = await fail(login(ctx, { username: 'admin', password: 'wrong-5' }));
    expect(locked.code).toBe('LOCKED');
    expect(locked.message).toMatch(/请在 \d\d:\d\d:\d\d 之后再试/);
    // Even the right password is refused while locked, also after a restart.
    ctx = env.restart();
    env.clock.advance(4 * 60_000 + 59_000);
    expect((await fail(login(ctx, { username: 'admin', password: ADMIN_PASSWORD }))).code).toBe('LOCKED');
    expect(sha256File(db)).toBe(before);
    env.clock.advance(2_000);
    const s = await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    expect(s.username).toBe('admin');
  });

  it('locks after the idle minutes; only the password unlocks', async () => {
    env = newEnv();
    await setUp(env);
    expect(heartbeat(env.ctx)).toEqual({ locked: false });
    env.clock.advance(14 * 60_000);
    expect((await listUsers(env.ctx)).length).toBe(1);
    env.clock.advance(15 * 60_000 + 1);
    const e = await fail(listUsers(env.ctx));
    expect(e.code).toBe('LOCKED');
    expect(heartbeat(env.ctx)).toEqual({ locked: true });
    expect((await fail(unlock(env.ctx, { password: 'not-it' }))).code).toBe('FORBIDDEN');
    await unlock(env.ctx, { password: ADMIN_PASSWORD });
    expect((await listUsers(env.ctx)).length).toBe(1);
    lock(env.ctx);
    expect((await fail(listUsers(env.ctx))).code).toBe('LOCKED');
  });
});
