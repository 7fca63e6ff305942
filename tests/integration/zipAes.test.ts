import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEntry, readEntries } from '../../src/main/archive/zipReader';
import { EntrySealer } from '../../src/main/archive/sealer';
import { ZipAesWriter } from '../../src/main/archive/zipWriter';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = '导出密码 Pw-123';

async function build(files: Record<string, Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const w = new ZipAesWriter({ write: (c) => void chunks.push(Buffer.from(c)), finish: () => {} }, PASSWORD, new Date('2026-11-25T10:00:00'));
  for (const [name, data] of Object.entries(files)) await w.add(name, data);
  await w.finish();
  return Buffer.concat(chunks);
}

describe('WinZip AES-256 packages', () => {
  it('entries sealed on the worker thread and inline both open in 7-Zip byte for byte', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-zip-'));
    const files = { 'a/扫描件一.jpg': randomBytes(2 * 1024 * 1024 + 3), 'a/扫描件二.jpg': randomBytes(777), 'b/合同.pdf': randomBytes(1024 * 1024) };
    const chunks: Buffer[] = [];
    const w = new ZipAesWriter({ write: (c) => void chunks.push(Buffer.from(c)), finish: () => {} }, PASSWORD, new Date('2026-11-25T10:00:00'));
    for (const useWorker of [true, false]) {
      const sealer = new EntrySealer(useWorker);
      expect(sealer.threaded).toBe(useWorker);
      try {
        for (const [name, data] of Object.entries(files)) await w.addSealed(`${useWorker ? 'w' : 'i'}/${name}`, data.length, await sealer.seal(PASSWORD, Buffer.from(data)));
      } finally {
        await sealer.close();
      }
    }
    await w.finish();
    const zip = join(dir, 'sealed.zip');
    writeFileSync(zip, Buffer.concat(chunks));
    const out = join(dir, 'out');
    execFileSync('7z', ['x', `-p${PASSWORD}`, `-o${out}`, zip], { stdio: 'pipe' });
    for (const p of ['w', 'i']) for (const [name, data] of Object.entries(files)) expect(readFileSync(join(out, p, name)).equals(data), `${p}/${name}`).toBe(true);
  });

  it('an entry fed in 1 MiB pieces (as documents are streamed) opens in 7-Zip byte for byte; a wrong length is refused', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-zip-'));
    const big = randomBytes(3 * 1024 * 1024 + 5);
    const pieces = function* () {
      for (let off = 0; off < big.length; off += 1 << 20) yield big.subarray(off, off + (1 << 20));
    };
    const chunks: Buffer[] = [];
    const w = new ZipAesWriter({ write: (c) => void chunks.push(Buffer.from(c)), finish: () => {} }, PASSWORD, new Date('2026-11-25T10:00:00'));
    await w.addStream('扫描件.jpg', big.length, pieces());
    await w.finish();
    const zip = join(dir, 'streamed.zip');
    writeFileSync(zip, Buffer.concat(chunks));
    const out = join(dir, 'out');
    execFileSync('7z', ['x', `-p${PASSWORD}`, `-o${out}`, zip], { stdio: 'pipe' });
    expect(readFileSync(join(out, '扫描件.jpg')).equals(big)).toBe(true);
    const bad = new ZipAesWriter({ write: () => {}, finish: () => {} }, PASSWORD, new Date());
    await expect(bad.addStream('short.bin', 10, [Buffer.alloc(9)])).rejects.toThrow(/shorter/);
    await expect(bad.addStream('long.bin', 10, [Buffer.alloc(11)])).rejects.toThrow(/longer/);
  });

  it('7-Zip opens them with the password, with Chinese names and exact bytes; without it, it fails', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-zip-'));
    const photo = randomBytes(3 * 1024 * 1024 + 7);
    const files = { 'DK2026000001_张三/现场照片.jpg': photo, 'DK2026000001_张三/合同.pdf': Buffer.from('%PDF-1.4 测试'), 'README.txt': Buffer.from('\ufeff说明\r\n'), 'empty.txt': Buffer.alloc(0) };
    const zip = join(dir, 'package.zip');
    writeFileSync(zip, await build(files));
    const out = join(dir, 'out');
    mkdirSync(out);
    execFileSync('7z', ['x', `-p${PASSWORD}`, `-o${out}`, zip], { stdio: 'pipe' });
    for (const [name, data] of Object.entries(files)) expect(readFileSync(join(out, name)).equals(data), name).toBe(true);
    const wrong = spawnSync('7z', ['t', '-pnot-the-password', zip], { encoding: 'utf8' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toMatch(/Wrong password|Data Error/i);
  });

  it('our reader checks the password and the MAC of every entry', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lk-zip-'));
    const data = randomBytes(100_000);
    const zip = await build({ 'a.bin': data });
    const [e] = readEntries(zip);
    const ok = openEntry(PASSWORD, e, zip);
    expect(ok.ok && createHash('sha256').update(ok.data).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(openEntry('wrong', e, zip)).toMatchObject({ ok: false, reason: 'password' });
    const tampered = Buffer.from(zip);
    tampered[200] ^= 1;
    expect(openEntry(PASSWORD, readEntries(tampered)[0], tampered)).toMatchObject({ ok: false, reason: 'mac' });
  });
});
