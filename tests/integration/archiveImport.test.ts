import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportedArchiveView } from '../../src/shared/ipc/archive';
import type { Result } from '../../src/shared/ipc/errors';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { exportArchive } from '../../src/main/features/archive/archiveExport';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { rawQuery } from '../helpers/storeSql';
import { repack, unpack } from '../helpers/packages';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const PASSWORD = 'Export-Pw-2026!';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
const PDF = Buffer.from('%PDF-1.4\n% 借款合同\n%%EOF\n');

/** Two loans with scans, exported by the archivist of the same installation. */
async function exported() {
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const a = await loan(env.ctx, (await borrower(env.ctx, '张三')).id, { contractNo: 'HT-2026-001' });
  const b = await loan(env.ctx, (await borrower(env.ctx, '李四', '11010519850505123')).id, { contractNo: 'HT-2026-002' });
  await addDocument(env.ctx, { loanId: a.loan.id, docType: 'iou', fileName: '借据.jpg', base64: JPEG.toString('base64') });
  await addDocument(env.ctx, { loanId: b.loan.id, docType: 'contract', fileName: '借款合同.pdf', base64: PDF.toString('base64') });
  await loginAs(env.ctx, 'archivist1');
  const usb = join(env.root, 'usb');
  mkdirSync(usb);
  const r = await exportArchive(env.ctx, { loanIds: [a.loan.id, b.loan.id], targetDir: usb, password: PASSWORD });
  return { file: r.file, usb, d: dispatcherFor(env.ctx) };
}

const live = () => rawQuery(env.ctx, 'SELECT id, contract_no, officer, updated_at FROM loans ORDER BY id');
const liveDocs = () => rawQuery(env.ctx, 'SELECT id, loan_id, sha256 FROM documents ORDER BY id');

describe('import into the read-only archive view', () => {
  it('works in the exporting installation too, never touches live loans or documents, and serves files with their type', async () => {
    const { file, d } = await exported();
    const before = { loans: await live(), docs: await liveDocs() };
    const r = (await d('archive.importPackage', { file, password: PASSWORD })) as Result<ImportedArchiveView>;
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ institution: '测试小额贷款有限公司', exportedBy: 'archivist1', importedBy: 'archivist1' });
    expect(r.value.loans.map((l) => l.contractNo).sort()).toEqual(['HT-2026-001', 'HT-2026-002']);
    expect({ loans: await live(), docs: await liveDocs() }).toEqual(before);
    const files = await d('archive.importedFiles', { archiveId: r.value.id });
    expect(files).toMatchObject({ ok: true });
    const paths = (files as Result<{ path: string }[]> & { ok: true }).value.map((f) => f.path);
    expect(paths).toContain('HT-2026-001_张三/档案/借据.jpg');
    expect(await d('archive.importedFile', { archiveId: r.value.id, path: 'HT-2026-001_张三/档案/借据.jpg' })).toEqual({ ok: true, value: { fileName: '借据.jpg', mime: 'image/jpeg', base64: JPEG.toString('base64') } });
    const pdf = await d('archive.importedFile', { archiveId: r.value.id, path: 'HT-2026-002_李四/档案/借款合同.pdf' });
    expect(pdf).toMatchObject({ ok: true, value: { fileName: '借款合同.pdf', mime: 'application/pdf' } });
    expect(await d('archive.importedFile', { archiveId: r.value.id, path: 'HT-2026-002_李四/档案/没有.pdf' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The same package again: refused, saying when and by whom it came in; still one archive.
    const again = (await d('archive.importPackage', { file, password: PASSWORD })) as Result<ImportedArchiveView>;
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(!again.ok && again.error.message).toContain('archivist1');
    expect(await d('archive.imported', {})).toMatchObject({ ok: true, value: [{ id: r.value.id }] });
  });

  it('says which: a wrong password, a truncated package, an altered file (named); nothing is imported', async () => {
    const { file, usb, d } = await exported();
    expect(await d('archive.importPackage', { file, password: 'Wrong-pass-1' })).toEqual({ ok: false, error: { code: 'VALIDATION', message: '导出包密码不正确。' } });
    const cut = join(usb, 'cut.zip');
    const bytes = readFileSync(file);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const truncated = await d('archive.importPackage', { file: cut, password: PASSWORD });
    expect(truncated).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((truncated as { error: { message: string } }).error.message).toContain('文件不完整');
    const out = join(env.root, 'x');
    const dirs = unpack(file, PASSWORD, out);
    writeFileSync(join(dirs.inner, 'HT-2026-002_李四', '档案', '借款合同.pdf'), Buffer.from('%PDF-1.4 tampered'));
    const repacked = join(usb, 'repacked.zip');
    repack(dirs, PASSWORD, repacked);
    const altered = await d('archive.importPackage', { file: repacked, password: PASSWORD });
    expect(altered).toEqual({ ok: false, error: { code: 'RULE_VIOLATION', message: '导出包核验未通过（缺失 0、改动 1、多出 0 个文件），不能导入：HT-2026-002_李四/档案/借款合同.pdf' } });
    expect(await d('archive.imported', {})).toEqual({ ok: true, value: [] });
  });

  it('is for the archivist and the risk officer, not a supervisor', async () => {
    const { file, d } = await exported();
    await loginAs(env.ctx, 'supervisor1');
    expect(await d('archive.importPackage', { file, password: PASSWORD })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await loginAs(env.ctx, 'risk1');
    expect(await d('archive.importPackage', { file, password: PASSWORD })).toMatchObject({ ok: true });
  });
});
