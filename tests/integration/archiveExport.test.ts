import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError, type Result } from '../../src/shared/ipc/errors';
import { realFileOps, type FileOps } from '../../src/main/archive/sink';
import { keptReaderMemory, StoreReader } from '../../src/main/archive/storeReader';
import { StreamSealer } from '../../src/main/archive/sealer';
import { keptWorkerCount } from '../../src/main/archive/keptWorkers';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { exportArchive } from '../../src/main/features/archive/archiveExport';
import { usePdfWorker } from '../../src/main/pdf/offThread';
import { verifyPackage } from '../../src/main/features/archive/archiveVerify';
import { cmdExportArchive, cmdVerifyExport } from '../../src/main/cli/commands';
import { bufferSource, PACKAGE_LIMITS, readEntries } from '../../src/main/archive/zipReader';
import { translate } from '../../src/shared/i18n';
import type { ExportJobView } from '../../src/shared/ipc/archive';
import { dispatcherFor, itOnOnePc, localStoreOf, newEnv, setUp, storeFlags, type TestEnv } from '../helpers/context';
import { copyTree, readJson, repack, unpack } from '../helpers/packages';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => {
  vi.restoreAllMocks();
  env?.cleanup();
});

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
  it('writes a package whose names are hidden until the password is given; 7-Zip opens it, sha256sum -c accepts the sums inside, our verify passes', async () => {
    const { ids, usb } = await world();
    const progress: number[] = [];
    const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD, onProgress: (p) => progress.push(p.done) });
    expect(readdirSync(usb)).toEqual([r.file.split('/').pop()]);
    // Named in China time (10:00 there), whatever the PC's time zone.
    expect(r.file).toMatch(/档案导出_测试小额贷款有限公司_20260615-100000\.zip$/);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // Without the password: two names, neither a borrower's nor a contract's.
    const listing = execFileSync('7z', ['l', '-slt', r.file], { encoding: 'utf8' });
    expect([...listing.matchAll(/^Path = (.*)$/gm)].map((m) => m[1]).slice(1)).toEqual(['README.txt', '档案.zip']);
    for (const secret of ['张三', '李四', 'HT', '借据', '合同']) expect(listing).not.toContain(secret);
    expect(listing).toMatch(/Path = 档案.zip[\s\S]*?Encrypted = \+/);
    // Nor does the raw file carry a name anywhere.
    const raw = readFileSync(r.file);
    for (const secret of ['张三', '李四', 'HT-2026-002', '借据 扫描']) expect(raw.includes(Buffer.from(secret)), secret).toBe(false);
    const outerReadme = execFileSync('7z', ['x', '-so', r.file, 'README.txt'], { encoding: 'utf8' });
    expect(outerReadme).toContain('7-Zip');
    expect(outerReadme).toContain('档案.zip');
    for (const secret of ['张三', '测试小额贷款有限公司', 'archivist1']) expect(outerReadme).not.toContain(secret);

    const { inner } = unpack(r.file, PASSWORD, join(env.root, 'out'));
    expect(readdirSync(inner).sort()).toEqual(['HT-2026-002_李四', 'HT_2026_001_张三', 'README.txt', 'SHA256SUMS.txt', 'manifest.json']);
    expect(readdirSync(join(inner, 'HT_2026_001_张三', '档案')).sort()).toEqual(['借据 扫描.jpg', '借款合同.pdf']);
    expect(readFileSync(join(inner, 'HT_2026_001_张三', '档案', '借据 扫描.jpg')).equals(JPEG)).toBe(true);
    const manifest = readJson<{ version: number; files: { path: string }[] }>(join(inner, 'manifest.json'));
    expect(manifest).toMatchObject({ version: 2, institution: '测试小额贷款有限公司', exportedBy: 'archivist1' });
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS.txt'], { cwd: inner, encoding: 'utf8' });
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    expect(sums.stdout.match(/: OK/g)).toHaveLength(manifest.files.length);
    expect(readFileSync(join(inner, 'README.txt'), 'utf8')).toContain('测试小额贷款有限公司');
    const pdftext = execFileSync('pdftotext', [join(inner, 'HT-2026-002_李四', '贷后管理卡_HT-2026-002.pdf'), '-'], { encoding: 'utf8' });
    expect(pdftext).toContain('贷后管理卡');
    expect(spawnSync('7z', ['t', '-pwrong-password', r.file], { encoding: 'utf8' }).status).not.toBe(0);
    const fingerprint = createHash('sha256').update(readFileSync(join(inner, 'manifest.json'))).digest('hex').slice(0, 32);
    expect(r.fingerprint).toBe(fingerprint);
    expect(await verifyPackage(r.file, PASSWORD, t)).toMatchObject({ ok: true, error: null, format: 2, fingerprint, checked: 7, missing: [], extra: [], changed: [] });
  });

  itOnOnePc('large documents go through in fixed pieces and come out byte for byte; with their stored CRC-32 each is read once, without it (older stores) as before', async () => {
    const { ids, usb } = await world();
    await loginAs(env.ctx, 'officer1');
    const scan = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
    const docs = { '大扫描件.jpg': scan(19 * 1024 * 1024 + 12_345), '四兆.jpg': scan(4 * 1024 * 1024), '八兆多一.jpg': scan(8 * 1024 * 1024 + 1) };
    for (const [fileName, bytes] of Object.entries(docs)) await addDocument(env.ctx, { loanId: ids[1], docType: 'iou', fileName, base64: bytes.toString('base64') });
    await loginAs(env.ctx, 'archivist1');
    const db = localStoreOf(env.ctx).sqlite;
    const rows = db.prepare('SELECT file_name, file_ref, crc32 FROM documents ORDER BY id').all() as { file_name: string; file_ref: string; crc32: number | null }[];
    // Stored with the CRC-32 of the bytes given.
    for (const [fileName, bytes] of Object.entries(docs)) expect(rows.find((d) => d.file_name === fileName)?.crc32, fileName).toBe(crc32(bytes));
    const reads = vi.spyOn(StoreReader.prototype, 'read');
    const crcPasses = vi.spyOn(StoreReader.prototype, 'crc');
    const pushes = vi.spyOn(StreamSealer.prototype, 'push');
    const exportAndCheck = async (round: string, shareAt?: number) => {
      reads.mockClear();
      crcPasses.mockClear();
      pushes.mockClear();
      const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD, fileName: `${round}.zip`, shareAt });
      const tested = spawnSync('7z', ['t', `-p${PASSWORD}`, r.file], { encoding: 'utf8' });
      expect(tested.stdout, tested.stderr).toContain('Everything is Ok');
      // 7-Zip checks each inner entry's CRC-32 as it unpacks (and fails on a mismatch).
      const { inner } = unpack(r.file, PASSWORD, join(env.root, `out-${round}`));
      for (const [fileName, bytes] of Object.entries(docs)) expect(readFileSync(join(inner, 'HT-2026-002_李四', '档案', fileName)).equals(bytes), fileName).toBe(true);
      expect(await verifyPackage(r.file, PASSWORD, t)).toMatchObject({ ok: true, checked: 10 });
      const pieces = pushes.mock.calls.flatMap((c) => c[0]);
      return { read: reads.mock.calls.map((c) => c[0]).sort(), crc: crcPasses.mock.calls.map((c) => c[0]).sort(), encrypted: pieces.filter((p) => p.encrypted).length, owned: pieces.filter((p) => p.own).length };
    };
    // One read of every stored document, no CRC-32 pass.
    const withCrc = await exportAndCheck('with-crc');
    expect(withCrc).toMatchObject({ read: rows.map((d) => d.file_ref).sort(), crc: [] });
    // The store reader encrypting every chunk itself, each at its place in the stream (the documents start after
    // headers of several lengths, so at every offset modulo 16): the same bytes come out, and the MAC holds.
    const shared = await exportAndCheck('reader-encrypts', 0);
    expect(shared.encrypted).toBe(shared.owned);
    expect(shared.encrypted).toBeGreaterThanOrEqual(10 + 2 + 4 + 1);
    // As documents stored before the CRC-32 was kept: those over eight MiB get a CRC-32 pass first (read twice),
    // four MiB exactly is read once and held.
    db.prepare('UPDATE documents SET crc32 = NULL').run();
    const without = await exportAndCheck('without-crc');
    const ref = (name: string) => rows.find((d) => d.file_name === name)!.file_ref;
    expect(without).toMatchObject({ read: rows.map((d) => d.file_ref).sort(), crc: [ref('大扫描件.jpg'), ref('八兆多一.jpg')].sort() });
  }, 180_000);

  itOnOnePc('a stored CRC-32 that does not match the file stops the export as a damaged document and leaves no package', async () => {
    const { ids, usb } = await world();
    const row = localStoreOf(env.ctx).sqlite.prepare(`SELECT file_ref, crc32 FROM documents WHERE file_name = '借据 扫描.jpg'`).get() as { file_ref: string; crc32: number };
    localStoreOf(env.ctx).sqlite.prepare(`UPDATE documents SET crc32 = ? WHERE file_name = '借据 扫描.jpg'`).run((row.crc32 ^ 1) >>> 0);
    const e = (await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD }).catch((x: unknown) => x)) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect(e.message).toBe(t('errors.documentFileDamaged', { name: '借据 扫描.jpg', file: row.file_ref }));
    expect(readdirSync(usb)).toEqual([]);
  });

  it('verify names a wrong password, a truncated package, an altered or added file, an altered SHA256SUMS.txt and outer README, and a damaged encrypted archive', async () => {
    const { ids, usb } = await world();
    const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD });
    expect((await verifyPackage(r.file, 'not-it-at-all', t)).error).toBe('导出包密码不正确。');
    const bytes = readFileSync(r.file);
    const cut = join(usb, 'cut.zip');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await verifyPackage(cut, PASSWORD, t)).error).toContain('不完整');
    const dirs = unpack(r.file, PASSWORD, join(env.root, 'x'));

    // One file's bytes changed and one added, the old manifest kept: verify names exactly those.
    const a = copyTree(dirs, join(env.root, 'a'));
    writeFileSync(join(a.inner, 'HT-2026-002_李四', '档案', '借款合同.pdf'), Buffer.from('%PDF-1.4 tampered'));
    writeFileSync(join(a.inner, 'HT-2026-002_李四', '档案', '后加的.txt'), 'extra');
    const repacked = join(usb, 'repacked.zip');
    repack(a, PASSWORD, repacked);
    expect(await verifyPackage(repacked, PASSWORD, t)).toMatchObject({ ok: false, changed: ['HT-2026-002_李四/档案/借款合同.pdf'], extra: ['HT-2026-002_李四/档案/后加的.txt'], missing: [] });

    // Only SHA256SUMS.txt altered: named.
    const b = copyTree(dirs, join(env.root, 'b'));
    const sumsPath = join(b.inner, 'SHA256SUMS.txt');
    const sums = readFileSync(sumsPath, 'utf8');
    writeFileSync(sumsPath, sums.replace(/^[0-9a-f]{8}/, '00000000'));
    const altered = join(usb, 'sums.zip');
    repack(b, PASSWORD, altered);
    expect(await verifyPackage(altered, PASSWORD, t)).toMatchObject({ ok: false, changed: ['SHA256SUMS.txt'], missing: [], extra: [] });

    // SHA256SUMS.txt altered and the manifest's hash of it updated to match: still named (it disagrees with
    // the manifest's list), and the fingerprint is no longer the one on the slip.
    const c = copyTree(dirs, join(env.root, 'c'));
    writeFileSync(join(c.inner, 'SHA256SUMS.txt'), sums.replace(/^[0-9a-f]{8}/, '00000000'));
    const m = readJson<{ sideFiles: { path: string; sha256: string }[] }>(join(c.inner, 'manifest.json'));
    m.sideFiles.find((f) => f.path === 'SHA256SUMS.txt')!.sha256 = createHash('sha256').update(readFileSync(join(c.inner, 'SHA256SUMS.txt'))).digest('hex');
    writeFileSync(join(c.inner, 'manifest.json'), JSON.stringify(m, null, 2));
    const both = join(usb, 'both.zip');
    repack(c, PASSWORD, both);
    const vBoth = await verifyPackage(both, PASSWORD, t);
    expect(vBoth).toMatchObject({ ok: false, changed: ['SHA256SUMS.txt'], missing: [], extra: [] });
    expect(vBoth.fingerprint).not.toBe(r.fingerprint);

    // The outer README rewritten, and a file put beside 档案.zip.
    const d = copyTree(dirs, join(env.root, 'd'));
    writeFileSync(join(d.outer, 'README.txt'), '请把密码发到 …');
    writeFileSync(join(d.outer, '说明.txt'), 'x');
    const outerAltered = join(usb, 'outer.zip');
    repack(d, PASSWORD, outerAltered);
    expect(await verifyPackage(outerAltered, PASSWORD, t)).toMatchObject({ ok: false, changed: ['README.txt（外层）'], extra: ['说明.txt（外层）'], missing: [] });

    // A bit flipped inside the encrypted archive where no listed file lies (the external attributes of
    // manifest.json's central directory entry, the last one before the end record): the MAC names the archive.
    const flipped = Buffer.from(bytes);
    const container = readEntries(bufferSource(bytes), PACKAGE_LIMITS).find((e) => e.name === '档案.zip')!;
    flipped[container.payloadOffset! + 18 + container.size - 22 - (46 + 'manifest.json'.length) + 38] ^= 1;
    const damaged = join(usb, 'damaged.zip');
    writeFileSync(damaged, flipped);
    const vDamaged = await verifyPackage(damaged, PASSWORD, t);
    expect(vDamaged.ok).toBe(false);
    expect(vDamaged.changed).toContain('档案.zip（外层）');
  });

  it('verify-export on the command line reports an altered SHA256SUMS.txt and fails', async () => {
    const { ids, usb } = await world();
    const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD });
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, `${PASSWORD}\n`);
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    try {
      await cmdVerifyExport({ file: r.file, 'password-file': pw });
      expect(out.join('')).toContain('核验通过');
      expect(out.join('')).toContain(r.fingerprint.replace(/(.{4})(?=.)/g, '$1 '));
      const dirs = unpack(r.file, PASSWORD, join(env.root, 'x'));
      writeFileSync(join(dirs.inner, 'SHA256SUMS.txt'), readFileSync(join(dirs.inner, 'SHA256SUMS.txt'), 'utf8').replace(/^[0-9a-f]{8}/, 'ffffffff'));
      const altered = join(usb, 'altered.zip');
      repack(dirs, PASSWORD, altered);
      out.length = 0;
      await expect(cmdVerifyExport({ file: altered, 'password-file': pw })).rejects.toThrow(/核验未通过/);
      expect(out.join('')).toContain('已改动 CHANGED SHA256SUMS.txt');
    } finally {
      spy.mockRestore();
    }
  }, 90_000); // exports a package, then runs the command: slow when the machine is busy

  it('a generated password: five groups of five from 32 unambiguous symbols, new each time; the slip PDF carries it, the package name and fingerprint, with its fonts embedded', async () => {
    const { ids, usb } = await world();
    const d = dispatcherFor(env.ctx);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const r = (await d('archive.newPassword', {})) as Result<{ password: string }>;
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.password).toMatch(/^([2-9A-HJ-NP-Z]{5}-){4}[2-9A-HJ-NP-Z]{5}$/);
      seen.add(r.value.password);
    }
    expect(seen.size).toBe(200);
    expect(new Set([...seen].join('').replace(/-/g, ''))).toEqual(new Set('23456789ABCDEFGHJKLMNPQRSTUVWXYZ'));
    const password = [...seen][0];
    // Typed passwords: twelve characters at least, printable ASCII.
    expect(await d('archive.export', { loanIds: ids, targetDir: usb, password: 'Short-pw-11' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await d('archive.export', { loanIds: ids, targetDir: usb, password: '十二个字符的中文密码也不行啊' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const started = (await d('archive.export', { loanIds: ids, targetDir: usb, password })) as Result<ExportJobView>;
    if (!started.ok) throw new Error(started.error.message);
    let job = started.value;
    while (job.state === 'running') {
      await new Promise((res) => setTimeout(res, 50));
      job = ((await d('archive.exportStatus', { jobId: job.id })) as Result<ExportJobView> & { ok: true }).value;
    }
    expect(job).toMatchObject({ state: 'done', fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(spawnSync('7z', ['t', `-p${password}`, job.file!], { encoding: 'utf8' }).stdout).toContain('Everything is Ok');
    const slip = (await d('archive.passwordSlip', { password, jobId: job.id })) as Result<{ fileName: string; base64: string }>;
    if (!slip.ok) throw new Error(slip.error.message);
    expect(slip.value.fileName).toBe('档案导出包密码单.pdf');
    const pdf = join(env.root, 'slip.pdf');
    writeFileSync(pdf, Buffer.from(slip.value.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain(password);
    expect(text).toContain(job.fingerprint!.replace(/(.{4})(?=.)/g, '$1 '));
    expect(text).toContain(job.file!.split('/').pop()!);
    expect(text).toContain('档案.zip');
    expect(text).toContain('测试小额贷款有限公司');
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f, f).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
    expect(fonts.some((f) => f.includes('NotoSansMonoCJKsc'))).toBe(true);
    // Before the export, the slip has the password but names no package.
    const early = (await d('archive.passwordSlip', { password, jobId: null })) as Result<{ base64: string }>;
    writeFileSync(pdf, Buffer.from((early as { value: { base64: string } }).value.base64, 'base64'));
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('导出完成前打印');
    expect(await d('archive.passwordSlip', { password, jobId: '0123456789abcdef' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('export-archive on the command line generates the password when none is given, prints it once and writes the slip', async () => {
    const { usb } = await world();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, 'Archivist1-pass\n');
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    try {
      const to = join(usb, '档案.zip');
      const slip = join(env.root, 'slip.pdf');
      await cmdExportArchive({ ...storeFlags(env), user: 'archivist1', 'password-file': pw, loans: 'HT/2026:001,HT-2026-002', to, slip });
      const password = /导出密码 export password（只显示这一次 shown once）：(\S+)/.exec(out.join(''))![1];
      expect(password).toMatch(/^([2-9A-HJ-NP-Z]{5}-){4}[2-9A-HJ-NP-Z]{5}$/);
      expect(await verifyPackage(to, password, t)).toMatchObject({ ok: true, checked: 7 });
      expect(execFileSync('pdftotext', [slip, '-'], { encoding: 'utf8' })).toContain(password);
      const short = join(env.root, 'short.txt');
      writeFileSync(short, 'Eleven-char\n');
      await expect(cmdExportArchive({ ...storeFlags(env), user: 'archivist1', 'password-file': pw, loans: 'HT-2026-002', to: join(usb, 'b.zip'), 'export-password-file': short })).rejects.toThrow(/至少 12 位/);
    } finally {
      spy.mockRestore();
    }
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

  it('cards and ledgers cross to the PDF worker as data and come back into the package; a worker that stops fails the export cleanly', async () => {
    const { ids, usb } = await world();
    // A stand-in worker (the real one is a bundle entry, tried by tests/desktop/archiveExport.spec.ts): it answers
    // each job with what it was given, so the package shows what crossed the thread.
    const echo = join(env.root, 'echoWorker.mjs');
    writeFileSync(
      echo,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, bytes: Buffer.from(m.job.kind + ' ' + (m.job.kind === 'card' ? m.job.detail.loan.contractNo + ' ' + m.job.extras.officerName : m.job.contractNo + ' ' + m.job.entries.length)) }));`,
    );
    const stops = join(env.root, 'stoppingWorker.mjs');
    writeFileSync(stops, `process.exit(3);`);
    try {
      usePdfWorker(echo);
      const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD });
      const { inner } = unpack(r.file, PASSWORD, join(env.root, 'echoed'));
      const made = readdirSync(inner, { recursive: true, encoding: 'utf8' })
        .filter((p) => /\/(贷后管理卡|贷款台账)_/.test(p))
        .map((p) => readFileSync(join(inner, p), 'utf8'))
        .sort();
      // Each loan's card with its data (contract number, officer), each ledger with its entries.
      expect(made.filter((x) => x.startsWith('card '))).toEqual(['card HT-2026-002 officer1', 'card HT/2026:001 officer1']);
      expect(made.filter((x) => x.startsWith('ledger ')).map((x) => x.replace(/ \d+$/, ''))).toEqual(['ledger HT-2026-002', 'ledger HT/2026:001']);
      expect(made.filter((x) => x.startsWith('ledger ')).every((x) => Number(x.split(' ')[2]) > 0)).toBe(true);
      // The same name again (the clock stands still here): refused, the package in place untouched.
      const again = (await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD }).catch((x: unknown) => x)) as AppError;
      expect(again.message).toBe(t('errors.exportExists', { file: r.file }));
      expect(readdirSync(usb)).toEqual([r.file.slice(usb.length + 1)]);
      usePdfWorker(stops);
      const usb2 = join(env.root, 'usb2');
      mkdirSync(usb2);
      const e = (await exportArchive(env.ctx, { loanIds: ids, targetDir: usb2, password: PASSWORD }).catch((x: unknown) => x)) as AppError;
      expect(e).toBeInstanceOf(AppError);
      expect(e.message).toBe(t('errors.pdfFailed'));
      expect(readdirSync(usb2)).toEqual([]);
    } finally {
      usePdfWorker(null);
    }
  });

  itOnOnePc('the reader and sealer threads of an export that ended cleanly are kept for the next one; after a failure they are stopped', async () => {
    const { ids, usb } = await world();
    await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD });
    expect(keptWorkerCount()).toBe(2);
    // The kept reader still has the chunks the documents went through, every byte of them zeroed.
    const held = await keptReaderMemory();
    expect(held?.chunks).toBeGreaterThan(0);
    expect(held?.dirty).toBe(0);
    // The next export takes them (none kept while it runs) and gives them back.
    const second = exportArchive(env.ctx, { loanIds: ids, targetDir: join(usb, '..'), password: PASSWORD, fileName: 'second.zip' });
    expect(keptWorkerCount()).toBe(0);
    await second;
    expect(keptWorkerCount()).toBe(2);
    const bad: FileOps = { ...realFileOps, fsync: () => { throw Object.assign(new Error('EIO'), { code: 'EIO' }); } };
    await expect(exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD, fileName: 'third.zip', ops: bad })).rejects.toBeInstanceOf(AppError);
    expect(keptWorkerCount()).toBe(0);
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
    const { importPackage, importedArchives, importedFile, importedFiles } = await import('../../src/main/features/archive/archiveImport');
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
  itOnOnePc('an altered encrypted file stops the export with the document named, and leaves no package', async () => {
    const { ids, usb } = await world();
    const ref = (await localStoreOf(env.ctx).db.selectFrom('documents').select('file_ref').where('file_name', '=', '借据 扫描.jpg').executeTakeFirstOrThrow()).file_ref!;
    const path = join(env.dataDir, 'files', ref);
    const bytes = readFileSync(path);
    bytes[100_000] ^= 1;
    writeFileSync(path, bytes);
    const e = (await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD }).catch((x: unknown) => x)) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect(e.message).toBe(t('errors.documentFileDamaged', { name: '借据 扫描.jpg', file: ref }));
    expect(readdirSync(usb)).toEqual([]);
  });

  itOnOnePc('an older row kept in the database is exported, and verify names it as changed against the hash recorded when it was stored', async () => {
    const { ids, usb } = await world();
    localStoreOf(env.ctx).sqlite.prepare(`UPDATE documents SET content = X'FFD8FF00', file_ref = NULL WHERE file_name = '借据 扫描.jpg'`).run();
    const r = await exportArchive(env.ctx, { loanIds: ids, targetDir: usb, password: PASSWORD });
    expect(await verifyPackage(r.file, PASSWORD, t)).toMatchObject({ ok: false, changed: ['HT_2026_001_张三/档案/借据 扫描.jpg'], missing: [], extra: [] });
  });
});
