import * as nodeCrypto from 'node:crypto';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import type { Worker } from 'node:worker_threads';
import { keepWorker, keptWorkerOf, takeWorker } from './keptWorkers';
import { winzipCtrStream } from './winzipAes';

/**
 * Reading a stored document (db/fileStore.ts, format LKF1) for the export, as one self-contained function of
 * its dependencies, so that the reader worker runs it from its source text: each 1 MiB segment is read into
 * one reused buffer, decrypted 64 KiB at a time (AES-GCM) and handed out only once its tag has been checked.
 */
export function storeReaderLib(d: { crypto: typeof nodeCrypto; fs: typeof nodeFs; path: typeof nodePath }) {
  const { crypto, fs, path } = d;
  const MAGIC = 'LKF1';
  const HEADER = 20;
  const TAG = 16;
  const SEGMENT = 1 << 20;
  const PIECE = 64 * 1024;

  class StoreFileError extends Error {
    constructor(readonly kind: 'missing' | 'damaged') {
      super(kind);
    }
  }

  function readFully(fd: number, buf: Buffer, length: number, position: number): boolean {
    let got = 0;
    while (got < length) {
      const n = fs.readSync(fd, buf, got, length - got, position + got);
      if (n === 0) return false;
      got += n;
    }
    return true;
  }

  function open(dir: string, ref: string): { fd: number; header: Buffer; size: number } {
    if (!/^[0-9a-f]{32}\.lkf$/.test(ref)) throw new StoreFileError('damaged');
    let fd: number;
    try {
      fd = fs.openSync(path.join(dir, ref), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreFileError('missing');
      throw e;
    }
    const header = Buffer.alloc(HEADER);
    if (!readFully(fd, header, HEADER, 0) || header.subarray(0, 4).toString('latin1') !== MAGIC) {
      fs.closeSync(fd);
      throw new StoreFileError('damaged');
    }
    const size = Number(header.readBigUInt64LE(12));
    if (fs.fstatSync(fd).size !== HEADER + size + Math.ceil(size / SEGMENT) * TAG) {
      fs.closeSync(fd);
      throw new StoreFileError('damaged');
    }
    return { fd, header, size };
  }

  /** The plain size recorded in a stored file's header (the bytes are checked when read). */
  function sizeOf(dir: string, ref: string): number {
    const f = open(dir, ref);
    fs.closeSync(f.fd);
    return f.size;
  }

  /** The plain bytes in pieces of at most 64 KiB, each segment's only after its tag has been checked. */
  function* pieces(dir: string, key: Uint8Array, ref: string): Generator<Buffer> {
    const { fd, header, size } = open(dir, ref);
    try {
      const aad = Buffer.concat([header, Buffer.from(ref, 'latin1')]);
      const buf = Buffer.allocUnsafe(Math.min(size, SEGMENT) + TAG);
      const segments = Math.ceil(size / SEGMENT);
      let pos = HEADER;
      for (let i = 0; i < segments; i++) {
        const len = Math.min(SEGMENT, size - i * SEGMENT);
        if (!readFully(fd, buf, len + TAG, pos)) throw new StoreFileError('damaged');
        pos += len + TAG;
        const nonce = Buffer.alloc(12);
        header.copy(nonce, 0, 4, 12);
        nonce.writeUInt32BE(i, 8);
        const dec = crypto.createDecipheriv('aes-256-gcm', key, nonce);
        dec.setAAD(aad);
        dec.setAuthTag(buf.subarray(len, len + TAG));
        const out: Buffer[] = [];
        for (let o = 0; o < len; o += PIECE) out.push(dec.update(buf.subarray(o, Math.min(len, o + PIECE))));
        try {
          dec.final();
        } catch {
          throw new StoreFileError('damaged');
        }
        yield* out;
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  return { StoreFileError, sizeOf, pieces };
}

const lib = storeReaderLib({ crypto: nodeCrypto, fs: nodeFs, path: nodePath });
export const { StoreFileError, sizeOf: storedFileSize, pieces: storedFilePieces } = lib;

/**
 * The reader worker: reads stored documents into chunk buffers it owns (made as needed, up to `max`), and
 * computes their CRC-32, so that AES-GCM and its many short-lived output buffers stay off the main thread,
 * whose large heap makes every collection they trigger expensive. Chunks travel to the main thread and the
 * sealer without copies and come back with `give` once written.
 *
 * Given the export's AES key (`cipher`) and a document's position in the encrypted entry (`at`), it also encrypts
 * a chunk itself whenever the sealer's thread has `shareAt` bytes or more still to encrypt (sealer.ts,
 * BACKLOG_TO_SHARE), and marks it so.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
const crypto = require('node:crypto');
const lib = (${storeReaderLib.toString()})({ crypto, fs: require('node:fs'), path: require('node:path') });
const ctrStream = ${winzipCtrStream.toString()};
let ctr = null, backlog = null, shareAt = 0;
let size = 0, max = 0, made = 0;
const free = [];
let waiting = null;
const queue = [];
let busy = false;
const take = () => {
  const b = free.pop() || (made < max ? (made++, new ArrayBuffer(size)) : null);
  return b ? Promise.resolve(b) : new Promise((ok) => (waiting = ok));
};
async function run(m) {
  if (m.type === 'crc') {
    let crc = 0;
    for (const p of lib.pieces(m.dir, m.key, m.ref)) crc = zlib.crc32(p, crc);
    return parentPort.postMessage({ id: m.id, type: 'end', crc });
  }
  let crc = 0, fill = 0, total = 0;
  let chunk = new Uint8Array(await take());
  const post = () => {
    const share = ctr !== null && typeof m.at === 'number' && Atomics.load(backlog, 0) >= shareAt;
    if (share) ctr(chunk.subarray(0, fill), m.at + total - fill);
    parentPort.postMessage({ id: m.id, type: 'chunk', ab: chunk.buffer, len: fill, encrypted: share }, [chunk.buffer]);
  };
  for (const p of lib.pieces(m.dir, m.key, m.ref)) {
    if (m.crc) crc = zlib.crc32(p, crc);
    for (let off = 0; off < p.length; ) {
      const n = Math.min(p.length - off, size - fill);
      chunk.set(p.subarray(off, off + n), fill);
      fill += n; off += n; total += n;
      if (fill === size) {
        post();
        chunk = new Uint8Array(await take());
        fill = 0;
      }
    }
  }
  if (fill > 0) post();
  else free.push(chunk.buffer);
  parentPort.postMessage({ id: m.id, type: 'end', crc: m.crc ? crc : null, size: total });
}
async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const m = queue.shift();
    try {
      await run(m);
    } catch (e) {
      parentPort.postMessage({ id: m.id, type: 'error', kind: e instanceof lib.StoreFileError ? e.kind : 'io', message: String((e && e.message) || e) });
    }
  }
  busy = false;
}
parentPort.on('message', (m) => {
  // A kept reader (keptWorkers.ts) is set up again for the next export; its buffers stay if the size does.
  if (m.type === 'setup') { if (m.size !== size) { free.length = 0; made = 0; } size = m.size; max = m.max; return; }
  // The export's entry key and the sealer's backlog (see above).
  if (m.type === 'cipher') {
    const ecb = crypto.createCipheriv('aes-256-ecb', m.aesKey, null);
    ecb.setAutoPadding(false);
    ctr = ctrStream(ecb);
    backlog = new Int32Array(m.backlog);
    shareAt = m.shareAt;
    return;
  }
  // Handed back to be kept: the chunks that held documents are zeroed (they stay mapped for the next export), and
  // the export's key is dropped.
  if (m.type === 'wipe') { ctr = null; backlog = null; for (const ab of free) new Uint8Array(ab).fill(0); return; }
  // What it holds now: its chunks and how many still have a non-zero byte (a kept thread must hold none).
  if (m.type === 'held') { parentPort.postMessage({ type: 'held', chunks: free.length, dirty: free.filter((ab) => new Uint8Array(ab).some((b) => b !== 0)).length }); return; }
  if (m.type === 'give') {
    if (waiting) { const w = waiting; waiting = null; w(m.ab); } else free.push(m.ab);
    return;
  }
  queue.push(m);
  void pump();
});`;

type FromReader = { id: number; type: 'chunk'; ab: ArrayBuffer; len: number; encrypted: boolean } | { id: number; type: 'end'; crc: number | null; size?: number } | { id: number; type: 'error'; kind: 'missing' | 'damaged' | 'io'; message: string };

export class StoreReadError extends Error {
  constructor(readonly kind: 'missing' | 'damaged' | 'io') {
    super(kind);
  }
}

/** The main thread's side of the reader worker (see WORKER_SOURCE). Requests run one after another, in order. */
export class StoreReader {
  private readonly worker: Worker;
  private next = 1;
  private readonly calls = new Map<number, { onChunk: (b: Buffer, encrypted: boolean) => void; ok: (r: { crc: number | null; size: number }) => void; fail: (e: Error) => void }>();
  private failure: Error | null = null;

  constructor(
    private readonly dir: string,
    private readonly key: Buffer,
    chunkSize: number,
    maxChunks: number,
  ) {
    this.worker = takeWorker(WORKER_SOURCE);
    this.worker.on('message', (m: FromReader) => {
      const c = this.calls.get(m.id);
      if (!c) return;
      if (m.type === 'chunk') return c.onChunk(Buffer.from(m.ab, 0, m.len), m.encrypted);
      this.calls.delete(m.id);
      if (m.type === 'end') c.ok({ crc: m.crc, size: m.size ?? 0 });
      else c.fail(new StoreReadError(m.kind));
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => this.failAll(new Error('store reader stopped')));
    this.worker.postMessage({ type: 'setup', size: chunkSize, max: maxChunks });
  }

  private call(msg: Record<string, unknown>, onChunk: (b: Buffer, encrypted: boolean) => void): Promise<{ crc: number | null; size: number }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((ok, fail) => {
      this.calls.set(id, { onChunk, ok, fail });
      this.worker.postMessage({ ...msg, id, dir: this.dir, key: this.key });
    });
  }

  /** The CRC-32 of a stored file's plain bytes. */
  async crc(ref: string): Promise<number> {
    return (await this.call({ type: 'crc', ref }, () => {})).crc!;
  }

  /**
   * The plain bytes in full chunks (the last one shorter), in order, with their CRC-32 if asked for. With `at`
   * (where the document starts in the encrypted entry, after `cipher`), some chunks may come encrypted.
   */
  read(ref: string, withCrc: boolean, onChunk: (b: Buffer, encrypted: boolean) => void, at?: number): Promise<{ crc: number | null; size: number }> {
    return this.call({ type: 'read', ref, crc: withCrc, at }, onChunk);
  }

  /**
   * The encrypted entry's AES key and the sealer's backlog, so that the reader shares the counter mode: it
   * encrypts the chunks it reads while `shareAt` bytes or more wait for the sealer.
   */
  cipher(aesKey: Buffer, backlog: SharedArrayBuffer, shareAt: number): void {
    if (!this.failure) this.worker.postMessage({ type: 'cipher', aesKey, backlog, shareAt });
  }

  /** A chunk back to the worker once its bytes are written. */
  give(ab: ArrayBuffer): void {
    if (!this.failure) this.worker.postMessage({ type: 'give', ab }, [ab]);
  }

  private failAll(e: Error): void {
    this.failure ??= e;
    for (const c of this.calls.values()) c.fail(e);
    this.calls.clear();
  }

  async close(): Promise<void> {
    this.failAll(new Error('store reader closed'));
    await this.worker.terminate();
  }

  /** After work that ended cleanly (every chunk given back): the thread is kept for the next export. */
  release(): void {
    if (this.failure || this.calls.size > 0) return void this.close();
    this.failure = new Error('store reader released');
    this.worker.postMessage({ type: 'wipe' });
    keepWorker(WORKER_SOURCE, this.worker);
  }
}


/**
 * What the kept reader thread holds between exports, asked of the thread itself: its chunk buffers and how many of
 * them still have a non-zero byte. Null when no reader is kept. For the tests: no document byte may stay behind.
 */
export function keptReaderMemory(): Promise<{ chunks: number; dirty: number } | null> {
  const w = keptWorkerOf(WORKER_SOURCE);
  if (!w) return Promise.resolve(null);
  return new Promise((ok) => {
    const on = (m: { type?: string; chunks?: number; dirty?: number }) => {
      if (m.type !== 'held') return;
      w.off('message', on);
      w.unref();
      ok({ chunks: m.chunks!, dirty: m.dirty! });
    };
    w.on('message', on);
    w.postMessage({ type: 'held' });
  });
}
