import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appInfo } from '../../src/main/features/app/setup';
import { login } from '../../src/main/features/session/session';
import { ADMIN_PASSWORD, dispatcherFor, newEnv, setUp, sha256File, type TestEnv } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('a data folder that cannot be used at start-up', () => {
  it('a removed drive: says so, creates nothing in its place, and opens the folder where the data is now', async () => {
    env = newEnv();
    await setUp(env);
    const moved = join(env.root, 'E-drive', 'data');
    mkdirSync(join(env.root, 'E-drive'));
    renameSync(env.dataDir, moved);
    const ctx = env.restart();
    expect(appInfo(ctx)).toMatchObject({ stage: 'data-unavailable', dataProblem: { kind: 'missing', dir: env.dataDir } });
    const d = dispatcherFor(ctx);
    // Signing in is not offered, and nothing is created where the folder was.
    expect(await d('session.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: false });
    expect(existsSync(env.dataDir)).toBe(false);
    // An empty folder is refused, in words.
    mkdirSync(join(env.root, 'empty'));
    const wrong = await d('setup.useDataDir', { dataDir: join(env.root, 'empty') });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'dataDir' }] } });
    expect(JSON.stringify(wrong)).toContain('没有贷后管家数据库');
    expect(readdirSync(join(env.root, 'empty'))).toEqual([]);
    // The folder it was moved to is accepted, remembered across a restart, and signs in.
    expect(await d('setup.useDataDir', { dataDir: moved })).toMatchObject({ ok: true, value: { stage: 'login', dataProblem: null, dataDir: moved } });
    const again = env.restart();
    expect(appInfo(again)).toMatchObject({ stage: 'login', dataDir: moved });
    await login(again, { username: 'admin', password: ADMIN_PASSWORD });
    expect(appInfo(again).stage).toBe('ready');
  });

  it('a folder whose database is gone is not mistaken for a first run; forgetting it leaves its files as they are', async () => {
    env = newEnv();
    await setUp(env);
    const keyring = join(env.dataDir, 'keyring.json');
    const before = sha256File(keyring);
    rmSync(join(env.dataDir, 'loankeeper.db'));
    rmSync(join(env.dataDir, 'loankeeper.db-wal'), { force: true });
    rmSync(join(env.dataDir, 'loankeeper.db-shm'), { force: true });
    const ctx = env.restart();
    expect(appInfo(ctx)).toMatchObject({ stage: 'data-unavailable', dataProblem: { kind: 'no-store' } });
    const d = dispatcherFor(ctx);
    expect(await d('setup.forgetDataDir', { confirmed: true })).toMatchObject({ ok: true, value: { stage: 'setup', dataDir: null } });
    expect(sha256File(keyring)).toBe(before);
  });

  it('forgetting a folder that works is refused', async () => {
    env = newEnv();
    await setUp(env);
    const d = dispatcherFor(env.restart());
    expect(await d('setup.forgetDataDir', { confirmed: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(appInfo(env.ctx).stage).toBe('login');
  });
});
