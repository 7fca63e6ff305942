import * as nodeCrypto from 'node:crypto';
import * as nodeFs from 'node:fs';
import * as nodeZlib from 'node:zlib';
import { winzipCtrStream } from './winzipAes';

/**
 * Reading zips that may be hostile (export packages from a USB stick, Excel workbooks): everything here
 * treats the bytes as an attacker's. Declared sizes are capped one by one and in total before anything is
 * read; inflation stops at the declared size, so a small entry that inflates to gigabytes (a zip bomb) costs
 * no more than its declared size; ZIP64, other compression methods and inconsistent headers are refused.
 */
export interface ZipLimits {
  /** Entries in one zip. */
  maxEntries: number;
  /** Declared uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Declared uncompressed sizes of all entries of one zip together. */
  maxTotalBytes: number;
}

/** Random access to zip bytes: a buffer in tests and workbooks, a file on a stick in real use. Reads return bytes of their own. */
export interface Source {
  size: number;
  read(offset: number, length: number): Buffer;
}

export interface ZipEntry {
  name: string;
  /** Declared uncompressed size. */
  size: number;
  payloadOffset: number | null;
  payloadLength: number;
  encrypted: boolean;
  /** The real compression: 0 stored, 8 deflate (for AES entries, read from the AE extra field). */
  method: number;
}

export type OpenResult = { ok: true; data: Buffer } | { ok: false; reason: 'password' | 'mac' | 'short' | 'size' };

export interface ReaderDeps {
  crypto: typeof nodeCrypto;
  fs: typeof nodeFs;
  zlib: typeof nodeZlib;
  ctrStream: typeof winzipCtrStream;
}

/**
 * The reader, as one self-contained function of its dependencies: it refers to nothing outside itself, so the
 * package worker (archive/packageWorker.ts) runs it from its source text, and the main thread uses the same
 * code (workbook checks, tests) through the exports below.
 */
export function zipReaderLib(deps: ReaderDeps) {
  const { crypto, fs, zlib, ctrStream } = deps;
  const SALT = 16;
  const PWV = 2;
  const MAC = 10;

  /** `kind` 'limit': over a declared-size limit; 'format': not a zip we read (or cut short). */
  class ZipFormatError extends Error {
    constructor(
      readonly kind: 'format' | 'limit',
      message: string,
    ) {
      super(message);
    }
  }

  function bufferSource(b: Buffer): Source {
    return { size: b.length, read: (o, l) => Buffer.from(b.subarray(Math.max(0, o), Math.min(b.length, o + l))) };
  }

  function fileSource(path: string): Source & { close(): void } {
    const fd = fs.openSync(path, 'r');
    const size = fs.fstatSync(fd).size;
    return {
      size,
      read(offset, length) {
        const len = Math.max(0, Math.min(length, size - offset));
        const buf = Buffer.allocUnsafeSlow(len);
        let got = 0;
        while (got < len) {
          const n = fs.readSync(fd, buf, got, len - got, offset + got);
          if (n === 0) break;
          got += n;
        }
        return buf.subarray(0, got);
      },
      close: () => fs.closeSync(fd),
    };
  }

  function aesMethod(extra: Buffer): number {
    for (let q = 0; q + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(q);
      const len = extra.readUInt16LE(q + 2);
      if (id === 0x9901 && len >= 7 && q + 4 + 7 <= extra.length) return extra.readUInt16LE(q + 4 + 5);
      q += 4 + len;
    }
    return -1;
  }

  /** Compressed bytes an entry of `size` may take: deflate's worst case plus room, and the AES overhead. */
  const maxPayload = (size: number, encrypted: boolean) => size + Math.ceil(size / 64) + 1024 + (encrypted ? SALT + PWV + MAC : 0);

  /**
   * Reads the central directory. Refuses (ZipFormatError) a zip over the limits or one it does not read;
   * entries whose data lies beyond the end (a truncated file) have no payload.
   */
  function readEntries(s: Source, limits: ZipLimits): ZipEntry[] {
    const tailLen = Math.min(s.size, 22 + 0xffff);
    const tail = s.read(s.size - tailLen, tailLen);
    const at = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (at < 0 || at + 22 > tail.length) throw new ZipFormatError('format', 'no end of central directory');
    const count = tail.readUInt16LE(at + 10);
    const cdSize = tail.readUInt32LE(at + 12);
    const cdStart = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdStart === 0xffffffff) throw new ZipFormatError('format', 'ZIP64');
    if (count > limits.maxEntries) throw new ZipFormatError('limit', `${count} entries`);
    const eocdAt = s.size - tailLen + at;
    if (cdStart + cdSize > eocdAt || cdSize > count * (46 + 3 * 0xffff)) throw new ZipFormatError('format', 'central directory out of place');
    const cd = s.read(cdStart, cdSize);
    if (cd.length < cdSize) throw new ZipFormatError('format', 'central directory cut short');
    const out: ZipEntry[] = [];
    let total = 0;
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError('format', 'bad central directory');
      const flags = cd.readUInt16LE(p + 8);
      let method = cd.readUInt16LE(p + 10);
      const csize = cd.readUInt32LE(p + 20);
      const usize = cd.readUInt32LE(p + 24);
      const nlen = cd.readUInt16LE(p + 28);
      const xlen = cd.readUInt16LE(p + 30);
      const clen = cd.readUInt16LE(p + 32);
      const local = cd.readUInt32LE(p + 42);
      if (p + 46 + nlen + xlen + clen > cd.length) throw new ZipFormatError('format', 'bad central directory');
      if (csize === 0xffffffff || usize === 0xffffffff || local === 0xffffffff) throw new ZipFormatError('format', 'ZIP64');
      const name = cd.subarray(p + 46, p + 46 + nlen).toString('utf8');
      const encrypted = (flags & 1) === 1;
      if (method === 99) method = aesMethod(cd.subarray(p + 46 + nlen, p + 46 + nlen + xlen));
      if (usize > limits.maxEntryBytes) throw new ZipFormatError('limit', `${name}: ${usize} bytes`);
      total += usize;
      if (total > limits.maxTotalBytes) throw new ZipFormatError('limit', `${total} bytes in all`);
      if (csize > maxPayload(usize, encrypted)) throw new ZipFormatError('limit', `${name}: ${csize} bytes for ${usize}`);
      let payloadOffset: number | null = null;
      const lh = s.read(local, 30);
      if (lh.length === 30 && lh.readUInt32LE(0) === 0x04034b50) {
        const start = local + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
        if (start + csize <= s.size) payloadOffset = start;
      }
      out.push({ name, size: usize, payloadOffset, payloadLength: csize, encrypted, method });
      p += 46 + nlen + xlen + clen;
    }
    return out;
  }

  function deriveKeys(password: string, salt: Buffer) {
    const dk = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 1000, 66, 'sha1');
    return { aesKey: dk.subarray(0, 32), macKey: dk.subarray(32, 64), verifier: dk.subarray(64, 66) };
  }

  function ecb(aesKey: Buffer) {
    const c = crypto.createCipheriv('aes-256-ecb', aesKey, null);
    c.setAutoPadding(false);
    return c;
  }

  /** WinZip AES: the password check, the MAC, then the plain bytes (decrypted in place in `payload`). */
  function decrypt(password: string, payload: Buffer): OpenResult {
    if (payload.length < SALT + PWV + MAC) return { ok: false, reason: 'short' };
    const k = deriveKeys(password, payload.subarray(0, SALT));
    if (!crypto.timingSafeEqual(k.verifier, payload.subarray(SALT, SALT + PWV))) return { ok: false, reason: 'password' };
    const cipher = payload.subarray(SALT + PWV, payload.length - MAC);
    const mac = crypto.createHmac('sha1', k.macKey).update(cipher).digest().subarray(0, MAC);
    if (!crypto.timingSafeEqual(mac, payload.subarray(payload.length - MAC))) return { ok: false, reason: 'mac' };
    ctrStream(ecb(k.aesKey))(cipher);
    return { ok: true, data: cipher };
  }

  /** Decrypts (WinZip AES) and inflates an entry; inflation stops at the declared size. */
  function openEntry(password: string, e: ZipEntry, s: Source): OpenResult {
    if (e.payloadOffset === null) return { ok: false, reason: 'short' };
    const raw = s.read(e.payloadOffset, e.payloadLength);
    if (raw.length < e.payloadLength) return { ok: false, reason: 'short' };
    const plain: OpenResult = e.encrypted ? decrypt(password, raw) : { ok: true, data: raw };
    if (!plain.ok) return plain;
    if (e.method === 0) return plain.data.length === e.size ? plain : { ok: false, reason: 'size' };
    if (e.method !== 8) return { ok: false, reason: 'mac' };
    let data: Buffer;
    try {
      data = zlib.inflateRawSync(plain.data, { maxOutputLength: Math.max(1, e.size) });
    } catch (x) {
      // RangeError: it would inflate beyond its declared size (stopped there); otherwise not valid deflate.
      return { ok: false, reason: x instanceof RangeError ? 'size' : 'mac' };
    }
    return data.length === e.size ? { ok: true, data } : { ok: false, reason: 'size' };
  }

  /**
   * The plain bytes of a stored WinZip AES entry as a Source of its own, decrypted on each read (CTR reaches any
   * offset), so a zip inside it is read like any other: only what is asked for is read and decrypted.
   * `check` runs the entry's password check; `macOk` reads the whole ciphertext once to check its MAC.
   */
  function encryptedEntrySource(password: string, e: ZipEntry, s: Source) {
    const start = e.payloadOffset ?? 0;
    const cipherLen = e.payloadLength - SALT - PWV - MAC;
    const head = e.payloadOffset === null ? Buffer.alloc(0) : s.read(start, SALT + PWV);
    const k = head.length === SALT + PWV ? deriveKeys(password, head.subarray(0, SALT)) : null;
    const inner: Source = {
      size: Math.max(0, Math.min(e.size, cipherLen)),
      read(offset, length) {
        const len = Math.max(0, Math.min(length, inner.size - offset));
        const data = s.read(start + SALT + PWV + offset, len);
        const xor = ctrStream(ecb(k!.aesKey), Math.floor(offset / 16) + 1);
        if (offset % 16) xor(new Uint8Array(offset % 16));
        xor(data);
        return data;
      },
    };
    return {
      src: inner,
      check(): 'ok' | 'password' | 'short' {
        if (e.payloadOffset === null || !k || cipherLen < 0 || e.method !== 0 || e.size !== cipherLen) return 'short';
        return crypto.timingSafeEqual(k.verifier, head.subarray(SALT)) ? 'ok' : 'password';
      },
      macOk(): boolean {
        const hmac = crypto.createHmac('sha1', k!.macKey);
        const STEP = 1 << 20;
        for (let o = 0; o < cipherLen; o += STEP) {
          const piece = s.read(start + SALT + PWV + o, Math.min(STEP, cipherLen - o));
          if (piece.length === 0) return false;
          hmac.update(piece);
        }
        const mac = s.read(start + SALT + PWV + cipherLen, MAC);
        return mac.length === MAC && crypto.timingSafeEqual(hmac.digest().subarray(0, MAC), mac);
      },
    };
  }

  /**
   * Checks a zip held in memory before another library unpacks it (exceljs over an .xlsx): within the limits,
   * nothing encrypted, stored or deflate only, and every entry inflates to exactly its declared size (inflation
   * stops there). Then whatever unpacks it next is held to those sizes too.
   */
  function checkZip(b: Buffer, limits: ZipLimits): { ok: true } | { ok: false; kind: 'format' | 'limit'; detail: string } {
    try {
      const s = bufferSource(b);
      for (const e of readEntries(s, limits)) {
        if (e.encrypted || (e.method !== 0 && e.method !== 8)) return { ok: false, kind: 'format', detail: e.name };
        const r = openEntry('', e, s);
        if (!r.ok) return { ok: false, kind: r.reason === 'size' ? 'limit' : 'format', detail: e.name };
      }
      return { ok: true };
    } catch (x) {
      if (x instanceof ZipFormatError) return { ok: false, kind: x.kind, detail: x.message };
      throw x;
    }
  }

  return { ZipFormatError, bufferSource, fileSource, readEntries, openEntry, encryptedEntrySource, checkZip };
}

const lib = zipReaderLib({ crypto: nodeCrypto, fs: nodeFs, zlib: nodeZlib, ctrStream: winzipCtrStream });
export const { ZipFormatError, bufferSource, fileSource, readEntries, openEntry, encryptedEntrySource, checkZip } = lib;
export type ZipReader = typeof lib;

/** Export packages: as many entries as a zip without ZIP64 holds; a document up to 512 MiB; 4 GiB in all (what FAT32 holds). */
export const PACKAGE_LIMITS: ZipLimits = { maxEntries: 0xfffe, maxEntryBytes: 512 * 1024 * 1024, maxTotalBytes: 0xffffffff };
