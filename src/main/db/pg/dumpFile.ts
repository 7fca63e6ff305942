import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import type { SignedHead } from '../auditChain';

/**
 * A branch server's backup on the desktop: pg_dump's custom-format archive (personal data in clear) encrypted as it
 * streams out of the program, so that no plain byte reaches a disk. AES-256-GCM under a key derived from the
 * branch's data key, in segments as db/fileStore.ts writes documents.
 *
 * Layout: prefix = "LKPGBAK1" ‖ 8-byte nonce prefix ‖ 16-byte key check ‖ header length (u32 BE); then the header
 * (JSON) sealed as segment 0; then the archive in segments of at most 1 MiB, each `length (u32 BE) ‖ ciphertext ‖
 * tag`, nonce = nonce prefix ‖ index (u32 BE). Every segment authenticates the prefix and whether it is the last
 * one, so a flipped byte, a cut-off file, reordered segments or a swapped header all fail to open. The key check
 * (an HMAC of the key) tells "another branch's key" apart from "damaged" before anything is decrypted.
 */
export const MAGIC = Buffer.from('LKPGBAK1', 'ascii');
const PREFIX = 8 + 8 + 16 + 4;
const TAG = 16;
export const DUMP_SEGMENT = 1 << 20;
const MORE = 1;
const LAST = 2;
const HEADER_FLAG = 0;
const MAX_HEADER = 256 << 20;

/** What the backup says of the database it was made from, read in the same snapshot as the dump. */
export interface DumpHeader {
  format: 'loankeeper-branch-backup';
  version: 1;
  /** The server's version (`SHOW server_version`) and the database dumped. */
  serverVersion: string;
  database: string;
  madeAt: string;
  madeBy: string;
  /** The audit chain's head at the snapshot, signed with the chain's key; null for an empty chain. */
  head: SignedHead | null;
  latestEntryAt: string | null;
  institution: string | null;
  branch: string | null;
  /** Row counts of every table of the schema. */
  tables: Record<string, number>;
  /** Each stored document (`d:<id>`, `i:<archive>/<path>`) with the SHA-256 of its bytes as stored. */
  documents: { key: string; name: string; sha256: string }[];
}

export class DumpFileError extends Error {
  constructor(
    readonly kind: 'missing' | 'not-a-file' | 'not-branch-backup' | 'wrong-key' | 'damaged',
    readonly detail = '',
  ) {
    super(`${kind}${detail ? `: ${detail}` : ''}`);
  }
}

/** The key of branch backups only, derived from the data key as the files' and the chain's keys are. */
export function dumpKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'loankeeper branch backup v1', 32));
}

function keyCheck(key: Buffer): Buffer {
  return createHmac('sha256', key).update('loankeeper branch backup key check').digest().subarray(0, 16);
}

function nonce(prefix: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 8, 16);
  n.writeUInt32BE(index, 8);
  return n;
}

const aad = (prefix: Buffer, flag: number) => Buffer.concat([prefix, Buffer.from([flag])]);

function writeAll(fd: number, b: Buffer): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, b.length - off);
}

/** Writes one sealed backup into an open file: the header at once, then the archive as it comes, then `finish()`. */
export class DumpWriter {
  private readonly key: Buffer;
  private readonly prefix: Buffer;
  private index = 1;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  bytes = 0;

  constructor(
    private readonly fd: number,
    dataKey: Buffer,
    header: DumpHeader,
  ) {
    this.key = dumpKey(dataKey);
    const body = Buffer.from(JSON.stringify(header), 'utf8');
    this.prefix = Buffer.alloc(PREFIX);
    MAGIC.copy(this.prefix, 0);
    randomBytes(8).copy(this.prefix, 8);
    keyCheck(this.key).copy(this.prefix, 16);
    this.prefix.writeUInt32BE(body.length, 32);
    this.out(this.prefix);
    const c = createCipheriv('aes-256-gcm', this.key, nonce(this.prefix, 0));
    c.setAAD(aad(this.prefix, HEADER_FLAG));
    this.out(Buffer.concat([c.update(body), c.final(), c.getAuthTag()]));
  }

  private out(b: Buffer): void {
    writeAll(this.fd, b);
    this.bytes += b.length;
  }

  private seal(plain: Buffer, flag: number): void {
    const c = createCipheriv('aes-256-gcm', this.key, nonce(this.prefix, this.index++));
    c.setAAD(aad(this.prefix, flag));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(plain.length);
    this.out(Buffer.concat([len, c.update(plain), c.final(), c.getAuthTag()]));
  }

  /** Takes the next bytes of the archive; whole segments are sealed and written, the rest waits in memory. */
  write(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (this.pendingBytes > DUMP_SEGMENT) {
      const all = Buffer.concat(this.pending);
      this.seal(all.subarray(0, DUMP_SEGMENT), MORE);
      const rest = all.subarray(DUMP_SEGMENT);
      this.pending = [rest];
      this.pendingBytes = rest.length;
    }
  }

  /** Seals what is left as the last segment and fsyncs the file. */
  finish(): void {
    this.seal(Buffer.concat(this.pending), LAST);
    this.pending = [];
    this.pendingBytes = 0;
    fsyncSync(this.fd);
    this.key.fill(0);
  }
}

function readFully(fd: number, length: number, position: number): Buffer | null {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) return null;
    got += n;
  }
  return buf;
}

function openFile(file: string): number {
  try {
    const fd = openSync(file, 'r');
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      throw new DumpFileError('not-a-file');
    }
    return fd;
  } catch (e) {
    if (e instanceof DumpFileError) throw e;
    throw new DumpFileError((e as NodeJS.ErrnoException).code === 'EISDIR' ? 'not-a-file' : 'missing');
  }
}

interface Opened {
  fd: number;
  key: Buffer;
  prefix: Buffer;
  header: DumpHeader;
  /** Where the first archive segment starts. */
  start: number;
}

function openSealed(file: string, dataKey: Buffer): Opened {
  const fd = openFile(file);
  try {
    const prefix = readFully(fd, PREFIX, 0);
    if (!prefix || !prefix.subarray(0, 8).equals(MAGIC)) throw new DumpFileError('not-branch-backup');
    const key = dumpKey(dataKey);
    const check = keyCheck(key);
    if (!timingSafeEqual(check, prefix.subarray(16, 32))) {
      key.fill(0);
      throw new DumpFileError('wrong-key');
    }
    const length = prefix.readUInt32BE(32);
    if (length > MAX_HEADER) throw new DumpFileError('damaged', 'header');
    const sealed = readFully(fd, length + TAG, PREFIX);
    if (!sealed) throw new DumpFileError('damaged', 'header');
    const d = createDecipheriv('aes-256-gcm', key, nonce(prefix, 0));
    d.setAAD(aad(prefix, HEADER_FLAG));
    d.setAuthTag(sealed.subarray(length));
    let header: DumpHeader;
    try {
      header = JSON.parse(Buffer.concat([d.update(sealed.subarray(0, length)), d.final()]).toString('utf8')) as DumpHeader;
    } catch {
      throw new DumpFileError('damaged', 'header');
    }
    if (header.format !== 'loankeeper-branch-backup' || header.version !== 1) throw new DumpFileError('not-branch-backup');
    return { fd, key, prefix, header, start: PREFIX + length + TAG };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** The header of a sealed backup, authenticated (the archive itself is not read). Throws DumpFileError. */
export function readDumpHeader(file: string, dataKey: Buffer): DumpHeader {
  const o = openSealed(file, dataKey);
  closeSync(o.fd);
  o.key.fill(0);
  return o.header;
}

/**
 * The archive's plain bytes, one authenticated segment at a time (a segment that fails is never handed out);
 * throws DumpFileError('damaged') at the first bad segment, a missing last one, or bytes after it.
 */
export async function* readDump(file: string, dataKey: Buffer): AsyncGenerator<Buffer> {
  const o = openSealed(file, dataKey);
  try {
    const size = fstatSync(o.fd).size;
    let pos = o.start;
    for (let index = 1; ; index++) {
      const lenBuf = readFully(o.fd, 4, pos);
      if (!lenBuf) throw new DumpFileError('damaged', 'cut short');
      const len = lenBuf.readUInt32BE(0);
      if (len > DUMP_SEGMENT) throw new DumpFileError('damaged', `segment ${index}`);
      const body = readFully(o.fd, len + TAG, pos + 4);
      if (!body) throw new DumpFileError('damaged', 'cut short');
      pos += 4 + len + TAG;
      const last = pos === size;
      const d = createDecipheriv('aes-256-gcm', o.key, nonce(o.prefix, index));
      d.setAAD(aad(o.prefix, last ? LAST : MORE));
      d.setAuthTag(body.subarray(len));
      let plain: Buffer;
      try {
        plain = Buffer.concat([d.update(body.subarray(0, len)), d.final()]);
      } catch {
        throw new DumpFileError('damaged', `segment ${index}`);
      }
      if (plain.length > 0) yield plain;
      if (last) return;
    }
  } finally {
    closeSync(o.fd);
    o.key.fill(0);
  }
}
