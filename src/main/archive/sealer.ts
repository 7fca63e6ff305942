import * as nodeCrypto from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { keepWorker, takeWorker } from './keptWorkers';
import { deriveKeys, MAC_LEN, SALT_LEN, winzipCtrStream } from './winzipAes';

/**
 * The streaming state of one encrypted entry: key stream position and running MAC. A piece already encrypted at
 * its position (by the store reader, see BACKLOG_TO_SHARE) only moves the position on. Self-contained, like
 * winzipCtrStream.
 */
function sealState(crypto: typeof nodeCrypto, ctrStream: typeof winzipCtrStream, aesKey: Uint8Array, macKey: Uint8Array) {
  const ecb = crypto.createCipheriv('aes-256-ecb', aesKey, null);
  ecb.setAutoPadding(false);
  const xor = ctrStream(ecb);
  const hmac = crypto.createHmac('sha1', macKey);
  let at = 0;
  return {
    seal(data: Uint8Array, encrypted = false): void {
      if (!encrypted) xor(data, at);
      at += data.length;
      hmac.update(data);
    },
    mac: (): Uint8Array => hmac.digest(),
  };
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const ctrStream = ${winzipCtrStream.toString()};
const sealState = ${sealState.toString()};
let state = null;
let backlog = null;
parentPort.on('message', (m) => {
  try {
    if (m.type === 'start') {
      state = sealState(crypto, ctrStream, m.aesKey, m.macKey);
      backlog = new Int32Array(m.backlog);
      return;
    }
    // Handed back to be kept (keptWorkers.ts): the package's keys go with the state.
    if (m.type === 'forget') {
      state = null;
      backlog = null;
      return;
    }
    if (m.type === 'data') {
      for (const p of m.pieces) {
        state.seal(new Uint8Array(p.ab, p.off, p.len), p.encrypted);
        if (!p.encrypted) Atomics.sub(backlog, 0, p.len);
      }
      parentPort.postMessage({ id: m.id, pieces: m.pieces }, m.transfer);
      return;
    }
    parentPort.postMessage({ id: m.id, mac: state.mac() });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});`;

/**
 * A piece to seal. `own`: the caller gives up the whole ArrayBuffer under `data` (moved to the worker and back,
 * never copied). `encrypted`: already encrypted at its position in the entry with `aesKey` (only the MAC is left).
 */
export interface SealPiece {
  data: Buffer;
  own?: boolean;
  encrypted?: boolean;
}

interface Wire {
  ab: ArrayBuffer;
  off: number;
  len: number;
  encrypted: boolean;
}

/**
 * The sealer's thread does the MAC, which must run in order, and the counter mode, which need not: while this many
 * bytes or more wait for it, the store reader encrypts the chunks it reads itself (storeReader.ts), so that the
 * two threads share the counter mode instead of the sealer holding up the export on its own.
 */
export const BACKLOG_TO_SHARE = 4 << 20;

/**
 * Encrypts one WinZip AES entry as a stream (the export's whole inner archive) on a second thread, while the
 * main thread reads and decrypts the next document and the writes run on libuv's pool, so the export uses
 * both cores. Pieces are sealed in the order they are pushed. Without a worker (none could start), the same
 * code runs inline.
 */
export class StreamSealer {
  /** salt ‖ password check: what follows the entry's local header. */
  readonly head: Buffer;
  private worker: Worker | null = null;
  private readonly inline: ReturnType<typeof sealState> | null = null;
  /** The entry's AES key, for the store reader to encrypt chunks at their position. */
  readonly aesKey: Buffer;
  /** Bytes handed to the sealer's thread and not yet encrypted by it (Int32, shared with the store reader). */
  readonly backlog = new SharedArrayBuffer(4);
  private next = 1;
  private readonly waiting = new Map<number, { ok: (r: { pieces?: Wire[]; mac?: Uint8Array }) => void; fail: (e: Error) => void }>();

  constructor(password: string, useWorker = true) {
    const salt = nodeCrypto.randomBytes(SALT_LEN);
    const k = deriveKeys(password, salt);
    this.head = Buffer.concat([salt, k.verifier]);
    this.aesKey = k.aesKey;
    if (useWorker) {
      try {
        this.worker = takeWorker(WORKER_SOURCE);
        this.worker.on('message', (m: { id: number; pieces?: Wire[]; mac?: Uint8Array; error?: string }) => {
          const w = this.waiting.get(m.id);
          this.waiting.delete(m.id);
          if (m.error !== undefined) w?.fail(new Error(m.error));
          else w?.ok(m);
        });
        this.worker.on('error', (e) => this.failAll(e));
        this.worker.on('exit', () => this.failAll(new Error('sealer stopped')));
        this.worker.postMessage({ type: 'start', aesKey: k.aesKey, macKey: k.macKey, backlog: this.backlog });
        return;
      } catch {
        this.worker = null;
      }
    }
    this.inline = sealState(nodeCrypto, winzipCtrStream, k.aesKey, k.macKey);
  }

  /** Whether pieces are encrypted on the second thread. */
  get threaded(): boolean {
    return this.worker !== null;
  }

  /**
   * Encrypts the pieces, in order after every piece pushed before; the ciphertext comes back in buffers of the
   * same lengths (for owned pieces, over the same memory). Pieces not owned are copied first.
   */
  async push(pieces: SealPiece[]): Promise<Buffer[]> {
    // Never Node's shared pool slab (small buffers live there): moving it would take it from every other user.
    const movable = (p: SealPiece) => !!p.own && p.data.buffer instanceof ArrayBuffer && p.data.buffer.byteLength > Buffer.poolSize;
    const own = (p: SealPiece) => (movable(p) ? p.data : Buffer.from(p.data));
    if (this.inline) {
      return pieces.map((p) => {
        const b = own(p);
        this.inline!.seal(b, p.encrypted);
        return b;
      });
    }
    const wire: Wire[] = pieces.map((p) => {
      const b = movable(p) ? p.data : Buffer.from(new Uint8Array(p.data).buffer);
      return { ab: b.buffer as ArrayBuffer, off: b.byteOffset, len: b.byteLength, encrypted: !!p.encrypted };
    });
    Atomics.add(new Int32Array(this.backlog), 0, wire.reduce((n, w) => n + (w.encrypted ? 0 : w.len), 0));
    const transfer = [...new Set(wire.map((w) => w.ab))];
    const r = await this.call({ type: 'data', pieces: wire, transfer }, transfer);
    return r.pieces!.map((w) => Buffer.from(w.ab, w.off, w.len));
  }

  /** The entry's 10-byte MAC, once every piece pushed has been sealed. */
  async mac(): Promise<Buffer> {
    const mac = this.inline ? this.inline.mac() : (await this.call({ type: 'end' }, [])).mac!;
    return Buffer.from(mac).subarray(0, MAC_LEN);
  }

  private call(msg: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<{ pieces?: Wire[]; mac?: Uint8Array }> {
    const id = this.next++;
    return new Promise((ok, fail) => {
      if (!this.worker) return fail(new Error('sealer stopped'));
      this.waiting.set(id, { ok, fail });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.fail(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  /** After the MAC, with nothing pending: the thread is kept for the next export. */
  release(): void {
    const w = this.worker;
    if (!w) return;
    if (this.waiting.size > 0) return void this.close();
    this.worker = null;
    w.postMessage({ type: 'forget' });
    keepWorker(WORKER_SOURCE, w);
  }
}
