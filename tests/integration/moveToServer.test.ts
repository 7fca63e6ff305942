import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MoveProgress, MoveReport } from '../../src/shared/ipc/backups';
import type { LedgerEntry } from '../../src/shared/ipc/repayments';
import { exportArchive } from '../../src/main/features/archive/archiveExport';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { createRepayment, reverseRepayment } from '../../src/main/features/repayments/repayments';
import { decideReversal } from '../../src/main/features/repayments/servicing';
import { sql } from 'kysely';
import pg from 'pg';
import { readHeadOf } from '../../src/main/db/auditLog';
import { openPostgres } from '../../src/main/db/pg/connect';
import { verifyMove } from '../../src/main/features/backups/moveToServer';
import { openBranchStore } from '../../src/main/kernel/branchStore';
import { AppContext } from '../../src/main/kernel/context';
import { channelCaller, localStoreOf, newEnv, setUp, ADMIN_PASSWORD, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs, PASSWORDS } from '../helpers/portfolio';
import { joinDetails, startPgServer, type PgServer } from '../support/pgServer';

/**
 * A single-PC store moved onto an empty branch database through the administrator's channel: borrowers, loans
 * with repayments and a reversal, document files, an imported archive, staff of several roles and their audit
 * entries. The read-back passes, the moved users sign in on the server and see the same ledger and documents, the
 * data folder is byte for byte as before, and a second move onto the now non-empty database is refused.
 */

let server: PgServer;
let env: TestEnv;
let url: string;
let dbPassword: string;
const contexts: AppContext[] = [];
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('借据扫描 张三 110105198001011234 '.repeat(300))]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 9)]);
const EXPORT_PASSWORD = 'Export-pass-2026!';

const caller = channelCaller;

/** Every file of the data folder and its SHA-256 (SQLite's shared-memory index excepted: readers use it). */
function folderHashes(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, folderHashes(p, base));
    else if (!name.endsWith('-shm')) out[p.slice(base.length)] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

beforeAll(async () => {
  server = await startPgServer();
  ({ url, dbPassword } = joinDetails(server.url));
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const a = await loan(env.ctx, (await borrower(env.ctx, '张三')).id, { contractNo: 'HT-2026-001' });
  const b = await loan(env.ctx, (await borrower(env.ctx, '李四', '11010519850505123')).id, { contractNo: 'HT-2026-002' });
  await createRepayment(env.ctx, { loanId: a.loan.id, paidOn: '2026-02-15', amountFen: 1_120_000, note: '第一期' });
  const wrong = await createRepayment(env.ctx, { loanId: b.loan.id, paidOn: '2026-02-15', amountFen: 500_000, note: '误录' });
  const rep = wrong.repayments.find((r) => r.amountFen === 500_000)!;
  const proposed = await reverseRepayment(env.ctx, { repaymentId: rep.id, reason: '录入错误' });
  const reversal = proposed.repayments.find((r) => r.id === rep.id)!.reversalPending!;
  await addDocument(env.ctx, { loanId: a.loan.id, docType: 'iou', fileName: '借据.jpg', base64: JPEG.toString('base64') });
  await addDocument(env.ctx, { loanId: b.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF.toString('base64') });
  await loginAs(env.ctx, 'supervisor1');
  const decided = await decideReversal(env.ctx, { reversalId: reversal.id, approve: true, comment: '同意冲正' });
  expect(decided.repayments.find((r) => r.id === rep.id)!.reversed).not.toBeNull();
  await loginAs(env.ctx, 'archivist1');
  const usb = join(env.root, 'usb');
  mkdirSync(usb);
  const pkg = await exportArchive(env.ctx, { loanIds: [a.loan.id, b.loan.id], targetDir: usb, password: EXPORT_PASSWORD });
  await caller(env.ctx)('archive.importPackage', { file: pkg.file, password: EXPORT_PASSWORD });
  await loginAs(env.ctx, 'admin');
}, 240_000);

afterAll(() => {
  for (const c of contexts) c.close();
  env?.cleanup();
  server?.stop();
});

describe('moving a single-PC store onto the branch server', () => {
  it('refuses a wrong administrator password, with nothing written to the server', async () => {
    const call = caller(env.ctx);
    await expect(call('backups.moveToServer', { url, dbPassword, ca: null, password: 'Not-the-password-1' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  }, 60_000);

  it('copies everything, verifies it, leaves the data folder as it was, and the moved users work on the server', async () => {
    const call = caller(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const localLedger = await call<{ entries: LedgerEntry[] }>('ledger.get', { loanId: 1 });
    const localDoc = await call<{ base64: string }>('documents.get', { documentId: 1 });
    await loginAs(env.ctx, 'admin');
    const before = folderHashes(env.dataDir);
    expect(Object.keys(before).some((f) => f.includes('files'))).toBe(true);
    const report = await call<MoveReport>('backups.moveToServer', { url, dbPassword, ca: null, password: ADMIN_PASSWORD });
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.loans).toBe(2);
    // Two documents and the archive's imported files, each opened on the server and hashed.
    expect(report.documents).toBeGreaterThanOrEqual(3);
    const count = (t: string) => report.tables.find((x) => x.table === t)!;
    for (const t of ['users', 'borrowers', 'loans', 'repayments', 'documents', 'imported_files', 'key_wraps']) {
      expect(count(t).local).toBeGreaterThan(0);
      expect(count(t).server).toBe(count(t).local);
    }
    expect(count('audit_log').server).toBe(count('audit_log').local + 1);
    expect((await call<MoveProgress>('backups.moveStatus', {})).finished).toBe(true);
    expect(folderHashes(env.dataDir)).toEqual(before);

    // A second move onto the now non-empty database is refused.
    await expect(call('backups.moveToServer', { url, dbPassword, ca: null, password: ADMIN_PASSWORD })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('不是空的') });

    // The read-back is not a formality: a document's bytes and a repayment changed on the server are named.
    const local = localStoreOf(env.ctx);
    const head = await readHeadOf(local.db);
    const moved = await openBranchStore({ url: server.url }, local.dataKey);
    try {
      const first = await moved.db.selectFrom('documents').select(['content']).where('id', '=', 1).executeTakeFirstOrThrow();
      const other = await moved.db.selectFrom('documents').select(['content']).where('id', '=', 2).executeTakeFirstOrThrow();
      await sql`UPDATE documents SET content = ${other.content} WHERE id = 1`.execute(moved.db);
      await sql`UPDATE repayments SET amount_fen = amount_fen + 1 WHERE id = 1`.execute(moved.db);
      const tampered = await verifyMove(env.ctx, local, moved, head);
      expect(tampered.ok).toBe(false);
      expect(tampered.differences).toEqual(['贷款 HT-2026-001 的台账在服务器上与本机不一致', '档案文件 1 在服务器上缺失或与 SHA-256 不一致']);
      // Put back, the same read-back passes again.
      await sql`UPDATE documents SET content = ${first.content} WHERE id = 1`.execute(moved.db);
      await sql`UPDATE repayments SET amount_fen = amount_fen - 1 WHERE id = 1`.execute(moved.db);
      expect((await verifyMove(env.ctx, local, moved, head)).differences).toEqual([]);
    } finally {
      moved.close();
    }

    // Another PC joins the moved branch; an officer signs in with their own password and reads the same ledger.
    const configDir = mkdtempSync(join(tmpdir(), 'lk-move-pc-'));
    const pc = new AppContext({ configDir, defaultDataDir: join(configDir, 'data'), resourcesDir: resolve('resources') }, env.clock);
    contexts.push(pc);
    const remote = caller(pc);
    await remote('setup.joinServer', { url, dbPassword, ca: null, locale: 'zh-CN' });
    await expect(remote('session.login', { username: 'officer1', password: 'wrong-password-9' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await remote('session.login', { username: 'officer1', password: PASSWORDS.officer1 });
    expect(pc.store?.kind).toBe('branch');
    const ledger = await remote<{ entries: LedgerEntry[] }>('ledger.get', { loanId: 1 });
    expect(ledger.entries).toEqual(localLedger.entries);
    const doc = await remote<{ base64: string }>('documents.get', { documentId: 1 });
    expect(Buffer.from(doc.base64, 'base64').equals(JPEG)).toBe(true);
    expect(doc.base64).toBe(localDoc.base64);
    // New rows on the server get ids past the moved ones (the identity sequences were set).
    await remote('session.logout', {});
    await remote('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    const created = await remote<{ id: number }>('users.create', { username: 'officer9', displayName: '新员工', roles: ['officer'], password: 'Officer9-pass-2026' });
    expect(created).toBeTruthy();
    const audit = await remote<{ ok: boolean }>('audit.verify', {});
    expect(audit.ok).toBe(true);

    // A document file damaged on this PC stops a move onto another empty database, with nothing left there.
    const admin = new pg.Client({ connectionString: server.url.replace(/\/loankeeper$/, '/postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE third');
    await admin.end();
    const ref = (await local.db.selectFrom('documents').select('file_ref').where('id', '=', 1).executeTakeFirstOrThrow()).file_ref!;
    const file = join(env.dataDir, 'files', ref);
    const original = readFileSync(file);
    const damaged = Buffer.from(original);
    damaged[damaged.length - 20] ^= 0xff;
    writeFileSync(file, damaged);
    try {
      await expect(call('backups.moveToServer', { url: url.replace(/\/loankeeper$/, '/third'), dbPassword, ca: null, password: ADMIN_PASSWORD })).rejects.toMatchObject({ code: 'IO', message: expect.stringContaining('借据.jpg') });
    } finally {
      writeFileSync(file, original);
    }
    const third = openPostgres({ url: server.url.replace(/\/loankeeper$/, '/third') });
    try {
      expect(await third.selectFrom('users').select('username').execute()).toEqual([]);
      expect(await third.selectFrom('settings').select('key').execute()).toEqual([]);
    } finally {
      await third.destroy();
    }

    // This PC switches to the server: its config names the server and no data folder.
    await call('backups.switchToServer', { url, dbPassword, ca: null });
    expect(env.ctx.config.server?.url).toContain('127.0.0.1');
    expect(env.ctx.config.dataDir).toBeNull();
    expect(readFileSync(join(env.configDir, 'config.json'), 'utf8')).not.toContain(dbPassword);
    rmSync(configDir, { recursive: true, force: true });
  }, 240_000);
});
