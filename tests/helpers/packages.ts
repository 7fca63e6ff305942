import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import { StreamSealer } from '../../src/main/archive/sealer';
import { ZipAesWriter } from '../../src/main/archive/zipWriter';

/**
 * Opens an export package the way an auditor does with 7-Zip: the outer zip with the password, then 档案.zip
 * inside it. Returns the two folders.
 */
export function unpack(file: string, password: string, into: string): { outer: string; inner: string } {
  const outer = join(into, 'outer');
  const inner = join(into, 'inner');
  execFileSync('7z', ['x', `-p${password}`, `-o${outer}`, file], { stdio: 'pipe' });
  execFileSync('7z', ['x', `-o${inner}`, join(outer, '档案.zip')], { stdio: 'pipe' });
  return { outer, inner };
}

/**
 * Packs the folders again as someone with the password could: the inner folder as a plain 档案.zip, then the
 * outer folder with AES-256, stored. The result has the package's layout, so only the changed files differ.
 */
export function repack(dirs: { outer: string; inner: string }, password: string, to: string): void {
  const innerZip = join(dirs.outer, '档案.zip');
  rmSync(innerZip, { force: true });
  execFileSync('7z', ['a', '-tzip', '-mx0', innerZip, '.'], { cwd: dirs.inner, stdio: 'pipe' });
  execFileSync('7z', ['a', '-tzip', '-mx0', '-mem=AES256', `-p${password}`, to, '.'], { cwd: dirs.outer, stdio: 'pipe' });
}

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** A copy of the folders, to alter one thing and repack. */
export function copyTree(dirs: { outer: string; inner: string }, into: string): { outer: string; inner: string } {
  mkdirSync(into, { recursive: true });
  execFileSync('cp', ['-a', dirs.outer, join(into, 'outer')]);
  execFileSync('cp', ['-a', dirs.inner, join(into, 'inner')]);
  return { outer: join(into, 'outer'), inner: join(into, 'inner') };
}

/** One entry of a hand-made zip: `payload` as stored, with whatever size, method and CRC it claims. */
export interface RawEntry {
  name: string;
  payload: Buffer;
  method?: 0 | 8;
  size?: number;
  crc?: number;
}

/** A plain zip written byte by byte, so that tests can make it lie. */
export function rawZip(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.method ?? 0;
    const size = e.size ?? e.payload.length;
    const crc = e.crc ?? (method === 0 ? crc32(e.payload) : 0);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(1 << 11, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc >>> 0, 14);
    lh.writeUInt32LE(e.payload.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(1 << 11, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(e.payload.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    parts.push(lh, name, e.payload);
    offset += 30 + name.length + e.payload.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

/** Raw deflate that inflates to `mib` MiB of zeros from about 1 KB per MiB: a zip bomb's payload. */
export function zeroBomb(mib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: zlibConstants.Z_SYNC_FLUSH, level: 9 });
  return Buffer.concat([...Array.from({ length: mib }, () => block), Buffer.from([0x03, 0x00])]);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A manifest in the package's format for files given as path → bytes (or a declared size and hash). */
export function manifestOf(files: { path: string; sha256: string; size: number }[], extra: Record<string, unknown> = {}) {
  return {
    format: 'loankeeper-archive-export',
    version: 2,
    institution: '测试机构',
    branch: '',
    exportedAt: '2026-06-15T02:00:00.000Z',
    exportedBy: 'archivist1',
    loans: [{ contractNo: 'HT-1', borrower: '张三', folder: 'HT-1_张三' }],
    files,
    ...extra,
  };
}

export const listed = (path: string, data: Buffer) => ({ path, sha256: sha(data), size: data.length });

/** Wraps inner zip bytes as a version 2 package: a plain README and 档案.zip as one AES-256 entry. */
export async function wrapPackage(inner: Buffer, password: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const w = new ZipAesWriter({ write: (c) => void chunks.push(Buffer.from(c)), finish: () => {} }, password, new Date('2026-06-15T10:00:00'));
  await w.addPlain('README.txt', Buffer.from('README'));
  const sealer = new StreamSealer(password, false);
  const s = await w.beginEncrypted('档案.zip', sealer.head);
  for (const c of await sealer.push([{ data: Buffer.from(inner) }])) await s.write(c);
  await s.end(await sealer.mac());
  await w.finish();
  return Buffer.concat(chunks);
}

/** A version 1 package (every file its own AES entry, names readable), as exports were written before. */
export async function legacyPackage(files: Record<string, Buffer>, password: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const w = new ZipAesWriter({ write: (c) => void chunks.push(Buffer.from(c)), finish: () => {} }, password, new Date('2026-06-15T10:00:00'));
  const list = Object.entries(files).map(([path, data]) => listed(path, data));
  for (const [path, data] of Object.entries(files)) await w.add(path, data);
  const manifest = { ...manifestOf(list), version: 1 };
  await w.add('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
  await w.add('SHA256SUMS.txt', Buffer.from(list.map((f) => `${f.sha256}  ${f.path}\n`).join('')));
  await w.add('README.txt', Buffer.from('\ufeff贷后管家 档案导出包\r\n'));
  await w.finish();
  return Buffer.concat(chunks);
}
