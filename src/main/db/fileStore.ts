import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Document bytes as encrypted files beside the database (as Signal keeps attachments): reading them back
 * costs one AES-GCM pass instead of SQLCipher's per-page decrypt and HMAC, which keeps the archive export
 * near disk speed.
 *
 * Format: "LKF1" ‖ 8-byte nonce prefix ‖ plain size (u64 LE), then 1 MiB segments, each AES-256-GCM
 * ciphertext ‖ 16-byte tag. Nonce = prefix ‖ segment index (u32 BE). Every segment authenticates the header
 * and the file's own name, so a truncated, reordered, swapped or renamed file fails to open.
 */
const MAGIC = Buffer.from('LKF1', 'ascii');
const HEADER = 20;
const TAG = 16;
export const SEGMENT = 1 << 20;
export const FILES_DIR = 'files';

export class FileStoreError extends Error {
  constructor(
    readonly kind: 'missing' | 'damaged',
    readonly ref: string,
  ) {
    super(`${kind}: ${ref}`);
  }
}

export function filesDir(storeDir: string): string {
  return join(storeDir, FILES_DIR);
}

/** A key for the files only, derived from the data key so that the recovery key opens them too. */
export function fileKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'loankeeper document files v1', 32));
}

function nonce(header: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  header.copy(n, 0, 4, 12);
  n.writeUInt32BE(index, 8);
  return n;
}

const aad = (header: Buffer, ref: string) => Buffer.concat([header, Buffer.from(ref, 'ascii')]);

function writeAll(fd: number, b: Buffer): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}

/** Encrypts `data` into a new file (temp name, fsync, rename) and returns its name. */
export function writeEncryptedFile(dir: string, key: Buffer, data: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const ref = `${randomBytes(16).toString('hex')}.lkf`;
  const tmp = join(dir, `.${ref}.tmp`);
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header);
  randomBytes(8).copy(header, 4);
  header.writeBigUInt64LE(BigInt(data.length), 12);
  const ad = aad(header, ref);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeAll(fd, header);
    for (let i = 0, off = 0; off < data.length; i++, off += SEGMENT) {
      const c = createCipheriv('aes-256-gcm', key, nonce(header, i));
      c.setAAD(ad);
      writeAll(fd, c.update(data.subarray(off, off + SEGMENT)));
      c.final();
      writeAll(fd, c.getAuthTag());
    }
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  renameSync(tmp, join(dir, ref));
  return ref;
}

function readFully(fd: number, buf: Buffer, length: number, position: number): boolean {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) return false;
    got += n;
  }
  return true;
}

/** The plain bytes, one segment at a time, each checked before it is handed out. */
export function* readEncryptedFile(dir: string, key: Buffer, ref: string): Generator<Buffer> {
  if (!/^[0-9a-f]{32}\.lkf$/.test(ref)) throw new FileStoreError('damaged', ref);
  let fd: number;
  try {
    fd = openSync(join(dir, ref), 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new FileStoreError('missing', ref);
    throw e;
  }
  try {
    const header = Buffer.alloc(HEADER);
    if (!readFully(fd, header, HEADER, 0) || !header.subarray(0, 4).equals(MAGIC)) throw new FileStoreError('damaged', ref);
    const size = Number(header.readBigUInt64LE(12));
    const segments = Math.ceil(size / SEGMENT);
    if (fstatSync(fd).size !== HEADER + size + segments * TAG) throw new FileStoreError('damaged', ref);
    const ad = aad(header, ref);
    const buf = Buffer.allocUnsafe(Math.min(size, SEGMENT) + TAG);
    let pos = HEADER;
    for (let i = 0; i < segments; i++) {
      const len = Math.min(SEGMENT, size - i * SEGMENT);
      if (!readFully(fd, buf, len + TAG, pos)) throw new FileStoreError('damaged', ref);
      pos += len + TAG;
      const d = createDecipheriv('aes-256-gcm', key, nonce(header, i));
      d.setAAD(ad);
      d.setAuthTag(buf.subarray(len, len + TAG));
      const out = d.update(buf.subarray(0, len));
      try {
        d.final();
      } catch {
        throw new FileStoreError('damaged', ref);
      }
      yield out;
    }
  } finally {
    closeSync(fd);
  }
}

export function readEncryptedFileWhole(dir: string, key: Buffer, ref: string): Buffer {
  return Buffer.concat([...readEncryptedFile(dir, key, ref)]);
}

/** Names of the stored files (temporary ones left by a crash excluded). */
export function listStoredFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => /^[0-9a-f]{32}\.lkf$/.test(n));
  } catch {
    return [];
  }
}

/**
 * Which of `keys` the file is encrypted under: the index of the first key that authenticates its first segment,
 * -1 when none does (damaged) and 0 for an empty file (it holds nothing to authenticate). Missing: FileStoreError.
 */
export function keyIndexOfFile(dir: string, ref: string, keys: readonly Buffer[]): number {
  for (let i = 0; i < keys.length; i++) {
    try {
      const it = readEncryptedFile(dir, keys[i], ref);
      it.next();
      it.return(undefined);
      return i;
    } catch (e) {
      if (e instanceof FileStoreError && e.kind === 'missing') throw e;
    }
  }
  return -1;
}

/**
 * Re-encrypts one file under another key, keeping its name (the name is part of what each segment
 * authenticates): the new bytes go to a temporary file, are fsynced, and then replace the old file in one rename.
 * At every moment the file under its name is whole, under exactly one of the two keys. Every segment of the old
 * file is checked before anything is replaced.
 */
export function reencryptFile(dir: string, ref: string, from: Buffer, to: Buffer): void {
  const old = Buffer.alloc(HEADER);
  const rfd = openSync(join(dir, ref), 'r');
  try {
    if (!readFully(rfd, old, HEADER, 0) || !old.subarray(0, 4).equals(MAGIC)) throw new FileStoreError('damaged', ref);
  } finally {
    closeSync(rfd);
  }
  const tmp = join(dir, `.${ref}.rekey.tmp`);
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header);
  randomBytes(8).copy(header, 4);
  old.copy(header, 12, 12, 20);
  const ad = aad(header, ref);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeAll(fd, header);
    let i = 0;
    for (const chunk of readEncryptedFile(dir, from, ref)) {
      const c = createCipheriv('aes-256-gcm', to, nonce(header, i++));
      c.setAAD(ad);
      writeAll(fd, c.update(chunk));
      c.final();
      writeAll(fd, c.getAuthTag());
    }
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  renameSync(tmp, join(dir, ref));
}

/** Temporary files a re-encryption left behind when it was interrupted (the file under its own name is intact). */
export function removeRekeyLeftovers(dir: string): void {
  try {
    for (const n of readdirSync(dir)) if (/^\.[0-9a-f]{32}\.lkf\.rekey\.tmp$/.test(n)) rmSync(join(dir, n), { force: true });
  } catch {
    // no folder: nothing left over
  }
}

/**
 * The same format in memory, for the branch server: the desktop seals a document's bytes before they are stored
 * in `documents.content`, so the server never holds a scan in clear text. `label` takes the place of the file
 * name in what each segment authenticates (the document's SHA-256), so content moved to another row fails to open.
 */
export function sealBytes(key: Buffer, data: Buffer, label: string): Buffer {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header);
  randomBytes(8).copy(header, 4);
  header.writeBigUInt64LE(BigInt(data.length), 12);
  const ad = aad(header, label);
  const parts = [header];
  for (let i = 0, off = 0; off < data.length; i++, off += SEGMENT) {
    const c = createCipheriv('aes-256-gcm', key, nonce(header, i));
    c.setAAD(ad);
    parts.push(c.update(data.subarray(off, off + SEGMENT)));
    c.final();
    parts.push(c.getAuthTag());
  }
  return Buffer.concat(parts);
}

/** The plain bytes of `sealBytes`' output, one checked segment at a time; FileStoreError('damaged') otherwise. */
export function* openSealed(key: Buffer, sealed: Buffer, label: string): Generator<Buffer> {
  if (sealed.length < HEADER || !sealed.subarray(0, 4).equals(MAGIC)) throw new FileStoreError('damaged', label);
  const header = sealed.subarray(0, HEADER);
  const size = Number(header.readBigUInt64LE(12));
  const segments = Math.ceil(size / SEGMENT);
  if (sealed.length !== HEADER + size + segments * TAG) throw new FileStoreError('damaged', label);
  const ad = aad(header, label);
  let pos = HEADER;
  for (let i = 0; i < segments; i++) {
    const len = Math.min(SEGMENT, size - i * SEGMENT);
    const d = createDecipheriv('aes-256-gcm', key, nonce(header, i));
    d.setAAD(ad);
    d.setAuthTag(sealed.subarray(pos + len, pos + len + TAG));
    const out = d.update(sealed.subarray(pos, pos + len));
    try {
      d.final();
    } catch {
      throw new FileStoreError('damaged', label);
    }
    pos += len + TAG;
    yield out;
  }
}

/**
 * Which of `keys` sealed `sealed` (its index), judged by its first segment alone; -1 when none does or it is not
 * sealed bytes at all. A key rotation on the branch server asks this of each row to know whether it is done.
 */
export function sealedKeyIndex(sealed: Buffer, label: string, keys: readonly Buffer[]): number {
  for (let i = 0; i < keys.length; i++) {
    try {
      openSealed(keys[i], sealed, label).next();
      return i;
    } catch (e) {
      if (!(e instanceof FileStoreError)) throw e;
    }
  }
  return -1;
}
