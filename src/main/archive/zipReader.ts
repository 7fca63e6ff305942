import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { decrypt, type DecryptResult } from './winzipAes';

/** Random access to package bytes: a buffer in tests, a file on a stick in real use. */
export interface Source {
  size: number;
  read(offset: number, length: number): Buffer;
}

export function bufferSource(b: Buffer): Source {
  return { size: b.length, read: (o, l) => b.subarray(o, Math.min(b.length, o + l)) };
}

export function fileSource(path: string): Source & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const len = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.alloc(len);
      let got = 0;
      while (got < len) {
        const n = readSync(fd, buf, got, len - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    },
    close: () => closeSync(fd),
  };
}

export interface ZipEntry {
  name: string;
  size: number;
  payloadOffset: number | null;
  payloadLength: number;
  encrypted: boolean;
  /** The real compression: 0 stored, 8 deflate (for AES entries, read from the AE extra field). */
  method: number;
}

export class ZipFormatError extends Error {}

/** Reads the central directory; entries whose data lies beyond the end (a truncated file) have no payload. */
export function readEntries(src: Source | Buffer): ZipEntry[] {
  const s = Buffer.isBuffer(src) ? bufferSource(src) : src;
  const tailLen = Math.min(s.size, 22 + 0xffff);
  const tail = s.read(s.size - tailLen, tailLen);
  const at = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (at < 0 || at + 22 > tail.length) throw new ZipFormatError('no end of central directory');
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdStart = tail.readUInt32LE(at + 16);
  const cd = s.read(cdStart, cdSize);
  if (cd.length < cdSize) throw new ZipFormatError('central directory cut short');
  const out: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError('bad central directory');
    const flags = cd.readUInt16LE(p + 8);
    let method = cd.readUInt16LE(p + 10);
    const csize = cd.readUInt32LE(p + 20);
    const usize = cd.readUInt32LE(p + 24);
    const nlen = cd.readUInt16LE(p + 28);
    const xlen = cd.readUInt16LE(p + 30);
    const clen = cd.readUInt16LE(p + 32);
    const local = cd.readUInt32LE(p + 42);
    const name = cd.subarray(p + 46, p + 46 + nlen).toString('utf8');
    if (method === 99) method = aesMethod(cd.subarray(p + 46 + nlen, p + 46 + nlen + xlen));
    let payloadOffset: number | null = null;
    const lh = s.read(local, 30);
    if (lh.length === 30 && lh.readUInt32LE(0) === 0x04034b50) {
      const start = local + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
      if (start + csize <= s.size) payloadOffset = start;
    }
    out.push({ name, size: usize, payloadOffset, payloadLength: csize, encrypted: (flags & 1) === 1, method });
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

function aesMethod(extra: Buffer): number {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 0x9901 && len >= 7) return extra.readUInt16LE(q + 4 + 5);
    q += 4 + len;
  }
  return -1;
}

/** Decrypts (WinZip AES) and inflates an entry, as other zip tools may write them too. */
export function openEntry(password: string, e: ZipEntry, src: Source | Buffer): DecryptResult {
  if (e.payloadOffset === null) return { ok: false, reason: 'short' };
  const s = Buffer.isBuffer(src) ? bufferSource(src) : src;
  const raw = s.read(e.payloadOffset, e.payloadLength);
  const plain: DecryptResult = e.encrypted ? decrypt(password, raw) : { ok: true, data: raw };
  if (!plain.ok || e.method === 0) return plain;
  if (e.method !== 8) return { ok: false, reason: 'mac' };
  try {
    return { ok: true, data: inflateRawSync(plain.data) };
  } catch {
    return { ok: false, reason: 'mac' };
  }
}
