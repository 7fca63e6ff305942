import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/ipc/errors';
import { realFileOps, type FileOps } from '../../src/main/archive/sink';
import { addDocument } from '../../src/main/services/archiveDocuments';
import { exportArchive } from '../../src/main/services/archiveExport';
import { verifyPackage } from '../../src/main/services/archiveVerify';
import { translate } from '../../src/shared/i18n';
import { newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const PASSWORD = 'Export-Pw-2026!';
const t = (k: string, p?: Record<string, string | number>) => translate('zh-CN', k as never, p);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(300_000)]);
const PDF = Buffer.from('%PDF-1.4\n% 借款合同 扫描件\n%%EOF\n');

async function world() {
  env = newEnv();
  env.clock.t = Date.parse('2026-06-15T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const a = await loan(env.ctx, (await borrower(env.ctx, '张三')).id, { contractNo: 'HT/2026:001' });
  const b = await loan(env.ctx, (await borrower(env.ctx, '李四', '11010519850505123')).id, { contractNo: 'HT-2026-002' });
  await addDocument(env.ctx, { loanId: a.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF.toString('base64') });
  await addDocument(env.ctx, { loanId: a.loan.id, docType: 'iou', fileName: '借据 扫描.jpg', base64: JPEG.toString('base64') });
  await addDocument(env.ctx, { loanId: b.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF.toString('base64') });
  await loginAs(env.ctx, 'archivist1');
  const usb = join(env.root, 'usb');
  mkdirSync(usb);
  return { ids: [a.loan.id, b.loan.id], usb };
}

describe('archive export', () => {
  it('writes a package that 7-Zip opens with the password, whose manifest sha256sum -c accepts, and our verify passes', async () => {
    const { ids, usb } = await world();
    const progress: number[] = [];
    const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD, onProgress: (p) => progress.push(p.done) });
    expect(readdirSync(usb)).toEqual([r.file.split('/').pop()]);
    expect(r.file).toMatch(/档案导出_测试小额贷款有限公司_20260615-\d{6}\.zip$/);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const out = join(env.root, 'out');
    execFileSync('7z', ['x', `-p${PASSWORD}`, `-o${out}`, r.file], { stdio: 'pipe' });
    const folders = readdirSync(out).sort();
    expect(folders).toEqual(['HT-2026-002_李四', 'HT_2026_001_张三', 'README.txt', 'SHA256SUMS.txt', 'manifest.json']);
    expect(readdirSync(join(out, 'HT_2026_001_张三', '档案')).sort()).toEqual(['借据 扫描.jpg', '借款合同.pdf']);
    expect(readFileSync(join(out, 'HT_2026_001_张三', '档案', '借据 扫描.jpg')).equals(JPEG)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ institution: '测试小额贷款有限公司', exportedBy: 'archivist1' });
    writeFileSync(join(out, 'check.txt'), manifest.files.map((f: { sha256: string; path: string }) => `${f.sha256}  ${f.path}\n`).join(''));
    const sums = spawnSync('sha256sum', ['-c', 'check.txt'], { cwd: out, encoding: 'utf8' });
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    expect(sums.stdout.match(/: OK/g)).toHaveLength(manifest.files.length);
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toContain('7-Zip');
    const pdftext = execFileSync('pdftotext', [join(out, 'HT-2026-002_李四', '贷后管理卡_HT-2026-002.pdf'), '-'], { encoding: 'utf8' });
    expect(pdftext).toContain('贷后管理卡');
    expect(spawnSync('7z', ['t', '-pwrong-password', r.file], { encoding: 'utf8' }).status).not.toBe(0);
    expect(verifyPackage(r.file, PASSWORD, t)).toMatchObject({ ok: true, error: null, checked: 7, missing: [], extra: [], changed: [] });
  });

  it('verify names a wrong password, a truncated package and an altered file', async () => {
    const { ids, usb } = await world();
    const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD });
    expect(verifyPackage(r.file, 'not-it-at-all', t).error).toBe('导出包密码不正确。');
    const bytes = readFileSync(r.file);
    const cut = join(usb, 'cut.zip');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(verifyPackage(cut, PASSWORD, t).error).toContain('不完整');
    // Re-pack with one file's bytes changed but the old manifest: verify names exactly that file.
    const out = join(env.root, 'x');
    execFileSync('7z', ['x', `-p${PASSWORD}`, `-o${out}`, r.file], { stdio: 'pipe' });
    writeFileSync(join(out, 'HT-2026-002_李四', '档案', '借款合同.pdf'), Buffer.from('%PDF-1.4 tampered'));
    writeFileSync(join(out, 'HT-2026-002_李四', '档案', '后加的.txt'), 'extra');
    const repacked = join(usb, 'repacked.zip');
    execFileSync('7z', ['a', '-tzip', '-mem=AES256', `-p${PASSWORD}`, repacked, '.'], { cwd: out, stdio: 'pipe' });
    expect(existsSync(repacked)).toBe(true);
    const v = verifyPackage(repacked, PASSWORD, t);
    expect(v).toMatchObject({ ok: false, changed: ['HT-2026-002_李四/档案/借款合同.pdf'], extra: ['HT-2026-002_李四/档案/后加的.txt'], missing: [] });
  });

  it.each([
    ['ENOSPC', 1, '空间不足'],
    ['ENOSPC', 4, '空间不足'],
    ['EIO', 2, 'U 盘可能已被拔出'],
    ['EIO', 9, 'U 盘可能已被拔出'],
  ])('a %s on write %i leaves no file under the final name and says what happened', async (code, failAt, message) => {
    const { ids, usb } = await world();
    let writes = 0;
    const ops: FileOps = {
      ...realFileOps,
      write: async (fd, buf, off, len) => {
        if (++writes === failAt) throw Object.assign(new Error(code), { code });
        return realFileOps.write(fd, buf, off, len);
      },
    };
    const e = (await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD, ops }).catch((x: unknown) => x)) as AppError;
    expect(e.code).toBe('IO');
    expect(e.message).toContain(message);
    expect(readdirSync(usb)).toEqual([]);
  });

  it('a failure at the final flush or rename also leaves nothing; cancel leaves nothing', async () => {
    const { ids, usb } = await world();
    for (const step of ['fsync', 'rename'] as const) {
      const ops: FileOps = { ...realFileOps, [step]: () => { throw Object.assign(new Error('EIO'), { code: 'EIO' }); } };
      const e = (await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD, ops }).catch((x: unknown) => x)) as AppError;
      expect(e.message, step).toContain('拔出');
      expect(readdirSync(usb), step).toEqual([]);
    }
    let n = 0;
    const c = (await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD, isCancelled: () => ++n > 3 }).catch((x: unknown) => x)) as AppError;
    expect(c.message).toContain('已取消');
    expect(readdirSync(usb)).toEqual([]);
  });

  it('a missing or read-only target folder gets a clear message', async () => {
    const { ids, usb } = await world();
    const missing = (await exportArchive(env.ctx, { loanIds: ids, targetDir: join(usb, 'nope'), password: PASSWORD }).catch((x: unknown) => x)) as AppError;
    expect(missing.message).toContain('不存在');
    const ro: FileOps = { ...realFileOps, open: () => { throw Object.assign(new Error('EROFS'), { code: 'EROFS' }); } };
    const e = (await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD, ops: ro }).catch((x: unknown) => x)) as AppError;
    expect(e.message).toContain('只读');
    chmodSync(usb, 0o755);
    expect(existsSync(usb)).toBe(true);
  });
});

describe('importing an export elsewhere', () => {
  it('another installation imports a verified package read-only; live loans are untouched; a wrong password is refused', async () => {
    const { ids, usb } = await world();
    const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD });
    const { importPackage, importedArchives, importedFile, importedFiles } = await import('../../src/main/services/archiveImport');
    // Head office: a separate store with its own risk officer.
    const other = newEnv();
    try {
      await setUp(other, '总部风险管理部');
      await createStaff(other.ctx);
      await loginAs(other.ctx, 'risk1');
      const loansBefore = await other.ctx.store!.db.selectFrom('loans').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const a = await importPackage(other.ctx, { file: r.file, password: PASSWORD });
      expect(a).toMatchObject({ institution: '测试小额贷款有限公司', exportedBy: 'archivist1', files: 7 });
      expect(a.loans.map((l) => l.contractNo).sort()).toEqual(['HT-2026-002', 'HT/2026:001']);
      const files = await importedFiles(other.ctx, { archiveId: a.id });
      expect(files.map((f) => f.path)).toContain('HT_2026_001_张三/档案/借据 扫描.jpg');
      const jpg = await importedFile(other.ctx, { archiveId: a.id, path: 'HT_2026_001_张三/档案/借据 扫描.jpg' });
      expect(Buffer.from(jpg.base64, 'base64').equals(JPEG)).toBe(true);
      expect((await importedArchives(other.ctx)).length).toBe(1);
      const loansAfter = await other.ctx.store!.db.selectFrom('loans').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(loansAfter.n).toBe(loansBefore.n);
      const wrong = (await importPackage(other.ctx, { file: r.file, password: 'wrong-password' }).catch((x: unknown) => x)) as AppError;
      expect(wrong.message).toBe('导出包密码不正确。');
    } finally {
      other.cleanup();
    }
  });
});

describe('a damaged document in the store', () => {
  it('an altered encrypted file stops the export with the document named, and leaves no package', async () => {
    const { ids, usb } = await world();
    const ref = (await env.ctx.store!.db.selectFrom('documents').select('file_ref').where('file_name', '=', '借据 扫描.jpg').executeTakeFirstOrThrow()).file_ref!;
    const path = join(env.dataDir, 'files', ref);
    const bytes = readFileSync(path);
    bytes[100_000] ^= 1;
    writeFileSync(path, bytes);
    const e = (await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD }).catch((x: unknown) => x)) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect(e.message).toBe(t('errors.documentFileDamaged', { name: '借据 扫描.jpg', file: ref }));
    expect(readdirSync(usb)).toEqual([]);
  });

  it('an older row kept in the database is exported, and verify names it as changed against the hash recorded when it was stored', async () => {
    const { ids, usb } = await world();
    env.ctx.store!.sqlite.prepare(`UPDATE documents SET content = X'FFD8FF00', file_ref = NULL WHERE file_name = '借据 扫描.jpg'`).run();
    const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD });
    expect(verifyPackage(r.file, PASSWORD, t)).toMatchObject({ ok: false, changed: ['HT_2026_001_张三/档案/借据 扫描.jpg'], missing: [], extra: [] });
  });
});
