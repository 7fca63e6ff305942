import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/ipc/errors';
import { appInfo, createInstitution, recoveryKeyPdf } from '../../src/main/features/app/setup';
import { login, logout } from '../../src/main/features/session/session';
import { ADMIN_PASSWORD, dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

const input = (dataDir: string) => ({
  institution: '星河商业保理有限公司',
  branch: '总部',
  dataDir,
  adminUsername: 'admin',
  adminName: '王管理',
  password: ADMIN_PASSWORD,
  locale: 'zh-CN' as const,
});

describe('first-run setup', () => {
  it('goes setup → recovery-confirm → ready, then login after a restart', async () => {
    env = newEnv();
    expect(appInfo(env.ctx).stage).toBe('setup');
    const { recoveryKey } = await createInstitution(env.ctx, input(env.dataDir));
    expect(recoveryKey).toMatch(/^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/);
    expect(appInfo(env.ctx)).toMatchObject({ stage: 'recovery-confirm', institution: '星河商业保理有限公司' });
    const dispatch = dispatcherFor(env.ctx);
    expect(await dispatch('setup.confirmRecoveryKey', { confirmed: false })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await dispatch('setup.confirmRecoveryKey', { confirmed: true })).toMatchObject({ ok: true, value: { stage: 'ready' } });
    const ctx = env.restart();
    expect(appInfo(ctx)).toMatchObject({ stage: 'login', institution: '星河商业保理有限公司', branch: '总部', session: null });
    await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    expect(appInfo(ctx).stage).toBe('ready');
  });

  it('an unconfirmed setup interrupted by a restart starts over and keeps the old files aside', async () => {
    env = newEnv();
    await createInstitution(env.ctx, input(env.dataDir));
    const ctx = env.restart();
    expect(appInfo(ctx).stage).toBe('setup');
    await createInstitution(ctx, input(env.dataDir));
    expect(readdirSync(env.dataDir).some((f) => f.startsWith('abandoned-setup-'))).toBe(true);
  });

  it('refuses a data folder that cannot be written, with a clear message on the field', async () => {
    env = newEnv();
    const blocker = join(env.root, 'a-file');
    writeFileSync(blocker, 'x');
    const err = (await createInstitution(env.ctx, input(join(blocker, 'data'))).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('IO');
    expect(err.message).toContain('无法写入');
    expect(err.issues?.[0].path).toBe('dataDir');
    expect(appInfo(env.ctx).stage).toBe('setup');
  });

  it('never overwrites a folder that already holds a confirmed store', async () => {
    env = newEnv();
    await setUp(env);
    const other = newEnv();
    try {
      const err = (await createInstitution(other.ctx, input(env.dataDir)).catch((e: unknown) => e)) as AppError;
      expect(err.code).toBe('CONFLICT');
      logout(env.ctx);
      await login(env.ctx, { username: 'admin', password: ADMIN_PASSWORD });
    } finally {
      other.cleanup();
    }
  });

  it('prints the recovery key as a one-page PDF with embedded Chinese fonts', async () => {
    env = newEnv();
    const { recoveryKey } = await createInstitution(env.ctx, input(env.dataDir));
    const { base64, fileName } = await recoveryKeyPdf(env.ctx);
    expect(fileName).toBe('贷后管家恢复密钥.pdf');
    const out = join(env.root, 'pdf');
    mkdirSync(out);
    const file = join(out, 'key.pdf');
    writeFileSync(file, Buffer.from(base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('贷后管家 恢复密钥');
    expect(text).toContain('星河商业保理有限公司');
    expect(text.replace(/[\s-]/g, '')).toContain(recoveryKey.replace(/-/g, ''));
    expect(text).toContain(recoveryKey.slice(0, 23));
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1\b/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
    expect(existsSync(file)).toBe(true);
  });
});
