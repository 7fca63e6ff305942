import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { translate } from '../../src/shared/i18n';
import { verifyPackage } from '../../src/main/features/archive/archiveVerify';
import { fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { legacyPackage, listed, manifestOf, rawZip, wrapPackage, zeroBomb } from '../helpers/packages';
import { createStaff, loginAs } from '../helpers/portfolio';

// Every Worker the code under test starts, by the source it runs.
const started = vi.hoisted(() => [] as string[]);
vi.mock('node:worker_threads', async (original) => {
  const m = await original<typeof import('node:worker_threads')>();
  class RecordingWorker extends m.Worker {
    constructor(source: string | URL, opts?: import('node:worker_threads').WorkerOptions) {
      super(source, opts);
      started.push(String(source));
    }
  }
  return { ...m, Worker: RecordingWorker };
});

const PASSWORD = 'KXM7Q-4TP9C-WR2HD-8JNVF-3BGZE';
const t = (k: string, p?: Record<string, string | number>) => translate('zh-CN', k as never, p);
const PDF = Buffer.from('%PDF-1.4\n% 借款合同\n%%EOF\n');

let dir: string;
const envs: TestEnv[] = [];
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const e of envs.splice(0)) e.cleanup();
});

function save(name: string, bytes: Buffer): string {
  dir ??= mkdtempSync(join(tmpdir(), 'lk-hostile-'));
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** A version 2 package whose inner archive holds `entries` plus a manifest listing `files` and matching sums. */
async function pkg(entries: Parameters<typeof rawZip>[0], files: { path: string; sha256: string; size: number }[], manifest: unknown = manifestOf(files)): Promise<Buffer> {
  const sums = Buffer.from(files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
  return wrapPackage(rawZip([...entries, { name: 'SHA256SUMS.txt', payload: sums }, { name: 'manifest.json', payload: Buffer.from(JSON.stringify(manifest)) }]), PASSWORD);
}

describe('hostile packages', () => {
  it('a file that inflates to 4 GiB is stopped at its declared 8 MiB and named as changed; memory stays low; the read ran in a worker', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-hostile-'));
    const bomb = zeroBomb(4096);
    const declared = 8 * 1024 * 1024;
    const entries = [
      { name: 'HT-1_张三/档案/借款合同.pdf', payload: PDF },
      { name: 'HT-1_张三/档案/炸弹.jpg', payload: bomb, method: 8 as const, size: declared },
    ];
    const files = [listed('HT-1_张三/档案/借款合同.pdf', PDF), listed('HT-1_张三/档案/炸弹.jpg', Buffer.alloc(declared))];
    const file = save('bomb.zip', await pkg(entries, files));
    started.length = 0;
    const peakBefore = process.resourceUsage().maxRSS;
    const r = await verifyPackage(file, PASSWORD, t);
    const grewMb = (process.resourceUsage().maxRSS - peakBefore) / 1024;
    expect(r).toMatchObject({ ok: false, error: null, format: 2, changed: ['HT-1_张三/档案/炸弹.jpg'], missing: [], extra: [] });
    expect(grewMb).toBeLessThan(512);
    expect(started).toHaveLength(1);
    expect(started[0]).toContain('packageCheckLib');
  });

  it('a small declared size with far more compressed data behind it, one entry over 512 MB, or 4 GB in all: refused unread', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-hostile-'));
    const tooLarge = t('errors.verifyTooLarge', { file: '' }).slice(2, 12);
    // 1,000 bytes declared, 4 MB of deflate behind them.
    const tiny = save('tiny.zip', await pkg([{ name: 'a.jpg', payload: zeroBomb(4096), method: 8, size: 1000 }], [{ path: 'a.jpg', sha256: '0'.repeat(64), size: 1000 }]));
    expect((await verifyPackage(tiny, PASSWORD, t)).error).toContain(tooLarge);
    // One entry declaring 600 MB.
    const one = save('one.zip', await pkg([{ name: 'a.jpg', payload: zeroBomb(1), method: 8, size: 600 * 1024 * 1024 }], [{ path: 'a.jpg', sha256: '0'.repeat(64), size: 600 * 1024 * 1024 }]));
    expect((await verifyPackage(one, PASSWORD, t)).error).toContain(tooLarge);
    // Eleven entries declaring 400 MB each: 4.4 GB in all.
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.jpg`, payload: zeroBomb(1), method: 8 as const, size: 400 * 1024 * 1024 }));
    const all = save('all.zip', await pkg(many, many.map((e) => ({ path: e.name, sha256: '0'.repeat(64), size: e.size }))));
    expect((await verifyPackage(all, PASSWORD, t)).error).toContain(tooLarge);
    // The same limits, lowered, hold for a package that is otherwise fine.
    const fine = save('fine.zip', await pkg([{ name: 'a.pdf', payload: PDF }], [listed('a.pdf', PDF)]));
    expect(await verifyPackage(fine, PASSWORD, t)).toMatchObject({ ok: true });
    expect((await verifyPackage(fine, PASSWORD, t, { limits: { maxEntries: 100, maxEntryBytes: 1 << 20, maxTotalBytes: 100 } })).error).toContain(tooLarge);
    // 档案.zip may be larger than one file may be (it is never held whole), not its files.
    const page = Buffer.alloc(3000, 0x25);
    const two = save('two.zip', await pkg([{ name: 'a.pdf', payload: page }, { name: 'b.pdf', payload: page }], [listed('a.pdf', page), listed('b.pdf', page)]));
    expect(await verifyPackage(two, PASSWORD, t, { limits: { maxEntries: 100, maxEntryBytes: 3000, maxTotalBytes: 1 << 20 } })).toMatchObject({ ok: true });
    expect((await verifyPackage(two, PASSWORD, t, { limits: { maxEntries: 100, maxEntryBytes: 2999, maxTotalBytes: 1 << 20 } })).error).toContain(tooLarge);
    // A manifest declaring 100 MB is not read at all.
    const bigManifest = save('manifest.zip', await wrapPackage(rawZip([{ name: 'manifest.json', payload: zeroBomb(1), method: 8, size: 100 * 1024 * 1024 }]), PASSWORD));
    expect((await verifyPackage(bigManifest, PASSWORD, t)).error).toContain(tooLarge);
  });

  it('not a zip, ZIP64 markers, a manifest of the wrong shape, a stored entry whose size lies: each refused or named, never trusted', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-hostile-'));
    expect((await verifyPackage(save('junk.zip', Buffer.from('PK\x03\x04 not really')), PASSWORD, t)).error).toBe(t('errors.verifyNotPackage', { file: join(dir, 'junk.zip') }));
    const zip64 = rawZip([{ name: 'a', payload: PDF }]);
    zip64.writeUInt16LE(0xffff, zip64.length - 22 + 10);
    expect((await verifyPackage(save('zip64.zip', await wrapPackage(zip64, PASSWORD)), PASSWORD, t)).error).toContain('不是贷后管家导出包');
    for (const manifest of [{ ...manifestOf([]), files: [{ path: 5, sha256: 'x', size: -1 }] }, { ...manifestOf([]), loans: 'all' }, { format: 'something-else' }, { ...manifestOf([]), files: [{ path: 'a', sha256: 'A'.repeat(64), size: 1 }] }]) {
      const file = save('shape.zip', await pkg([], [], manifest));
      expect((await verifyPackage(file, PASSWORD, t)).error, JSON.stringify(manifest)).toBe(t('errors.verifyManifestDamaged'));
    }
    // A stored entry declaring more bytes than it has: changed (its declared size is not the listed one).
    const lying = save('lying.zip', await pkg([{ name: 'a.pdf', payload: PDF, size: PDF.length + 10 }], [listed('a.pdf', PDF)]));
    expect(await verifyPackage(lying, PASSWORD, t)).toMatchObject({ ok: false, changed: ['a.pdf'] });
  });

  it('a version 1 package (names readable) still verifies and imports; an altered SHA256SUMS.txt in one is named', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-hostile-'));
    const files = { 'HT-1_张三/档案/借款合同.pdf': PDF, 'HT-1_张三/贷后管理卡_HT-1.pdf': Buffer.from('%PDF-1.4 card') };
    const file = save('v1.zip', await legacyPackage(files, PASSWORD));
    expect(await verifyPackage(file, PASSWORD, t)).toMatchObject({ ok: true, format: 1, checked: 2 });
    const e = newEnv();
    envs.push(e);
    await setUp(e, '总部');
    await createStaff(e.ctx);
    await loginAs(e.ctx, 'archivist1');
    const { runImport } = await import('../../src/main/features/archive/archiveImport');
    started.length = 0;
    const a = await runImport(e.ctx, { file, password: PASSWORD });
    expect(a).toMatchObject({ institution: '测试机构', files: 2 });
    expect(started).toHaveLength(1);
    expect(started[0]).toContain('packageCheckLib');

    // The same files with a sums file that disagrees with the manifest.
    const { ZipAesWriter } = await import('../../src/main/archive/zipWriter');
    const chunks: Buffer[] = [];
    const w = new ZipAesWriter({ write: (c) => void chunks.push(Buffer.from(c)), finish: () => {} }, PASSWORD, new Date());
    const list = Object.entries(files).map(([p, d]) => listed(p, d));
    for (const [p, d] of Object.entries(files)) await w.add(p, d);
    await w.add('manifest.json', Buffer.from(JSON.stringify({ ...manifestOf(list), version: 1 })));
    await w.add('SHA256SUMS.txt', Buffer.from(`${'0'.repeat(64)}  HT-1_张三/档案/借款合同.pdf\n${list[1].sha256}  ${list[1].path}\n`));
    await w.finish();
    const altered = save('v1-sums.zip', Buffer.concat(chunks));
    expect(await verifyPackage(altered, PASSWORD, t)).toMatchObject({ ok: false, format: 1, changed: ['SHA256SUMS.txt'], missing: [], extra: [] });
    const refused = await fail(runImport(e.ctx, { file: altered, password: PASSWORD }));
    expect(refused.message).toContain('SHA256SUMS.txt');
  });
});
