import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../src/shared/ipc/app';
import { AppContext, type ShellHost } from '../../src/main/kernel/context';
import { ADMIN_PASSWORD, dispatcherFor } from '../helpers/context';
import { readBranchKeyring } from '../../src/main/db/branchKeyring';
import { joinDetails, startPgServer, type PgServer } from '../support/pgServer';
import { openPostgres } from '../../src/main/db/pg/connect';
import { reanchorAudit } from '../../src/main/features/audit/audit';
import { sql } from 'kysely';

/**
 * A branch set up on its server from one PC and joined from others, through the channels the wizard and the
 * sign-in page use: the keyring in the branch database opens for each user's password at any PC, failed
 * passwords count across PCs, and the database's password is kept by the OS (here a stand-in) or for the run only.
 */

let server: PgServer;
let root: string;
let url: string;
let dbPassword: string;
const contexts: AppContext[] = [];
/** The branch's recovery key, as the administrator took it at setup. */
let recoveryKey = '';

/** Stands in for Electron's safeStorage: reversible for this "user", never the plain text. */
const osVault: Pick<ShellHost, 'protectSecret' | 'revealSecret'> = {
  protectSecret: (text) => Buffer.from(`dpapi:${text}`).toString('base64').split('').reverse().join(''),
  revealSecret: (sealed) => {
    const t = Buffer.from(sealed.split('').reverse().join(''), 'base64').toString();
    return t.startsWith('dpapi:') ? t.slice(6) : null;
  },
};

function pc(name: string, withVault = false): { ctx: AppContext; call: <T>(channel: string, input: unknown) => Promise<T>; configDir: string } {
  const configDir = join(root, name);
  const ctx = new AppContext({ configDir, defaultDataDir: join(root, `${name}-data`), resourcesDir: resolve('resources') });
  if (withVault) ctx.shell = { pickFolder: async () => null, pickFile: async () => null, printPdf: async () => ({ outcome: 'cancelled', message: null }), openPdf: async () => '', ...osVault };
  contexts.push(ctx);
  const d = dispatcherFor(ctx);
  const call = async <T,>(channel: string, input: unknown): Promise<T> => {
    const r = (await d(channel as never, input as never)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value;
  };
  return { ctx, call, configDir };
}

const server1 = () => ({ url, dbPassword, ca: null });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lk-branch-signin-'));
  server = await startPgServer();
  ({ url, dbPassword } = joinDetails(server.url));
}, 120_000);

afterAll(async () => {
  // Signed out as the app does it: what runs after a sign-in (month-end snapshots…) finishes first.
  for (const c of contexts) {
    const store = c.store;
    await dispatcherFor(c)('session.logout', {});
    if (store?.kind === 'branch') await store.settled();
  }
  await new Promise((r) => setTimeout(r, 200));
  server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a branch on its server', () => {
  it('is set up from one PC, joined from another, and signed in at both', async () => {
    const admin = pc('admin-pc', true);
    const created = await admin.call<{ recoveryKey: string; server: string }>('setup.createOnServer', {
      ...server1(),
      institution: '测试小额贷款有限公司',
      branch: '营业部',
      adminUsername: 'admin',
      adminName: '王管理',
      password: ADMIN_PASSWORD,
      locale: 'zh-CN',
    });
    expect(created.recoveryKey.length).toBeGreaterThan(20);
    recoveryKey = created.recoveryKey;
    expect((await admin.call<AppInfo>('app.info', {})).stage).toBe('recovery-confirm');
    const ready = await admin.call<AppInfo>('setup.confirmRecoveryKey', { confirmed: true });
    expect(ready).toMatchObject({ stage: 'ready', institution: '测试小额贷款有限公司', dataDir: null, server: expect.stringMatching(/^127\.0\.0\.1:\d+\/loankeeper$/) });
    // The OS keeps the database password: config.json holds neither it nor the address with it.
    const config = readFileSync(join(admin.configDir, 'config.json'), 'utf8');
    expect(config).not.toContain(dbPassword);
    expect(JSON.parse(config).server.secret).toBeTruthy();

    for (const [username, roles] of [['officer1', ['officer']], ['supervisor1', ['supervisor']]] as const) {
      await admin.call('users.create', { username, displayName: username, roles, password: 'Officer-pass-2026' });
    }

    // A second setup on the same database is refused: it is joined instead.
    const other = pc('other-pc');
    await expect(other.call('setup.createOnServer', { ...server1(), institution: '另一家', branch: '', adminUsername: 'admin2', adminName: '李', password: ADMIN_PASSWORD, locale: 'zh-CN' })).rejects.toMatchObject({ code: 'CONFLICT' });

    const officer = pc('officer-pc');
    const joined = await officer.call<AppInfo>('setup.joinServer', { ...server1(), locale: 'zh-CN' });
    expect(joined).toMatchObject({ stage: 'login', institution: '测试小额贷款有限公司', branch: '营业部' });
    await expect(officer.call('session.login', { username: 'officer1', password: 'wrong-password-1' })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('4') });
    const signedIn = await officer.call<{ username: string; mustChangePassword: boolean }>('session.login', { username: 'officer1', password: 'Officer-pass-2026' });
    expect(signedIn).toMatchObject({ username: 'officer1', mustChangePassword: true });
    expect((await officer.call<AppInfo>('app.info', {})).stage).toBe('ready');
    // What the officer does lands in the chain the administrator's PC verifies.
    await officer.call('session.changePassword', { oldPassword: 'Officer-pass-2026', newPassword: 'Officer-new-pass-2026' });
    const check = await admin.call<{ ok: boolean; count: number }>('audit.verify', {});
    expect(check.ok).toBe(true);

    // The administrator renames the institution on the server: the branch's keyring follows in the same
    // transaction, and the officer's PC shows the new name from its next sign-in.
    const settings = await admin.call<Record<string, unknown>>('settings.get', {});
    await admin.call('settings.update', { ...settings, institution: '测试小额贷款股份有限公司', branch: '城东营业部' });
    expect(await admin.call<AppInfo>('app.info', {})).toMatchObject({ institution: '测试小额贷款股份有限公司', branch: '城东营业部' });
    const state = await readBranchKeyring(admin.ctx.store!.db);
    expect(state.kind === 'ok' && [state.keyring.institution, state.keyring.branch]).toEqual(['测试小额贷款股份有限公司', '城东营业部']);
    await officer.call('session.logout', {});
    expect(await officer.call<AppInfo>('app.info', {})).toMatchObject({ institution: '测试小额贷款有限公司' });
    await officer.call('session.login', { username: 'officer1', password: 'Officer-new-pass-2026' });
    await officer.call('session.logout', {});
    expect(await officer.call<AppInfo>('app.info', {})).toMatchObject({ stage: 'login', institution: '测试小额贷款股份有限公司', branch: '城东营业部' });
    expect(JSON.parse(readFileSync(join(officer.configDir, 'config.json'), 'utf8')).server.institution).toBe('测试小额贷款股份有限公司');
  }, 120_000);

  it('entries cut off the server after this PC saw them are caught here, and an administrator can re-anchor', async () => {
    const admin = pc('witness-pc', true);
    await admin.call('setup.joinServer', { ...server1(), locale: 'zh-CN' });
    await admin.call('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    // A write of this PC's: its witness of the head moves on to the whole chain as it now is.
    await admin.call('users.update', { username: 'officer1', displayName: '赵信贷', roles: ['officer'] });
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, problem: null });
    // Someone with the server's owner account and no key cuts the newest entries off, triggers disabled.
    const owner = openPostgres({ url: server.url });
    try {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(owner);
      await sql`DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log)`.execute(owner);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(owner);
    } finally {
      await owner.destroy();
    }
    // The chain left is whole in itself; this PC saw more of it.
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: false, problem: 'headAhead' });
    // The administrator's re-anchoring (the command line's `reanchor-audit`), recorded in the chain.
    await reanchorAudit(admin.ctx, { reason: '服务器日志被截断，已报告并查明' });
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, problem: null });
  }, 120_000);

  it('puts what is wrong with the connection on the wizard\'s fields: the database password, the CA certificate, TLS', async () => {
    const c = pc('wrong-pc');
    const refused = (input: object) => c.call('setup.joinServer', { ...server1(), locale: 'en', ...input }).then(() => null, (e: { code: string; issues?: { path: string; message: string }[] }) => e);
    // The server is reached and refuses the password.
    expect(await refused({ dbPassword: 'not-the-password' })).toMatchObject({ code: 'FORBIDDEN', issues: [{ path: 'dbPassword', message: expect.stringContaining('user or password is wrong') }] });
    // A CA certificate that is not PEM is refused before any connection.
    expect(await refused({ ca: 'hello' })).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'ca', message: expect.stringContaining('BEGIN CERTIFICATE') }] });
    // A server on another PC without TLS and without a CA: the rule lands on the CA certificate's field.
    const remote = url.replace('127.0.0.1', '192.0.2.10');
    expect(await refused({ url: remote })).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'ca', message: expect.stringContaining('192.0.2.10') }] });
    expect((await c.call<AppInfo>('app.info', {})).stage).toBe('setup');
  }, 60_000);

  it('counts failed passwords across PCs: five wrong guesses anywhere lock the user everywhere', async () => {
    const a = pc('guess-pc-a');
    const b = pc('guess-pc-b');
    await a.call('setup.joinServer', { ...server1(), locale: 'zh-CN' });
    await b.call('setup.joinServer', { ...server1(), locale: 'zh-CN' });
    for (let i = 0; i < 4; i++) await expect((i % 2 ? a : b).call('session.login', { username: 'supervisor1', password: `wrong-${i}-password` })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(a.call('session.login', { username: 'supervisor1', password: 'wrong-5-password' })).rejects.toMatchObject({ code: 'LOCKED' });
    // Locked at the other PC too, even with the right password.
    await expect(b.call('session.login', { username: 'supervisor1', password: 'Officer-pass-2026' })).rejects.toMatchObject({ code: 'LOCKED' });
  }, 120_000);

  it('without an OS store for secrets the password is kept for the run only, and asked for again after a restart', async () => {
    const c = pc('cli-pc');
    await c.call('setup.joinServer', { ...server1(), locale: 'en' });
    expect(readFileSync(join(c.configDir, 'config.json'), 'utf8')).not.toContain(dbPassword);
    await c.call('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    const restarted = new AppContext({ configDir: c.configDir, defaultDataDir: join(root, 'unused'), resourcesDir: resolve('resources') });
    contexts.push(restarted);
    const r = await dispatcherFor(restarted)('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(r).toMatchObject({ ok: false, error: { code: 'LOCKED', message: expect.stringContaining('database password') } });
  }, 120_000);

  it('a locked-out or forgotten password is reset with the branch\'s recovery key at any PC, for every PC', async () => {
    // supervisor1 is locked after the five wrong guesses above.
    const a = pc('recover-pc-a');
    const b = pc('recover-pc-b');
    await a.call('setup.joinServer', { ...server1(), locale: 'zh-CN' });
    await b.call('setup.joinServer', { ...server1(), locale: 'zh-CN' });
    const wrong = recoveryKey.replace(/^./, recoveryKey[0] === 'A' ? 'B' : 'A');
    await expect(a.call('session.recover', { recoveryKey: wrong, username: 'supervisor1', newPassword: 'Supervisor-new-2026' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(a.call('session.recover', { recoveryKey, username: 'nobody', newPassword: 'Supervisor-new-2026' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const s = await a.call<{ username: string; mustChangePassword: boolean }>('session.recover', { recoveryKey: recoveryKey.toLowerCase().replace(/-/g, ' '), username: 'supervisor1', newPassword: 'Supervisor-new-2026' });
    expect(s).toMatchObject({ username: 'supervisor1', mustChangePassword: false });
    // At the other PC: the lock is lifted, the new password opens, the old one no longer does.
    await expect(b.call('session.login', { username: 'supervisor1', password: 'Officer-pass-2026' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(b.call('session.login', { username: 'supervisor1', password: 'Supervisor-new-2026' })).resolves.toMatchObject({ username: 'supervisor1' });
    const trail = await b.ctx.store!.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'session.recover').execute();
    expect(trail).toEqual([{ actor: 'supervisor1', action: 'session.recover' }]);
  }, 120_000);

  it('an administrator replaces the branch\'s recovery key from a PC: the old sheet opens nothing anywhere, the new one does', async () => {
    const admin = pc('keys-pc');
    const other = pc('keys-pc-other');
    await admin.call('setup.joinServer', { ...server1(), locale: 'zh-CN' });
    await other.call('setup.joinServer', { ...server1(), locale: 'zh-CN' });
    await admin.call('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    const before = await admin.call<{ recoveryKind: string; recoveryKeyId: string; rotation: unknown; pendingRecoveryKey: string | null }>('keys.status', {});
    expect(before).toMatchObject({ recoveryKind: 'wrapped', rotation: null, pendingRecoveryKey: null });
    const { recoveryKey: fresh } = await admin.call<{ recoveryKey: string }>('keys.newRecoveryKey', { confirmed: true });
    const sheet = await admin.call<{ base64: string }>('keys.recoveryKeyPdf', {});
    expect(Buffer.from(sheet.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    // Until it is confirmed, the old key still works.
    expect((await admin.call<{ recoveryKeyId: string }>('keys.status', {})).recoveryKeyId).toBe(before.recoveryKeyId);
    await admin.call('keys.confirmRecoveryKey', { confirmed: true });
    const after = await admin.call<{ recoveryKeyId: string; pendingRecoveryKey: string | null }>('keys.status', {});
    expect(after.recoveryKeyId).not.toBe(before.recoveryKeyId);
    expect(after.pendingRecoveryKey).toBeNull();
    await expect(other.call('session.recover', { recoveryKey, username: 'officer1', newPassword: 'Officer1-reset-2026' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(other.call('session.recover', { recoveryKey: fresh, username: 'officer1', newPassword: 'Officer1-reset-2026' })).resolves.toMatchObject({ username: 'officer1' });
    const trail = await other.ctx.store!.db.selectFrom('audit_log').select(['actor', 'action', 'entity_id']).where('action', '=', 'keys.replaceRecoveryKey').execute();
    expect(trail).toEqual([{ actor: 'admin', action: 'keys.replaceRecoveryKey', entity_id: expect.stringMatching(/^127\.0\.0\.1:\d+\/loankeeper$/) }]);
    recoveryKey = fresh;
  }, 120_000);
});
