import type { SealedEntry } from './sealer';
import { AesEntryEncryptor, encryptedSize } from './winzipAes';

/** Where the package bytes go; tests inject failures (ENOSPC, EIO) at chosen points. */
export interface Sink {
  /** The caller may reuse `chunk` as soon as this returns (before any promise settles), unless `owned`. */
  write(chunk: Buffer, owned?: boolean): Promise<void> | void;
  /** Flushes to the medium; the caller renames only after this returns. */
  finish(): Promise<void> | void;
}

export interface ZipEntryInfo {
  name: string;
  size: number;
}

const UTF8 = 1 << 11;
const ENCRYPTED = 1;
// FAT32 caps a file at 4 GiB − 1; without ZIP64 so does every size and offset here.
export const MAX_ZIP_BYTES = 0xffffffff;

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** The AE-2 extra field: vendor version 2, vendor "AE", AES-256, real method 0 (stored). */
function aesExtra(): Buffer {
  const b = Buffer.alloc(11);
  b.writeUInt16LE(0x9901, 0);
  b.writeUInt16LE(7, 2);
  b.writeUInt16LE(2, 4);
  b.write('AE', 6, 'ascii');
  b.writeUInt8(3, 8);
  b.writeUInt16LE(0, 9);
  return b;
}

export class ZipAesWriter {
  private offset = 0;
  private central: Buffer[] = [];
  private count = 0;
  private readonly when: { time: number; date: number };

  constructor(
    private readonly sink: Sink,
    private readonly password: string,
    now: Date,
  ) {
    this.when = dosTime(now);
  }

  get bytesWritten(): number {
    return this.offset;
  }

  /** Stored, AES-encrypted entry. Directory entries are implied by the paths. */
  async add(name: string, data: Buffer): Promise<void> {
    await this.addStream(name, data.length, [data]);
  }

  /** The same, with the bytes handed over in pieces, so a large file never sits in memory whole. */
  async addStream(name: string, size: number, chunks: Iterable<Buffer>): Promise<void> {
    const enc = new AesEntryEncryptor(this.password);
    const entry = await this.begin(name, size, enc.head);
    let seen = 0;
    for (const chunk of chunks) {
      seen += chunk.length;
      if (seen > size) throw new Error(`entry ${name} is longer than announced`);
      await this.put(enc.update(chunk));
    }
    if (seen !== size) throw new Error(`entry ${name} is shorter than announced`);
    await this.put(enc.final());
    this.end(entry);
  }

  /** An entry encrypted elsewhere (archive/sealer.ts). */
  async addSealed(name: string, size: number, sealed: SealedEntry): Promise<void> {
    if (sealed.cipher.length !== size) throw new Error(`entry ${name} is not ${size} bytes`);
    const entry = await this.begin(name, size, sealed.head);
    await this.put(sealed.cipher, true);
    await this.put(sealed.mac);
    this.end(entry);
  }

  private async begin(name: string, size: number, head: Buffer) {
    const nameBuf = Buffer.from(name, 'utf8');
    const payloadLength = encryptedSize(size);
    const extra = aesExtra();
    if (this.offset + 30 + nameBuf.length + extra.length + payloadLength > MAX_ZIP_BYTES) throw new RangeError('zip too large');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(51, 4);
    local.writeUInt16LE(ENCRYPTED | UTF8, 6);
    local.writeUInt16LE(99, 8);
    local.writeUInt16LE(this.when.time, 10);
    local.writeUInt16LE(this.when.date, 12);
    local.writeUInt32LE(0, 14); // AE-2: no CRC; the MAC authenticates instead.
    local.writeUInt32LE(payloadLength, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const headerAt = this.offset;
    await this.put(Buffer.concat([local, nameBuf, extra, head]));
    return { nameBuf, extra, payloadLength, size, headerAt };
  }

  private end(e: { nameBuf: Buffer; extra: Buffer; payloadLength: number; size: number; headerAt: number }): void {
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(63, 4);
    cd.writeUInt16LE(51, 6);
    cd.writeUInt16LE(ENCRYPTED | UTF8, 8);
    cd.writeUInt16LE(99, 10);
    cd.writeUInt16LE(this.when.time, 12);
    cd.writeUInt16LE(this.when.date, 14);
    cd.writeUInt32LE(0, 16);
    cd.writeUInt32LE(e.payloadLength, 20);
    cd.writeUInt32LE(e.size, 24);
    cd.writeUInt16LE(e.nameBuf.length, 28);
    cd.writeUInt16LE(e.extra.length, 30);
    cd.writeUInt32LE(e.headerAt, 42);
    this.central.push(Buffer.concat([cd, e.nameBuf, e.extra]));
    this.count++;
  }

  async finish(comment = ''): Promise<void> {
    const cdStart = this.offset;
    for (const c of this.central) await this.put(c);
    const commentBuf = Buffer.from(comment, 'utf8');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(this.offset - cdStart, 12);
    end.writeUInt32LE(cdStart, 16);
    end.writeUInt16LE(commentBuf.length, 20);
    await this.put(Buffer.concat([end, commentBuf]));
    await this.sink.finish();
  }

  private async put(b: Buffer, owned = false): Promise<void> {
    this.offset += b.length;
    await this.sink.write(b, owned);
  }
}

