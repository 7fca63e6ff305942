import { decrypt } from './winzipAes';

export interface ZipEntry {
  name: string;
  size: number;
  /** The entry's payload (salt ‖ check ‖ ciphertext ‖ MAC), or null when it lies beyond the end. */
  payload: Buffer | null;
  encrypted: boolean;
}

export class ZipFormatError extends Error {}

/** Reads the central directory of a (possibly truncated) package made by ZipAesWriter. */
export function readEntries(zip: Buffer): ZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > zip.length) throw new ZipFormatError('no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError('bad central directory');
    const flags = zip.readUInt16LE(p + 8);
    const csize = zip.readUInt32LE(p + 20);
    const usize = zip.readUInt32LE(p + 24);
    const nlen = zip.readUInt16LE(p + 28);
    const xlen = zip.readUInt16LE(p + 30);
    const clen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nlen).toString('utf8');
    let payload: Buffer | null = null;
    if (local + 30 <= zip.length && zip.readUInt32LE(local) === 0x04034b50) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      if (start + csize <= zip.length) payload = zip.subarray(start, start + csize);
    }
    out.push({ name, size: usize, payload, encrypted: (flags & 1) === 1 });
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

export function openEntry(password: string, e: ZipEntry): ReturnType<typeof decrypt> {
  if (!e.payload) return { ok: false, reason: 'short' };
  return decrypt(password, e.payload);
}
