import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportJobView } from '../../src/shared/ipc/archive';
import type { Result } from '../../src/shared/ipc/errors';
import { translate } from '../../src/shared/i18n';
import { listStoredFiles } from '../../src/main/db/fileStore';
import { openSqlite } from '../../src/main/db/open';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { exportArchive } from '../../src/main/features/archive/archiveExport';
import { importedFile, importedFiles, runImport } from '../../src/main/features/archive/archiveImport';
import { backupTo, runChecks } from '../../src/main/features/backups/maintenance';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';
import { repack, unpack } from '../helpers/packages';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

const envs: TestEnv[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) e.cleanup();
});

const PASSWORD = 'Export-Pw-2026!';
const t = (k: string, p?: Record<string, string | number>) => translate('zh-CN', k as never, p);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from('JFIF\0IMPORT-SCAN-PROBE'), randomBytes(1_500_000)]);
const PDF = Buffer.from('%PDF-1.4\n% 借款合同 IMPORT-PDF-PROBE\n%%EOF\n');
const MAGIC = [Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF'), Buffer.from('%PDF-'), Buffer.from('IMPORT-SCAN-PROBE'), Buffer.from('IMPORT-PDF-PROBE')];
const plain = (b: Buffer) => MAGIC.filter((m) => b.includes(m)).map((m) => m.toString('latin1'));
const SCAN = 'HT-2026-001_张三/档案/借据.jpg';
const CONTRACT = 'HT-2026-002_李四/档案/借款合同.pdf';

function fresh(): TestEnv {
  const e = newEnv();
  envs.push(e);
  return e;
}

/** Two loans with scans exported by a branch; package files in order: scan, card, ledger, contract, card, ledger. */
async function exported() {
  const branch = fresh();
  await setUp(branch);
  await createStaff(branch.ctx);
  await loginAs(branch.ctx, 'officer1');
  const a = await loan(branch.ctx, (await borrower(branch.ctx, '张三')).id, { contractNo: 'HT-2026-001' });
  const b = await loan(branch.ctx, (await borrower(branch.ctx, '李四', '11010519850505123')).id, { contractNo: 'HT-2026-002' });
  await addDocument(branch.ctx, { loanId: a.loan.id, docType: 'iou', fileName: '借据.jpg', base64: JPEG.toString('base64') });
  await addDocument(branch.ctx, { loanId: b.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF.toString('base64') });
  await loginAs(branch.ctx, 'archivist1');
  const usb = join(branch.root, 'usb');
  mkdirSync(usb);
  const r = await exportArchive(branch.ctx, { loanIds: [a.loan.id, b.loan.id], targetDir: usb, password: PASSWORD });
  return { file: r.file, usb };
}

/** Head office: a separate installation with nothing in its file store, its archivist logged in. */
async function headOffice() {
  const e = fresh();
  await setUp(e, '总部');
  await createStaff(e.ctx);
  await loginAs(e.ctx, 'archivist1');
  return { e, files: join(e.dataDir, 'files'), d: dispatcherFor(e.ctx) };
}

const count = (e: TestEnv, table: 'imported_archives' | 'imported_files') => (localStoreOf(e.ctx).sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Polls the job as the renderer does, yielding between polls; every view seen is kept. */
async function untilSettled(d: ReturnType<typeof dispatcherFor>, jobId: string): Promise<ImportJobView[]> {
  const seen: ImportJobView[] = [];
  for (let i = 0; i < 100_000; i++) {
    const r = (await d('archive.importStatus', { jobId })) as Result<ImportJobView>;
    if (!r.ok) throw new Error(r.error.message);
    seen.push(r.value);
    if (r.value.state !== 'running') return seen;
    await new Promise((res) => setImmediate(res));
  }
  throw new Error('the job never settled');
}

async function start(d: ReturnType<typeof dispatcherFor>, file: string, password = PASSWORD): Promise<ImportJobView> {
  const r = (await d('archive.importStart', { file, password })) as Result<ImportJobView>;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('imported files in the encrypted file store', () => {
  it('keeps no plaintext in the database, gives the bytes back equal, names a missing or damaged file, and backs them up inside the copy', async () => {
    const { file } = await exported();
    const { e, files, d } = await headOffice();
    const job = await start(d, file);
    const last = (await untilSettled(d, job.id)).at(-1)!;
    expect(last).toMatchObject({ state: 'done', done: 6, total: 6, error: null });
    const archiveId = last.archive!.id;

    const rows = localStoreOf(e.ctx).sqlite.prepare('SELECT path, sha256, length(content) AS inline, file_ref FROM imported_files ORDER BY path').all() as { path: string; sha256: string; inline: number; file_ref: string | null }[];
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r).toMatchObject({ inline: 0, file_ref: expect.stringMatching(/^[0-9a-f]{32}\.lkf$/) });
    expect(listStoredFiles(files).sort()).toEqual(rows.map((r) => r.file_ref).sort());
    for (const f of ['loankeeper.db', 'loankeeper.db-wal']) expect(plain(readFileSync(join(e.dataDir, f))), f).toEqual([]);
    localStoreOf(e.ctx).sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(plain(readFileSync(join(e.dataDir, 'loankeeper.db')))).toEqual([]);
    for (const f of readdirSync(files)) expect(plain(readFileSync(join(files, f))), f).toEqual([]);

    // Every file comes back with the SHA-256 the package listed; the scan and the contract byte for byte.
    for (const f of await importedFiles(e.ctx, { archiveId })) {
      const got = Buffer.from((await importedFile(e.ctx, { archiveId, path: f.path })).base64, 'base64');
      expect(createHash('sha256').update(got).digest('hex'), f.path).toBe(f.sha256);
    }
    expect(Buffer.from((await importedFile(e.ctx, { archiveId, path: SCAN })).base64, 'base64').equals(JPEG)).toBe(true);
    expect(await importedFile(e.ctx, { archiveId, path: CONTRACT })).toEqual({ fileName: '借款合同.pdf', mime: 'application/pdf', base64: PDF.toString('base64') });

    await loginAs(e.ctx, 'admin');
    expect((await runChecks(e.ctx)).documentFiles).toEqual({ missing: [], unreferenced: 0 });
    const to = join(e.root, 'backup.db');
    await backupTo(e.ctx, to);
    expect(plain(readFileSync(to))).toEqual([]);
    const copy = openSqlite(to, localStoreOf(e.ctx).dataKey, { create: false });
    try {
      const inCopy = copy.prepare('SELECT path, content, file_ref FROM imported_files ORDER BY path').all() as { path: string; content: Buffer; file_ref: string | null }[];
      expect(inCopy.map((r) => r.file_ref)).toEqual(rows.map(() => null));
      for (const r of inCopy) expect(createHash('sha256').update(r.content).digest('hex'), r.path).toBe(rows.find((x) => x.path === r.path)!.sha256);
      expect(Buffer.from(inCopy.find((r) => r.path === SCAN)!.content).equals(JPEG)).toBe(true);
    } finally {
      copy.close();
    }

    // A missing file and an altered one: refused with the imported file named; check lists the missing one.
    await loginAs(e.ctx, 'archivist1');
    const scanRef = rows.find((r) => r.path === SCAN)!.file_ref!;
    const contractRef = rows.find((r) => r.path === CONTRACT)!.file_ref!;
    rmSync(join(files, scanRef));
    expect(await d('archive.importedFile', { archiveId, path: SCAN })).toEqual({ ok: false, error: { code: 'IO', message: t('errors.documentFileMissing', { name: SCAN, file: scanRef }) } });
    const p = join(files, contractRef);
    const bytes = readFileSync(p);
    bytes[25] ^= 1;
    writeFileSync(p, bytes);
    expect(await d('archive.importedFile', { archiveId, path: CONTRACT })).toEqual({ ok: false, error: { code: 'IO', message: t('errors.documentFileDamaged', { name: CONTRACT, file: contractRef }) } });
    await loginAs(e.ctx, 'admin');
    const checked = await runChecks(e.ctx);
    expect(checked.documentFiles).toEqual({ missing: [`${SCAN} (${scanRef})`], unreferenced: 0 });
    expect(checked.ok).toBe(false);
    // A backup does not silently drop a file it cannot read.
    expect((await fail(backupTo(e.ctx, join(e.root, 'backup2.db')))).message).toBe(t('errors.documentFileMissing', { name: SCAN, file: scanRef }));
  });

  it('rows imported before the file store keep their bytes in the database and are read from there', async () => {
    const { e } = await headOffice();
    const db = localStoreOf(e.ctx).sqlite;
    const { id } = db
      .prepare("INSERT INTO imported_archives (file_name, institution, exported_at, exported_by, manifest, imported_by, imported_at) VALUES ('old.zip', '分行', '2026-01-01T00:00:00Z', 'a', '{\"loans\":[],\"files\":[{}]}', 'archivist1', '2026-01-02T00:00:00Z') RETURNING id")
      .get() as { id: number };
    db.prepare('INSERT INTO imported_files (archive_id, path, sha256, size, content) VALUES (?, ?, ?, ?, ?)').run(id, 'F/档案/旧.pdf', 'x', PDF.length, PDF);
    expect(await importedFile(e.ctx, { archiveId: id, path: 'F/档案/旧.pdf' })).toEqual({ fileName: '旧.pdf', mime: 'application/pdf', base64: PDF.toString('base64') });
  });
});

describe('import as a background job', () => {
  it('reports progress file by file up to the total, yielding between files, then the archive', async () => {
    const { file } = await exported();
    const { e, d } = await headOffice();
    const job = await start(d, file);
    expect(job).toMatchObject({ state: 'running', done: 0, archive: null, error: null });
    const seen = await untilSettled(d, job.id);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ state: 'done', done: 6, total: 6, error: null, archive: { institution: '测试小额贷款有限公司', files: 6 } });
    expect(last.bytes).toBe(last.totalBytes);
    expect(last.totalBytes).toBeGreaterThan(JPEG.length);
    // Polls got answers while files were still being imported: the main process was not blocked throughout.
    expect(seen.some((v) => v.total === 6 && v.done > 0 && v.done < 6)).toBe(true);
    const done = seen.map((v) => v.done);
    expect(done).toEqual([...done].sort((x, y) => x - y));
    expect(await d('archive.imported', {})).toMatchObject({ ok: true, value: [{ id: last.archive!.id }] });
    expect(count(e, 'imported_files')).toBe(6);
  });

  it('cancel leaves no archive row and no files, at once or part-way', async () => {
    const { file } = await exported();
    const { e, files, d } = await headOffice();
    const job = await start(d, file);
    expect(await d('archive.importCancel', { jobId: job.id })).toMatchObject({ ok: true, value: { id: job.id } });
    expect((await untilSettled(d, job.id)).at(-1)).toMatchObject({ state: 'cancelled', error: t('errors.importCancelled'), archive: null });
    expect(count(e, 'imported_archives')).toBe(0);
    expect(listStoredFiles(files)).toEqual([]);

    // Part-way: three files stored, then the user cancels; those three are removed again.
    let stored = 0;
    const err = await fail(runImport(e.ctx, { file, password: PASSWORD }, { onProgress: () => (stored = listStoredFiles(files).length), isCancelled: () => stored >= 3 }));
    expect(stored).toBe(3);
    expect(err.message).toBe(t('errors.importCancelled'));
    expect(count(e, 'imported_archives')).toBe(0);
    expect(count(e, 'imported_files')).toBe(0);
    expect(listStoredFiles(files)).toEqual([]);
    expect(await d('archive.imported', {})).toEqual({ ok: true, value: [] });
  });

  it('a wrong password, a truncated or altered package and a second import end the job with the reason; nothing is left behind', async () => {
    const { file, usb } = await exported();
    const { e, files, d } = await headOffice();
    const outcome = async (f: string, password = PASSWORD) => (await untilSettled(d, (await start(d, f, password)).id)).at(-1)!;

    expect(await outcome(file, 'Wrong-pass-1')).toMatchObject({ state: 'failed', error: '导出包密码不正确。', archive: null });
    const cut = join(usb, 'cut.zip');
    const bytes = readFileSync(file);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect((await outcome(cut)).error).toContain('文件不完整');

    // The contract is the fourth file: the three before it were stored, then removed with the refusal.
    const out = join(e.root, 'x');
    const dirs = unpack(file, PASSWORD, out);
    writeFileSync(join(dirs.inner, 'HT-2026-002_李四', '档案', '借款合同.pdf'), Buffer.from('%PDF-1.4 tampered'));
    const repacked = join(usb, 'repacked.zip');
    repack(dirs, PASSWORD, repacked);
    const altered = await outcome(repacked);
    expect(altered).toMatchObject({ state: 'failed', done: 6, total: 6, error: `导出包核验未通过（缺失 0、改动 1、多出 0 个文件），不能导入：${CONTRACT}` });
    expect(count(e, 'imported_archives')).toBe(0);
    expect(listStoredFiles(files)).toEqual([]);

    const first = await outcome(file);
    expect(first.state).toBe('done');
    const kept = listStoredFiles(files).sort();
    const twice = await outcome(file);
    expect(twice.state).toBe('failed');
    expect(twice.error).toContain('archivist1');
    expect(twice.error).toContain('不再重复导入');
    expect(count(e, 'imported_archives')).toBe(1);
    expect(listStoredFiles(files).sort()).toEqual(kept);

    await loginAs(e.ctx, 'supervisor1');
    expect(await d('archive.importStart', { file, password: PASSWORD })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await d('archive.importStatus', { jobId: first.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await loginAs(e.ctx, 'archivist1');
    expect(await d('archive.importStatus', { jobId: '0123456789abcdef' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a failure while writing the rows leaves no half-imported archive and removes the stored files; a data folder that cannot be written is named', async () => {
    const { file } = await exported();
    const { e, files, d } = await headOffice();
    // The last file's row cannot go in: the transaction rolls back after the archive row and five files.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    localStoreOf(e.ctx).sqlite.exec("CREATE TEMP TRIGGER refuse_ledger BEFORE INSERT ON imported_files WHEN NEW.path LIKE 'HT-2026-002%贷款台账%' BEGIN SELECT RAISE(ABORT, 'disk I/O'); END");
    expect((await untilSettled(d, (await start(d, file)).id)).at(-1)).toMatchObject({ state: 'failed', error: t('errors.internal'), archive: null });
    expect(logged).toHaveBeenCalledWith('archive import failed', expect.objectContaining({ code: 'SQLITE_CONSTRAINT_TRIGGER' }));
    logged.mockRestore();
    expect(count(e, 'imported_archives')).toBe(0);
    expect(count(e, 'imported_files')).toBe(0);
    expect(listStoredFiles(files)).toEqual([]);
    localStoreOf(e.ctx).sqlite.exec('DROP TRIGGER refuse_ledger');

    rmSync(files, { recursive: true, force: true });
    writeFileSync(files, 'not a folder');
    expect((await untilSettled(d, (await start(d, file)).id)).at(-1)).toMatchObject({ state: 'failed', error: t('errors.importWriteFailed', { dir: files }) });
    expect(count(e, 'imported_archives')).toBe(0);
  });
});
