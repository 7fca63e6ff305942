import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readKeyring } from '../../src/main/db/keyring';
import { recordAudit } from '../../src/main/kernel/audit';
import { verifyAudit } from '../../src/main/features/audit/audit';
import { login, logout } from '../../src/main/features/session/session';
import { DEFAULT_SETTINGS } from '../../src/main/kernel/settings';
import { updateSettings } from '../../src/main/features/settings/settings';
import { confirmRecoveryKey, createInstitution, stageOf } from '../../src/main/features/app/setup';
import { createUser, setUserDisabled, updateUser } from '../../src/main/features/users/users';
import { ADMIN_PASSWORD, fail, newEnv, setUp, type TestEnv } from '../helpers/context';

// The process "dies" between the database commit and the keyring write: every keyring write throws while
// `crash.on` is set, as if the machine had stopped there. Then the app starts again on the same folder.
const crash = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/main/db/keyring', async (original) => {
  const m = await original<typeof import('../../src/main/db/keyring')>();
  return {
    ...m,
    writeKeyring: (...a: Parameters<typeof m.writeKeyring>) => {
      if (crash.on) throw new Error('simulated crash before the keyring write');
      m.writeKeyring(...a);
    },
  };
});

let env: TestEnv;
afterEach(() => {
  crash.on = false;
  env?.cleanup();
});

function keyring() {
  const kr = readKeyring(env.dataDir);
  if (kr.kind !== 'ok') throw new Error('keyring');
  return kr.keyring;
}

async function crashing<T>(p: () => Promise<T>): Promise<void> {
  crash.on = true;
  try {
    await p();
  } catch {
    // the "crash"
  } finally {
    crash.on = false;
  }
}

describe('a crash between the database commit and the keyring write', () => {
  it('a new user: the wrap is in the database only; the next start copies it into the keyring', async () => {
    env = newEnv();
    await setUp(env);
    await crashing(() => createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'Officer1-pass' }));
    expect(keyring().users.officer1).toBeUndefined();
    const ctx = env.restart();
    expect((await fail(login(ctx, { username: 'officer1', password: 'Officer1-pass' }))).code).toBe('FORBIDDEN');
    await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    expect(keyring().users.officer1).toBeDefined();
    logout(ctx);
    await login(ctx, { username: 'officer1', password: 'Officer1-pass' });
  });

  it('a disabled user: the keyring still holds the wrap, but the database refuses the login and the wrap goes', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'officer2', displayName: '赵信贷', roles: ['officer'], password: 'Officer2-pass' });
    await crashing(() => setUserDisabled(env.ctx, { username: 'officer2', disabled: true, reason: '离职' }));
    expect(keyring().users.officer2).toBeDefined();
    const ctx = env.restart();
    expect((await fail(login(ctx, { username: 'officer2', password: 'Officer2-pass' }))).message).toContain('停用');
    expect(keyring().users.officer2).toBeUndefined();
    expect(keyring().disabled).toContain('officer2');
  });

  it('the institution name: the keyring keeps the old one until the next start', async () => {
    env = newEnv();
    await setUp(env);
    await crashing(() => updateSettings(env.ctx, { ...DEFAULT_SETTINGS, institution: '新名称小额贷款有限公司', branch: '城西支行' }));
    expect(keyring().institution).not.toBe('新名称小额贷款有限公司');
    await login(env.restart(), { username: 'admin', password: ADMIN_PASSWORD });
    expect(keyring()).toMatchObject({ institution: '新名称小额贷款有限公司', branch: '城西支行' });
  });

  it('setup: the recovery key confirmed in the database but not in the keyring means setup again, old files kept', async () => {
    env = newEnv();
    await createInstitution(env.ctx, { institution: '甲公司', branch: '', dataDir: env.dataDir, adminUsername: 'admin', adminName: '管理员', password: ADMIN_PASSWORD, locale: 'zh-CN' });
    await crashing(() => confirmRecoveryKey(env.ctx));
    const ctx = env.restart();
    expect(stageOf(ctx)).toBe('setup');
    await createInstitution(ctx, { institution: '甲公司', branch: '', dataDir: env.dataDir, adminUsername: 'admin', adminName: '管理员', password: ADMIN_PASSWORD, locale: 'zh-CN' });
    await confirmRecoveryKey(ctx);
    expect(readdirSync(env.dataDir).some((f) => f.startsWith('abandoned-setup-'))).toBe(true);
    expect(await verifyAudit(ctx)).toMatchObject({ ok: true, count: 2, lag: 0 });
  });

  it('the audit head: it lags by the entries committed, which is not tampering, and catches up at the next start', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'officer3', displayName: '钱信贷', roles: ['officer'], password: 'Officer3-pass' });
    await crashing(() => updateUser(env.ctx, { username: 'officer3', displayName: '钱信贷二', roles: ['officer'] }));
    await crashing(() => updateUser(env.ctx, { username: 'officer3', displayName: '钱信贷三', roles: ['officer'] }));
    const lagging = await verifyAudit(env.ctx);
    expect(lagging).toMatchObject({ ok: true, problem: null, lag: 2 });
    expect(lagging.outside!.count).toBe(lagging.count - 2);
    const ctx = env.restart();
    await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    expect(await verifyAudit(ctx)).toMatchObject({ ok: true, lag: 0 });
  });

  it('a rolled-back transaction moves neither the chain nor the head', async () => {
    env = newEnv();
    await setUp(env);
    const before = await verifyAudit(env.ctx);
    await expect(
      env.ctx.store!.db.transaction().execute(async (trx) => {
        await recordAudit(trx, env.ctx.nowIso(), { actor: 'admin', action: 'test.write', entity: 'test', entityId: '1' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await verifyAudit(env.ctx)).toEqual(before);
    expect(keyring().auditHead).toMatchObject(before.outside!);
  });
});
