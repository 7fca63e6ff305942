import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { translate } from '../../src/shared/i18n';
import { approveDestruction, executeDestruction, proposeDestruction } from '../../src/main/features/archive/archive';
import { exportArchive } from '../../src/main/features/archive/archiveExport';
import { importedFile, importedFiles, runImport } from '../../src/main/features/archive/archiveImport';
import { verifyPackage } from '../../src/main/features/archive/archiveVerify';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { getDocument } from '../../src/main/features/reports/reports';
import { cmdExportArchive } from '../../src/main/cli/commands';
import { openPostgres } from '../../src/main/db/pg/connect';
import { AppContext } from '../../src/main/kernel/context';
import { ADMIN_PASSWORD, dispatcherFor, fail, FakeClock } from '../helpers/context';
import { readJson, unpack } from '../helpers/packages';
import { borrower, createStaff, loan, loginAs, PASSWORDS } from '../helpers/portfolio';
import { joinDetails, startPgServer, type PgServer } from '../support/pgServer';

/**
 * The archive on the branch server, where documents are sealed on the desktop and kept in their rows: two loans'
 * documents exported to a package that verifies (the scans byte for byte, no name visible without the password);
 * the package imported read-only at another branch's database, its files sealed there too (no clear text in the
 * column); an approved destruction list carried out, the sealed bytes cleared in the transaction that marks the
 * rows; and `export-archive --database` from the command line.
 */

vi.setConfig({ testTimeout: 180_000 });

const PASSWORD = 'Export-Pw-2026!';
const t = (k: string, p?: Record<string, string | number>) => translate('zh-CN', k as never, p);
/** In every scan, to look for in the server's raw bytes. */
const MARKER = 'LK-CLEARTEXT-MARKER 借据扫描 张三 110105198001011234';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(MARKER.repeat(50)), randomBytes(200_000)]);
const PDF = Buffer.from(`%PDF-1.4\n% 借款合同 扫描件 ${MARKER}\n%%EOF\n`);
const BIG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(MARKER), randomBytes(6 * 1024 * 1024)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let server: PgServer;
let root: string;
let url: string;
let dbPassword: string;
const contexts: AppContext[] = [];
const clock = new FakeClock(Date.parse('2026-06-15T02:00:00Z'));

/** A PC of the branch whose database is `database`, set up on it through the wizard's channel; the admin signed in. */
async function branchPc(name: string, database: string, institution: string): Promise<AppContext> {
  const ctx = new AppContext({ configDir: join(root, name), defaultDataDir: join(root, `${name}-data`), resourcesDir: resolve('resources') }, clock);
  contexts.push(ctx);
  const d = dispatcherFor(ctx);
  const u = new URL(url);
  u.pathname = `/${database}`;
  const created = await d('setup.createOnServer', { url: u.toString(), dbPassword, ca: null, institution, branch: '营业部', adminUsername: 'admin', adminName: '王管理', password: ADMIN_PASSWORD, locale: 'zh-CN' });
  expect(created).toMatchObject({ ok: true });
  expect(await d('setup.confirmRecoveryKey', { confirmed: true })).toMatchObject({ ok: true, value: { stage: 'ready' } });
  expect(ctx.store?.kind).toBe('branch');
  await createStaff(ctx);
  return ctx;
}

/** The server's owner, outside the app: what someone with the database's account sees. */
function owner(database = 'loankeeper') {
  const u = new URL(server.url);
  u.pathname = `/${database}`;
  return openPostgres({ url: u.toString() });
}

let pc: AppContext;
let loans: { a: number; b: number };
let pkg: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lk-branch-archive-'));
  server = await startPgServer();
  ({ url, dbPassword } = joinDetails(server.url));
  pc = await branchPc('pc', 'loankeeper', '测试小额贷款有限公司');
  await loginAs(pc, 'officer1');
  const a = await loan(pc, (await borrower(pc, '张三')).id, { contractNo: 'HT-2026-001' });
  const b = await loan(pc, (await borrower(pc, '李四', '11010519850505123')).id, { contractNo: 'HT-2026-002' });
  await addDocument(pc, { loanId: a.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF.toString('base64') });
  await addDocument(pc, { loanId: a.loan.id, docType: 'iou', fileName: '借据 扫描.jpg', base64: JPEG.toString('base64') });
  await addDocument(pc, { loanId: b.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF.toString('base64') });
  await addDocument(pc, { loanId: b.loan.id, docType: 'iou', fileName: '大扫描件.jpg', base64: BIG.toString('base64') });
  loans = { a: a.loan.id, b: b.loan.id };
}, 180_000);

afterEach(() => vi.restoreAllMocks());

afterAll(async () => {
  for (const c of contexts) {
    const store = c.store;
    if (store?.kind === 'branch') await store.settled().catch(() => undefined);
    c.close();
  }
  server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the archive on the branch server', () => {
  it('exports two loans: the package verifies, the scans come out byte for byte, and no name shows without the password', async () => {
    // What the server holds is sealed: no scan in clear text in the documents' column.
    const o = owner();
    try {
      const rows = await sql<{ file_name: string; content: Buffer; file_ref: string | null }>`SELECT file_name, content, file_ref FROM documents`.execute(o);
      expect(rows.rows).toHaveLength(4);
      for (const r of rows.rows) {
        expect(r.file_ref).toBeNull();
        expect(r.content.length).toBeGreaterThan(0);
        expect(r.content.includes(Buffer.from('LK-CLEARTEXT-MARKER')), r.file_name).toBe(false);
      }
    } finally {
      await o.destroy();
    }
    await loginAs(pc, 'archivist1');
    const usb = join(root, 'usb');
    mkdirSync(usb);
    const r = await exportArchive(pc, { loanIds: [loans.a, loans.b], targetDir: usb, password: PASSWORD });
    pkg = r.file;
    expect(r).toMatchObject({ loans: 2, files: 8 });
    expect(await verifyPackage(r.file, PASSWORD, t)).toMatchObject({ ok: true, error: null, format: 2, fingerprint: r.fingerprint, checked: 8, missing: [], extra: [], changed: [] });

    // Without the password: two names, neither a borrower's nor a contract's.
    const listing = execFileSync('7z', ['l', '-slt', r.file], { encoding: 'utf8' });
    expect([...listing.matchAll(/^Path = (.*)$/gm)].map((m) => m[1]).slice(1)).toEqual(['README.txt', '档案.zip']);
    for (const secret of ['张三', '李四', 'HT', '借据', '合同']) expect(listing).not.toContain(secret);
    const raw = readFileSync(r.file);
    for (const secret of ['张三', '李四', 'HT-2026-002', 'LK-CLEARTEXT-MARKER']) expect(raw.includes(Buffer.from(secret)), secret).toBe(false);

    // With it: the manifest's hashes are the scans' own, and so are the files.
    const { inner } = unpack(r.file, PASSWORD, join(root, 'out'));
    const manifest = readJson<{ files: { path: string; sha256: string; size: number }[] }>(join(inner, 'manifest.json'));
    const scans: Record<string, Buffer> = {
      'HT-2026-001_张三/档案/借款合同.pdf': PDF,
      'HT-2026-001_张三/档案/借据 扫描.jpg': JPEG,
      'HT-2026-002_李四/档案/借款合同.pdf': PDF,
      'HT-2026-002_李四/档案/大扫描件.jpg': BIG,
    };
    for (const [path, bytes] of Object.entries(scans)) {
      expect(manifest.files.find((f) => f.path === path), path).toEqual({ path, sha256: sha(bytes), size: bytes.length });
      expect(readFileSync(join(inner, path)).equals(bytes), path).toBe(true);
    }
    expect(manifest.files.filter((f) => f.path.endsWith('.pdf') && !f.path.includes('/档案/'))).toHaveLength(4);
  });

  it('imports the package read-only at another branch: its files are sealed in that database, never in clear text, and open again', async () => {
    const o = owner();
    try {
      await sql`CREATE DATABASE headoffice`.execute(o);
    } finally {
      await o.destroy();
    }
    const head = await branchPc('head-office', 'headoffice', '总部');
    await loginAs(head, 'archivist1');
    const tempsBefore = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('loankeeper-import-')));
    const leftBehind = () => readdirSync(tmpdir()).filter((n) => n.startsWith('loankeeper-import-') && !tempsBefore.has(n));
    // Cancelled after its first file: nothing imported, nothing left waiting on this PC.
    expect(await fail(runImport(head, { file: pkg, password: PASSWORD }, { isCancelled: () => true }))).toMatchObject({ code: 'CONFLICT', message: t('errors.importCancelled') });
    expect(leftBehind()).toEqual([]);
    expect(await head.store!.db.selectFrom('imported_files').select('path').execute()).toEqual([]);
    const progress: number[] = [];
    const a = await runImport(head, { file: pkg, password: PASSWORD }, { onProgress: (p) => progress.push(p.done) });
    expect(a).toMatchObject({ institution: '测试小额贷款有限公司', files: 8, loans: [{ contractNo: 'HT-2026-001', borrower: '张三' }, { contractNo: 'HT-2026-002', borrower: '李四' }] });
    expect(progress.at(-1)).toBe(8);
    // The sealed bytes waited on this PC only for the import: nothing is left behind.
    expect(leftBehind()).toEqual([]);
    expect((await importedFiles(head, { archiveId: a.id })).map((f) => f.path)).toContain('HT-2026-001_张三/档案/借据 扫描.jpg');
    const opened = await importedFile(head, { archiveId: a.id, path: 'HT-2026-001_张三/档案/借据 扫描.jpg' });
    expect(opened).toMatchObject({ fileName: '借据 扫描.jpg', mime: 'image/jpeg' });
    expect(Buffer.from(opened.base64, 'base64').equals(JPEG)).toBe(true);
    expect(Buffer.from((await importedFile(head, { archiveId: a.id, path: 'HT-2026-002_李四/档案/大扫描件.jpg' })).base64, 'base64').equals(BIG)).toBe(true);

    // The server's table holds each file sealed: bytes there, no file named, and no scan's text anywhere in them.
    const h = owner('headoffice');
    try {
      const rows = await sql<{ path: string; content: Buffer; file_ref: string | null; sha256: string; size: number }>`SELECT path, content, file_ref, sha256, size FROM imported_files ORDER BY path`.execute(h);
      expect(rows.rows).toHaveLength(8);
      for (const r of rows.rows) {
        expect(r.file_ref, r.path).toBeNull();
        expect(r.content.length, r.path).toBeGreaterThan(r.size);
        expect(r.content.includes(Buffer.from('LK-CLEARTEXT-MARKER')), r.path).toBe(false);
        expect(r.content.includes(Buffer.from('张三')), r.path).toBe(false);
      }
      // Nor does the database search find the marker in any imported file's column.
      const found = await sql<{ n: string }>`SELECT count(*) AS n FROM imported_files WHERE position(convert_to('LK-CLEARTEXT-MARKER', 'UTF8') IN content) > 0`.execute(h);
      expect(Number(found.rows[0].n)).toBe(0);
    } finally {
      await h.destroy();
    }
    // The same package again is refused as a duplicate.
    expect(await fail(runImport(head, { file: pkg, password: PASSWORD }))).toMatchObject({ code: 'CONFLICT' });
  });

  it('export-archive --database writes a package that verifies', async () => {
    const pw = join(root, 'archivist.txt');
    writeFileSync(pw, `${PASSWORDS.archivist1}\n`);
    const exportPw = join(root, 'export-pw.txt');
    writeFileSync(exportPw, `${PASSWORD}\n`);
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const file = join(root, 'cli-export.zip');
    await cmdExportArchive({ database: server.url, user: 'archivist1', 'password-file': pw, loans: 'HT-2026-002,HT-2026-001', to: file, 'export-password-file': exportPw });
    expect(out.join('')).toContain(`已导出 ${file}（8 个文件`);
    expect(out.join('')).not.toContain(dbPassword);
    expect(await verifyPackage(file, PASSWORD, t)).toMatchObject({ ok: true, checked: 8, missing: [], extra: [], changed: [] });
    const { inner } = unpack(file, PASSWORD, join(root, 'cli-out'));
    expect(readFileSync(join(inner, 'HT-2026-001_张三', '档案', '借据 扫描.jpg')).equals(JPEG)).toBe(true);
  });

  it('carries out an approved destruction list: the sealed bytes are cleared in the transaction that marks the rows destroyed', async () => {
    await loginAs(pc, 'officer1');
    await createRepayment(pc, { loanId: loans.a, paidOn: '2026-06-15', amountFen: 20_000_000, note: '提前结清', excess: 'settle', confirm: true });
    clock.t = Date.parse('2056-06-16T02:00:00Z');
    await loginAs(pc, 'archivist1');
    const list = await proposeDestruction(pc, { loanIds: [loans.a], reason: '保管期满' });
    await loginAs(pc, 'supervisor1');
    await approveDestruction(pc, { listId: list.id, approve: true });
    await loginAs(pc, 'risk1');
    expect((await approveDestruction(pc, { listId: list.id, approve: true })).status).toBe('approved');
    await loginAs(pc, 'archivist1');

    const o = owner();
    const rowsOf = async () =>
      (await sql<{ id: number; n: number; removed_reason: string | null }>`SELECT id, octet_length(content) AS n, removed_reason FROM documents WHERE loan_id = ${loans.a} ORDER BY id`.execute(o)).rows.map((r) => ({ ...r, n: Number(r.n) }));
    try {
      const before = await rowsOf();
      expect(before).toHaveLength(2);
      for (const r of before) expect(r.n).toBeGreaterThan(0);
      // A failure as the list is marked (here a trigger the server's owner adds) undoes the whole destruction:
      // the sealed bytes are still there and no row is marked.
      await sql`CREATE FUNCTION refuse_list() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$`.execute(o);
      await sql`CREATE TRIGGER refuse_list BEFORE UPDATE ON destruction_lists FOR EACH ROW EXECUTE FUNCTION refuse_list()`.execute(o);
      await expect(executeDestruction(pc, { listId: list.id })).rejects.toThrow();
      expect(await rowsOf()).toEqual(before);
      await sql`DROP TRIGGER refuse_list ON destruction_lists`.execute(o);
      await sql`DROP FUNCTION refuse_list()`.execute(o);

      const carried = await executeDestruction(pc, { listId: list.id });
      expect(carried).toMatchObject({ status: 'destroyed', destroyed: { by: 'archivist1', files: 2 } });
      // The rows stay, marked with the list; their sealed bytes are gone.
      expect(await rowsOf()).toEqual(before.map((r) => ({ id: r.id, n: 0, removed_reason: `销毁清单 #${list.id}` })));
      const others = await sql<{ n: number }>`SELECT octet_length(content) AS n FROM documents WHERE loan_id = ${loans.b}`.execute(o);
      for (const r of others.rows) expect(Number(r.n)).toBeGreaterThan(0);
      const audit = await sql<{ detail: string }>`SELECT detail FROM audit_log WHERE action = 'archive.executeDestruction'`.execute(o);
      expect(audit.rows.map((r) => JSON.parse(r.detail) as unknown)).toEqual([{ loans: [loans.a], documents: before.map((r) => r.id) }]);
    } finally {
      await o.destroy();
    }
    // Gone for good: not readable, and not carried out twice.
    const [contract] = await pc.store!.db.selectFrom('documents').select('id').where('loan_id', '=', loans.a).orderBy('id').execute();
    expect(await fail(getDocument(pc, { documentId: contract.id }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('借款合同.pdf') });
    expect(await fail(executeDestruction(pc, { listId: list.id }))).toMatchObject({ code: 'CONFLICT' });
  });
});
