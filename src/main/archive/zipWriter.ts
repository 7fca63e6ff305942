import { crc32 } from 'node:zlib';
import { AesEntryEncryptor, encryptedSize, MAC_LEN, PWV_LEN, SALT_LEN } from './winzipAes';

/** Where the package bytes go; tests inject failures (ENOSPC, EIO) at chosen points. */
export interface Sink {
  /**
   * The caller may reuse `chunk` as soon as this returns (before any promise settles), unless `owned`; then
   * `released`, if given, says when it may.
   */
  write(chunk: Buffer, owned?: boolean, released?: () => void): Promise<void> | void;
  /** Flushes to the medium; the caller renames only after this returns. */
  finish(): Promise<void> | void;
}

const UTF8 = 1 << 11;
const ENCRYPTED = 1;
/** Sizes follow the data in a data descriptor (the inner archive's length is known only at its end). */
const DESCRIPTOR = 1 << 3;
// FAT32 caps a file at 4 GiB − 1; without ZIP64 so does every size and offset here.
export const MAX_ZIP_BYTES = 0xffffffff;

export interface DosTime {
  time: number;
  date: number;
}

export function dosTime(d: Date): DosTime {
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

interface HeaderFields {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  extra: Buffer;
  when: DosTime;
}

function localHeader(h: HeaderFields): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(h.method === 99 ? 51 : 20, 4);
  b.writeUInt16LE(h.flags, 6);
  b.writeUInt16LE(h.method, 8);
  b.writeUInt16LE(h.when.time, 10);
  b.writeUInt16LE(h.when.date, 12);
  b.writeUInt32LE(h.crc >>> 0, 14);
  b.writeUInt32LE(h.csize, 18);
  b.writeUInt32LE(h.usize, 22);
  b.writeUInt16LE(h.name.length, 26);
  b.writeUInt16LE(h.extra.length, 28);
  return Buffer.concat([b, h.name, h.extra]);
}

function centralHeader(h: HeaderFields, at: number): Buffer {
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(63, 4);
  b.writeUInt16LE(h.method === 99 ? 51 : 20, 6);
  b.writeUInt16LE(h.flags, 8);
  b.writeUInt16LE(h.method, 10);
  b.writeUInt16LE(h.when.time, 12);
  b.writeUInt16LE(h.when.date, 14);
  b.writeUInt32LE(h.crc >>> 0, 16);
  b.writeUInt32LE(h.csize, 20);
  b.writeUInt32LE(h.usize, 24);
  b.writeUInt16LE(h.name.length, 28);
  b.writeUInt16LE(h.extra.length, 30);
  b.writeUInt32LE(at, 42);
  return Buffer.concat([b, h.name, h.extra]);
}

function endOfCentralDirectory(count: number, cdSize: number, cdStart: number, comment: Buffer): Buffer {
  if (count > 0xffff) throw new RangeError('too many entries');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(cdStart, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([end, comment]);
}

/**
 * A padding extra field (the id Android's zipalign uses) that makes the data after a local header start on a
 * 16-byte boundary of the stream, so that the key stream of the surrounding encryption lines up with it and
 * whole documents are XORed 8 bytes at a time.
 */
function alignExtra(headerEnd: number): Buffer {
  const pad = (16 - ((headerEnd + 4) % 16)) % 16;
  const b = Buffer.alloc(4 + pad);
  b.writeUInt16LE(0xd935, 0);
  b.writeUInt16LE(pad, 2);
  return b;
}

/**
 * An ordinary zip (stored entries, no encryption, real names) laid out as bytes for a stream: the caller sends
 * each entry's header and data on (into the encrypted outer entry) and ends with `finish()`. Each file's data
 * starts on a 16-byte boundary of this stream.
 */
export class PlainZipLayout {
  private offset = 0;
  private readonly central: Buffer[] = [];
  private readonly when: DosTime;

  constructor(now: Date) {
    this.when = dosTime(now);
  }

  get size(): number {
    return this.offset;
  }

  /** The local header for `name` with `size` bytes of data whose CRC-32 is `crc`; the data follows it. */
  header(name: string, size: number, crc: number): Buffer {
    const nameBuf = Buffer.from(name, 'utf8');
    const fields: HeaderFields = { name: nameBuf, flags: UTF8, method: 0, crc, csize: size, usize: size, extra: alignExtra(this.offset + 30 + nameBuf.length), when: this.when };
    const local = localHeader(fields);
    if (this.offset + local.length + size > MAX_ZIP_BYTES) throw new RangeError('zip too large');
    this.central.push(centralHeader({ ...fields, extra: Buffer.alloc(0) }, this.offset));
    this.offset += local.length + size;
    return local;
  }

  /** A header followed by its (small) data, as one buffer. */
  entry(name: string, data: Buffer): Buffer {
    return Buffer.concat([this.header(name, data.length, crc32(data)), data]);
  }

  /** The central directory and its end record. */
  finish(): Buffer {
    const cd = Buffer.concat(this.central);
    const out = Buffer.concat([cd, endOfCentralDirectory(this.central.length, cd.length, this.offset, Buffer.alloc(0))]);
    this.offset += out.length;
    return out;
  }
}

/** Writes a zip whose entries are stored, each either plain or WinZip AES-256 encrypted. */
export class ZipAesWriter {
  private offset = 0;
  private central: Buffer[] = [];
  private count = 0;
  private readonly when: DosTime;

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
    const fields = this.fields(name, ENCRYPTED | UTF8, 99, 0, encryptedSize(size), size);
    const at = await this.begin(fields);
    await this.put(enc.head);
    let seen = 0;
    for (const chunk of chunks) {
      seen += chunk.length;
      if (seen > size) throw new Error(`entry ${name} is longer than announced`);
      await this.put(enc.update(chunk), true);
    }
    if (seen !== size) throw new Error(`entry ${name} is shorter than announced`);
    await this.put(enc.final());
    this.end(fields, at);
  }

  /** Stored, not encrypted (the outer README, which says how to open the rest). */
  async addPlain(name: string, data: Buffer): Promise<void> {
    const fields = this.fields(name, UTF8, 0, crc32(data), data.length, data.length);
    const at = await this.begin(fields);
    await this.put(data);
    this.end(fields, at);
  }

  /**
   * An AES entry whose ciphertext is produced elsewhere (archive/sealer.ts) and whose length is known only at
   * its end: the sizes follow the data in a data descriptor. `head` is the salt ‖ password check.
   */
  async beginEncrypted(name: string, head: Buffer): Promise<EncryptedEntryStream> {
    if (head.length !== SALT_LEN + PWV_LEN) throw new Error('bad AES head');
    const fields = this.fields(name, ENCRYPTED | UTF8 | DESCRIPTOR, 99, 0, 0, 0);
    const at = await this.begin(fields);
    await this.put(head);
    const start = this.offset;
    let plain = 0;
    return {
      write: async (cipher: Buffer, owned = false, released?: () => void) => {
        plain += cipher.length;
        if (this.offset + cipher.length + MAC_LEN + 16 > MAX_ZIP_BYTES) {
          released?.();
          throw new RangeError('zip too large');
        }
        await this.put(cipher, owned, released);
      },
      end: async (mac: Buffer) => {
        await this.put(mac);
        const csize = this.offset - start + SALT_LEN + PWV_LEN;
        const dd = Buffer.alloc(16);
        dd.writeUInt32LE(0x08074b50, 0);
        dd.writeUInt32LE(0, 4); // AE-2: no CRC; the MAC authenticates instead.
        dd.writeUInt32LE(csize, 8);
        dd.writeUInt32LE(plain, 12);
        await this.put(dd);
        this.end({ ...fields, csize, usize: plain }, at);
      },
    };
  }

  private fields(name: string, flags: number, method: number, crc: number, csize: number, usize: number): HeaderFields {
    return { name: Buffer.from(name, 'utf8'), flags, method, crc, csize, usize, extra: method === 99 ? aesExtra() : Buffer.alloc(0), when: this.when };
  }

  private async begin(h: HeaderFields): Promise<number> {
    const local = localHeader(h);
    if (this.offset + local.length + h.csize > MAX_ZIP_BYTES) throw new RangeError('zip too large');
    const at = this.offset;
    await this.put(local);
    return at;
  }

  private end(h: HeaderFields, at: number): void {
    this.central.push(centralHeader(h, at));
    this.count++;
  }

  async finish(comment = ''): Promise<void> {
    const cdStart = this.offset;
    const cd = Buffer.concat(this.central);
    await this.put(cd);
    await this.put(endOfCentralDirectory(this.count, cd.length, cdStart, Buffer.from(comment, 'utf8')));
    await this.sink.finish();
  }

  private async put(b: Buffer, owned = false, released?: () => void): Promise<void> {
    this.offset += b.length;
    await this.sink.write(b, owned, released);
  }
}

export interface EncryptedEntryStream {
  /** Ciphertext, in order; `owned` and `released` as for Sink.write. */
  write(cipher: Buffer, owned?: boolean, released?: () => void): Promise<void>;
  /** The MAC; then the data descriptor and the central directory entry. */
  end(mac: Buffer): Promise<void>;
}
