import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackupView } from '../../src/shared/ipc/backups';
import type { AppError, Result } from '../../src/shared/ipc/errors';
import { openSqlite } from '../../src/main/db/open';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { openBackup, readFacts } from '../../src/main/db/backupFiles';
import { AUTO_PATTERN, backupNow, backupOnQuit, backupStatus, listBackups, saveBackupSettings, settleBackups, verifyWritten } from '../../src/main/features/backups/backups';
import { createBorrower } from '../../src/main/features/borrowers/borrowers';
import { ADMIN_PASSWORD, dispatcherFor, fail, newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';
import { borrower, createStaff, loan, loginAs, residentId } from '../helpers/portfolio';

// Each test sets up whole stores (scrypt for every user): more than the default when the machine is busy.
vi.setConfig({ testTimeout: 120_000 });

const envs: TestEnv[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const e of envs.splice(0)) e.cleanup();
});

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from('JFIF\0BACKUP-SCAN'), randomBytes(300_000)]);
const PDF = Buffer.from('%PDF-1.4\n% 借款合同 BACKUP-PDF\n%%EOF\n');
const DAY = 86_400_000;

/** A store with a loan, two documents in the file store, and the admin signed in. */
async function world() {
  const env = newEnv();
  envs.push(env);
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const l = await loan(env.ctx, (await borrower(env.ctx, '张三')).id, { contractNo: 'HT-2026-001' });
  await addDocument(env.ctx, { loanId: l.loan.id, docType: 'iou', fileName: '借据.jpg', base64: JPEG.toString('base64') });
  await addDocument(env.ctx, { loanId: l.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF.toString('base64') });
  await loginAs(env.ctx, 'admin');
  const usb = join(env.root, 'usb');
  mkdirSync(usb);
  return { env, usb, loanId: l.loan.id };
}

describe('back up now', () => {
  it('writes one encrypted file with the documents inside, reads it back, compares it with the store and lists it', async () => {
    const { env, usb } = await world();
    const b = await backupNow(env.ctx, { dir: usb });
    expect(b).toMatchObject({ trigger: 'manual', status: 'verified', stage: null, reason: null, documents: 2, madeBy: 'admin', removed: false });
    // The backup, and beside it the recovery key's wrap (so that the recovery key opens it on another PC).
    expect(readdirSync(usb).sort()).toEqual([b.file.slice(usb.length + 1), `${b.file.slice(usb.length + 1)}.recovery.json`]);
    expect(b.file).toMatch(/LoanKeeper-2026-11-23_09-00-00\.lkbackup$/);
    expect(b.size).toBe(statSync(b.file).size);
    expect(b.tables).toBeGreaterThan(20);
    // Encrypted: neither the scan nor the PDF is readable in the file.
    const raw = readFileSync(b.file);
    expect(raw.includes(Buffer.from('BACKUP-SCAN'))).toBe(false);
    expect(raw.includes(Buffer.from('SQLite format 3'))).toBe(false);
    const copy = openBackup(b.file, localStoreOf(env.ctx).dataKey);
    expect(readFacts(copy).docs.every((d) => d.ref === null)).toBe(true);
    copy.close();
    expect((await listBackups(env.ctx))[0]).toEqual(b);
    // A second one in the same second gets its own name.
    const again = await backupNow(env.ctx, { dir: usb });
    expect(again.file).toMatch(/_09-00-00-2\.lkbackup$/);
  });

  it('the home page status: the newest verified backup and its age; a warning after 3 days', async () => {
    const { env, usb } = await world();
    expect(await backupStatus(env.ctx)).toMatchObject({ lastVerified: null, ageDays: null, warn: true });
    const b = await backupNow(env.ctx, { dir: usb });
    expect(await backupStatus(env.ctx)).toMatchObject({ lastVerified: { id: b.id }, ageDays: 0, warn: false, lastFailure: null });
    env.clock.advance(3 * DAY);
    await loginAs(env.ctx, 'admin');
    expect(await backupStatus(env.ctx)).toMatchObject({ ageDays: 3, warn: false });
    env.clock.advance(60_000);
    expect(await backupStatus(env.ctx)).toMatchObject({ ageDays: 3, warn: true });
    rmSync(usb, { recursive: true });
    await fail(backupNow(env.ctx, { dir: usb }));
    const s = await backupStatus(env.ctx);
    expect(s.lastFailure?.reason).toContain('不存在');
  });

  it('verification names what differs: a table count, a document whose bytes changed', async () => {
    const { env, usb } = await world();
    const store = localStoreOf(env.ctx);
    const source = readFacts(store);
    const b = await backupNow(env.ctx, { dir: usb });
    expect((await verifyWritten(store, b.file, source)).problem).toBeNull();
    // Alter the copy behind our back: one document's bytes, then one row fewer.
    const copy = openSqlite(b.file, store.dataKey, { create: false });
    copy.pragma('journal_mode=DELETE');
    copy.prepare(`UPDATE documents SET content = ? WHERE file_name = '借款合同.pdf'`).run(Buffer.from('%PDF-1.4 changed'));
    copy.close();
    expect((await verifyWritten(store, b.file, source)).problem).toMatchObject({ key: 'backups.problems.documentDiffers', params: { name: '借款合同.pdf' } });
    const again = openSqlite(b.file, store.dataKey, { create: false });
    again.pragma('journal_mode=DELETE');
    again.prepare(`DELETE FROM settings WHERE key = 'branch'`).run();
    again.close();
    expect((await verifyWritten(store, b.file, source)).problem).toMatchObject({ key: 'backups.problems.tableCount', params: { table: 'settings' } });
  });

  it('a missing folder, a full disk and a pulled stick each get their own message; nothing is left under the final name', async () => {
    const { env, usb } = await world();
    const missing = await fail(backupNow(env.ctx, { dir: join(usb, 'nope') }));
    expect(missing.message).toBe(`文件夹 ${join(usb, 'nope')} 不存在。如果是 U 盘，请确认已经插好。`);

    const store = localStoreOf(env.ctx);
    const real = store.sqlite.prepare.bind(store.sqlite);
    const inject = (fault: (tmp: string) => void) =>
      vi.spyOn(store.sqlite, 'prepare').mockImplementation(((sql: string) => {
        if (sql !== 'VACUUM INTO ?') return real(sql);
        return { run: (tmp: string) => fault(tmp) };
      }) as never);
    // ENOSPC half-way through the copy: SQLite leaves part of the file and says the disk is full.
    inject((tmp) => {
      real('VACUUM INTO ?').run(tmp);
      truncateSync(tmp, 8192);
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    const full = await fail(backupNow(env.ctx, { dir: usb }));
    expect(full.code).toBe('IO');
    expect(full.message).toContain('磁盘空间不足');
    expect(readdirSync(usb)).toEqual([]);
    // An I/O error from the drive.
    inject((tmp) => {
      writeFileSync(tmp, randomBytes(4096));
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    });
    expect((await fail(backupNow(env.ctx, { dir: usb }))).message).toContain('U 盘可能已被拔出或已损坏');
    expect(readdirSync(usb)).toEqual([]);
    // The stick pulled out right after the copy was written: the folder is gone with it.
    inject((tmp) => {
      real('VACUUM INTO ?').run(tmp);
      rmSync(usb, { recursive: true });
    });
    expect((await fail(backupNow(env.ctx, { dir: usb }))).message).toContain('U 盘可能在备份过程中被拔出');
    expect(existsSync(usb)).toBe(false);
    vi.restoreAllMocks();

    const list = await listBackups(env.ctx);
    expect(list.map((b) => [b.status, b.stage])).toEqual(Array(4).fill(['failed', 'write']));
    expect(list.map((b) => b.reason)).toEqual([expect.stringContaining('拔出'), expect.stringContaining('损坏'), expect.stringContaining('空间不足'), expect.stringContaining('不存在')]);
    env.ctx.config.locale = 'en';
    expect((await listBackups(env.ctx))[1].reason).toContain('the USB stick may have been pulled out or be damaged');
  });
});

describe('automatic backups', () => {
  async function withAuto(keep = 30) {
    const w = await world();
    const auto = join(w.env.root, 'auto');
    mkdirSync(auto);
    await saveBackupSettings(w.env.ctx, { autoDir: auto, keep });
    return { ...w, auto };
  }

  const signIn = async (env: TestEnv, username = 'admin', password = ADMIN_PASSWORD) => {
    const d = dispatcherFor(env.ctx);
    await d('session.logout', {});
    const r = (await d('session.login', { username, password })) as Result<unknown>;
    expect(r.ok).toBe(true);
    await settleBackups(env.ctx);
  };
  const autoFiles = (dir: string) => readdirSync(dir).filter((n) => AUTO_PATTERN.test(n)).sort();

  it('the first sign-in of the day makes one, whoever signs in; later sign-ins that day do not', async () => {
    const { env, auto } = await withAuto();
    await signIn(env, 'officer1', 'Officer1-pass');
    expect(autoFiles(auto)).toEqual(['LoanKeeper-auto-2026-11-23_09-00-00.lkbackup']);
    await signIn(env);
    const [made] = await listBackups(env.ctx);
    expect(made).toMatchObject({ trigger: 'signin', status: 'verified', madeBy: 'system', documents: 2 });
    env.clock.advance(3 * 3600_000);
    await signIn(env);
    expect(autoFiles(auto)).toHaveLength(1);
    // Unlocking the next morning counts as the day's first sign-in.
    env.clock.advance(DAY);
    const d = dispatcherFor(env.ctx);
    await d('session.lock', {});
    expect(await d('session.unlock', { password: ADMIN_PASSWORD })).toMatchObject({ ok: true });
    await settleBackups(env.ctx);
    expect(autoFiles(auto)).toEqual(['LoanKeeper-auto-2026-11-23_09-00-00.lkbackup', 'LoanKeeper-auto-2026-11-24_12-00-00.lkbackup']);
  });

  it('keeps N generations: the oldest of our files beyond N are deleted, nothing else in the folder', async () => {
    const { env, auto } = await withAuto(2);
    writeFileSync(join(auto, 'LoanKeeper-auto-notes.txt'), 'mine');
    writeFileSync(join(auto, 'my-own-copy.lkbackup'), 'mine');
    mkdirSync(join(auto, 'LoanKeeper-auto-2000-01-01_00-00-00.lkbackup'));
    for (let day = 0; day < 4; day++) {
      await signIn(env);
      env.clock.advance(DAY);
    }
    await signIn(env);
    expect(autoFiles(auto)).toEqual(['LoanKeeper-auto-2000-01-01_00-00-00.lkbackup', 'LoanKeeper-auto-2026-11-26_09-00-00.lkbackup', 'LoanKeeper-auto-2026-11-27_09-00-00.lkbackup']);
    expect(readdirSync(auto)).toContain('LoanKeeper-auto-notes.txt');
    expect(readdirSync(auto)).toContain('my-own-copy.lkbackup');
    const list = await listBackups(env.ctx);
    expect(list.filter((b) => b.trigger === 'signin').map((b) => b.removed)).toEqual([false, false, true, true, true]);
  });

  it('on quit: only when something changed since the last one; a failure never stops a sign-in and is shown', async () => {
    const { env, auto } = await withAuto();
    await signIn(env);
    expect(autoFiles(auto)).toHaveLength(1);
    await backupOnQuit(env.ctx);
    expect(autoFiles(auto)).toHaveLength(1);
    env.clock.advance(60_000);
    await loginAs(env.ctx, 'officer1');
    await createBorrower(env.ctx, { kind: 'person', name: '李四', idNumber: residentId('11010519850505123'), phone: '13900000000', address: '北京', employer: '', legalRep: '', industry: '', registeredCapitalFen: null, tier: 'normal' });
    await backupOnQuit(env.ctx);
    expect(autoFiles(auto)).toHaveLength(2);
    await loginAs(env.ctx, 'admin');
    expect((await listBackups(env.ctx))[0]).toMatchObject({ trigger: 'quit', status: 'verified', madeBy: 'system' });

    // The stick is gone the next morning: sign-in works, the failure is recorded and shown.
    rmSync(auto, { recursive: true });
    env.clock.advance(DAY);
    await signIn(env);
    const s = await backupStatus(env.ctx);
    expect(s.lastFailure).toMatchObject({ trigger: 'signin', status: 'failed', stage: 'write' });
    expect(s.lastFailure!.reason).toContain(auto);
    // Not tried again at every unlock within the hour.
    await signIn(env);
    expect((await listBackups(env.ctx)).filter((b) => b.status === 'failed')).toHaveLength(1);
  });

  it('only administrators: other roles get FORBIDDEN from every backup channel, whatever the UI shows', async () => {
    const { env, usb } = await world();
    await loginAs(env.ctx, 'supervisor1');
    const d = dispatcherFor(env.ctx);
    const calls: [string, unknown][] = [
      ['backups.status', {}],
      ['backups.list', {}],
      ['backups.settings', {}],
      ['backups.saveSettings', { autoDir: usb, keep: 1 }],
      ['backups.create', { dir: usb }],
      ['backups.inspect', { file: join(usb, 'x.lkbackup'), recoveryKey: '' }],
      ['backups.restoreStart', { file: join(usb, 'x.lkbackup'), recoveryKey: '', username: 'supervisor1', password: 'Supervisor1-pass' }],
    ];
    for (const [ch, input] of calls) expect(await d(ch, input), ch).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(readdirSync(usb)).toEqual([]);
  });

  it('settings: the folder must exist, be absolute and lie outside the data folder', async () => {
    const { env } = await world();
    const bad = async (autoDir: string) => ((await fail(saveBackupSettings(env.ctx, { autoDir, keep: 30 }))) as AppError).issues?.[0];
    expect(await bad(join(env.root, 'nope'))).toMatchObject({ path: 'autoDir', message: expect.stringContaining('不存在') });
    expect(await bad(join(env.dataDir, 'backups'))).toMatchObject({ path: 'autoDir', message: expect.stringContaining('数据文件夹之内') });
    expect(await bad('relative/dir')).toMatchObject({ path: 'autoDir', message: expect.stringContaining('完整的文件夹路径') });
    expect(await saveBackupSettings(env.ctx, { autoDir: '', keep: 7 })).toEqual({ autoDir: '', keep: 7 });
    const audit = await localStoreOf(env.ctx).db.selectFrom('audit_log').select('action').where('action', '=', 'backups.settings').execute();
    expect(audit).toHaveLength(1);
  });
});

export type { BackupView };
