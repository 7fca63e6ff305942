import { execFileSync, spawnSync } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { bufferSource, encryptedEntrySource, openEntry, PACKAGE_LIMITS, readEntries } from '../../src/main/archive/zipReader';
import { StreamSealer } from '../../src/main/archive/sealer';
import { ecbFor, winzipCtrStream } from '../../src/main/archive/winzipAes';
import { PlainZipLayout, ZipAesWriter } from '../../src/main/archive/zipWriter';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const PASSWORD = '导出密码 Pw-123';

function memorySink() {
  const chunks: Buffer[] = [];
  return { chunks, sink: { write: (c: Buffer) => void chunks.push(Buffer.from(c)), finish: () => {} } };
}

async function build(files: Record<string, Buffer>): Promise<Buffer> {
  const m = memorySink();
  const w = new ZipAesWriter(m.sink, PASSWORD, new Date('2026-11-25T10:00:00'));
  for (const [name, data] of Object.entries(files)) await w.add(name, data);
  await w.finish();
  return Buffer.concat(m.chunks);
}

/** An outer zip with a plain README and one AES entry that is a plain zip of `files`, sealed as a stream. */
async function nested(files: Record<string, Buffer>, useWorker: boolean): Promise<Buffer> {
  const m = memorySink();
  const w = new ZipAesWriter(m.sink, PASSWORD, new Date('2026-11-25T10:00:00'));
  await w.addPlain('README.txt', Buffer.from('\ufeff说明\r\n'));
  const sealer = new StreamSealer(PASSWORD, useWorker);
  expect(sealer.threaded).toBe(useWorker);
  try {
    const stream = await w.beginEncrypted('档案.zip', sealer.head);
    const inner = new PlainZipLayout(new Date('2026-11-25T10:00:00'));
    for (const [name, data] of Object.entries(files)) {
      // Pieces of odd lengths: the key stream must carry on across them.
      const header = inner.header(name, data.length, crc32(data));
      for (const c of await sealer.push([{ data: header.subarray(0, 7) }, { data: header.subarray(7) }, { data: data.subarray(0, 13) }, { data: Buffer.from(data.subarray(13)), own: true }])) await stream.write(c, true);
    }
    for (const c of await sealer.push([{ data: inner.finish() }])) await stream.write(c, true);
    await stream.end(await sealer.mac());
  } finally {
    await sealer.close();
  }
  await w.finish();
  return Buffer.concat(m.chunks);
}

describe('WinZip AES-256 packages', () => {
  it.each([true, false])('an archive inside one AES entry, sealed as a stream (worker: %s), opens in 7-Zip: only two names outside, real names inside', async (useWorker) => {
    dir = mkdtempSync(join(tmpdir(), 'lk-zip-'));
    const files = { 'DK1_张三/档案/借款申请书（扫描）_张三.jpg': randomBytes(2 * 1024 * 1024 + 3), 'DK1_张三/档案/二.jpg': randomBytes(777), 'DK2_李四/合同.pdf': randomBytes(100_001), 'empty.txt': Buffer.alloc(0) };
    const zip = join(dir, 'nested.zip');
    writeFileSync(zip, await nested(files, useWorker));
    const listing = spawnSync('7z', ['l', '-slt', zip], { encoding: 'utf8' }).stdout;
    expect([...listing.matchAll(/^Path = (.*)$/gm)].map((m) => m[1]).slice(1)).toEqual(['README.txt', '档案.zip']);
    expect(listing).not.toContain('张三');
    const out = join(dir, 'out');
    execFileSync('7z', ['x', `-p${PASSWORD}`, `-o${out}`, zip], { stdio: 'pipe' });
    expect(spawnSync('7z', ['t', join(out, '档案.zip')], { encoding: 'utf8' }).stdout).toContain('Everything is Ok');
    execFileSync('7z', ['x', `-o${join(out, 'inner')}`, join(out, '档案.zip')], { stdio: 'pipe' });
    for (const [name, data] of Object.entries(files)) expect(readFileSync(join(out, 'inner', name)).equals(data), name).toBe(true);
    // Our reader: the password check, the MAC over the whole entry, and reads at any offset.
    const bytes = readFileSync(zip);
    const outer = readEntries(bufferSource(bytes), PACKAGE_LIMITS);
    const entry = outer.find((e) => e.name === '档案.zip')!;
    const enc = encryptedEntrySource(PASSWORD, entry, bufferSource(bytes));
    expect(enc.check()).toBe('ok');
    expect(enc.macOk()).toBe(true);
    expect(encryptedEntrySource('wrong password', entry, bufferSource(bytes)).check()).toBe('password');
    const inner = readEntries(enc.src, PACKAGE_LIMITS);
    for (const [name, data] of Object.entries(files)) {
      const r = openEntry('', inner.find((e) => e.name === name)!, enc.src);
      expect(r.ok && r.data.equals(data), name).toBe(true);
    }
    const tampered = Buffer.from(bytes);
    tampered[entry.payloadOffset! + 5000] ^= 1;
    expect(encryptedEntrySource(PASSWORD, entry, bufferSource(tampered)).macOk()).toBe(false);
  });

  it('the key stream read from any offset is the key stream from the start', () => {
    const key = randomBytes(32);
    const whole = new Uint8Array(200_003);
    winzipCtrStream(ecbFor(key))(whole);
    for (const at of [0, 1, 15, 16, 17, 65_535, 65_536, 131_077]) {
      const part = new Uint8Array(whole.length - at);
      const xor = winzipCtrStream(ecbFor(key), Math.floor(at / 16) + 1);
      if (at % 16) xor(new Uint8Array(at % 16));
      xor(part);
      expect(Buffer.from(part).equals(Buffer.from(whole.subarray(at))), String(at)).toBe(true);
    }
    // And it is WinZip's: AES-ECB of the little-endian counter 1, 2, … (checked against 7-Zip above).
    const first = Buffer.alloc(16);
    first[0] = 1;
    const c = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    expect(Buffer.from(whole.subarray(0, 16)).equals(c.update(first))).toBe(true);
  });

  it('pieces of any length, starting anywhere in their buffers, get the key stream of one pass over the whole', () => {
    const key = randomBytes(32);
    const plain = randomBytes(300_007);
    const whole = new Uint8Array(plain);
    winzipCtrStream(ecbFor(key))(whole);
    // Pieces cut at every remainder modulo 8 and 16, each in its own buffer at an offset of 0 to 7 bytes, so the
    // piece and the key stream are out of step by every amount (the copy that realigns the key stream).
    const xor = winzipCtrStream(ecbFor(key));
    const out: Buffer[] = [];
    let at = 0;
    for (let i = 0; at < plain.length; i++) {
      const len = Math.min(plain.length - at, [1, 7, 9, 15, 16, 17, 65_535, 65_536, 65_543, 131_075, 3][i % 11]);
      const room = new Uint8Array(len + 8);
      const piece = room.subarray(i % 8, (i % 8) + len);
      piece.set(plain.subarray(at, at + len));
      xor(piece);
      out.push(Buffer.from(piece));
      at += len;
    }
    expect(Buffer.concat(out).equals(Buffer.from(whole))).toBe(true);
  });

  it('pieces encrypted out of order, each at its position in the entry, get the key stream of one pass', () => {
    const key = randomBytes(32);
    const plain = randomBytes(200_011);
    const whole = new Uint8Array(plain);
    winzipCtrStream(ecbFor(key))(whole);
    const cuts = [0, 5, 16, 70_001, 70_016, 131_072, 131_080, 200_011];
    const pieces = cuts.slice(1).map((end, i) => ({ at: cuts[i], data: new Uint8Array(plain.subarray(cuts[i], end)) }));
    const xor = winzipCtrStream(ecbFor(key));
    for (const i of [3, 0, 6, 1, 5, 2, 4]) xor(pieces[i].data, pieces[i].at);
    expect(Buffer.concat(pieces.map((p) => p.data)).equals(Buffer.from(whole))).toBe(true);
    // After a piece given its position, one without goes on from where that one stopped.
    const go = winzipCtrStream(ecbFor(key));
    const a = new Uint8Array(plain.subarray(100, 300));
    const b = new Uint8Array(plain.subarray(300, 90_000));
    go(a, 100);
    go(b);
    expect(Buffer.concat([a, b]).equals(Buffer.from(whole.subarray(100, 90_000)))).toBe(true);
  });

  it('7-Zip opens entries encrypted one by one (the version 1 layout) with the password, with Chinese names and exact bytes; without it, it fails', async () => {
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
    const [e] = readEntries(bufferSource(zip), PACKAGE_LIMITS);
    const ok = openEntry(PASSWORD, e, bufferSource(zip));
    expect(ok.ok && createHash('sha256').update(ok.data).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(openEntry('wrong', e, bufferSource(zip))).toMatchObject({ ok: false, reason: 'password' });
    const tampered = Buffer.from(zip);
    tampered[200] ^= 1;
    expect(openEntry(PASSWORD, readEntries(bufferSource(tampered), PACKAGE_LIMITS)[0], bufferSource(tampered))).toMatchObject({ ok: false, reason: 'mac' });
  });
});
