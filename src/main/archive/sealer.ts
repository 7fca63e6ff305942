import * as nodeCrypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { deriveKeys, MAC_LEN, SALT_LEN, winzipCtrStream } from './winzipAes';

/** The streaming state of one encrypted entry: key stream position and running MAC. Self-contained, like winzipCtrStream. */
function sealState(crypto: typeof nodeCrypto, ctrStream: typeof winzipCtrStream, aesKey: Uint8Array, macKey: Uint8Array) {
  const ecb = crypto.createCipheriv('aes-256-ecb', aesKey, null);
  ecb.setAutoPadding(false);
  const xor = ctrStream(ecb);
  const hmac = crypto.createHmac('sha1', macKey);
  return {
    seal(data: Uint8Array): void {
      xor(data);
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
parentPort.on('message', (m) => {
  try {
    if (m.type === 'start') {
      state = sealState(crypto, ctrStream, m.aesKey, m.macKey);
      return;
    }
    if (m.type === 'data') {
      for (const b of m.buffers) state.seal(new Uint8Array(b));
      parentPort.postMessage({ id: m.id, buffers: m.buffers }, m.buffers);
      return;
    }
    parentPort.postMessage({ id: m.id, mac: state.mac() });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});`;

/** An ArrayBuffer holding exactly `b`'s bytes, moved to the worker without a copy when `b` owns all of its memory. */
function ownBuffer(b: Buffer): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer;
  return new Uint8Array(b).buffer as ArrayBuffer;
}

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
  private next = 1;
  private readonly waiting = new Map<number, { ok: (r: { buffers?: ArrayBuffer[]; mac?: Uint8Array }) => void; fail: (e: Error) => void }>();

  constructor(password: string, useWorker = true) {
    const salt = nodeCrypto.randomBytes(SALT_LEN);
    const k = deriveKeys(password, salt);
    this.head = Buffer.concat([salt, k.verifier]);
    if (useWorker) {
      try {
        this.worker = new Worker(WORKER_SOURCE, { eval: true });
        this.worker.on('message', (m: { id: number; buffers?: ArrayBuffer[]; mac?: Uint8Array; error?: string }) => {
          const w = this.waiting.get(m.id);
          this.waiting.delete(m.id);
          if (m.error !== undefined) w?.fail(new Error(m.error));
          else w?.ok(m);
        });
        this.worker.on('error', (e) => this.failAll(e));
        this.worker.on('exit', () => this.failAll(new Error('sealer stopped')));
        this.worker.postMessage({ type: 'start', aesKey: k.aesKey, macKey: k.macKey });
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
   * Encrypts the pieces, in order after every piece pushed before. Takes ownership of their bytes (they may be
   * moved to the worker and encrypted in place); the ciphertext comes back as new buffers of the same lengths.
   */
  async push(pieces: Buffer[]): Promise<Buffer[]> {
    if (this.inline) {
      for (const p of pieces) this.inline.seal(p);
      return pieces;
    }
    const buffers = pieces.map(ownBuffer);
    const r = await this.call({ type: 'data', buffers }, buffers);
    return r.buffers!.map((b) => Buffer.from(b));
  }

  /** The entry's 10-byte MAC, once every piece pushed has been sealed. */
  async mac(): Promise<Buffer> {
    const mac = this.inline ? this.inline.mac() : (await this.call({ type: 'end' }, [])).mac!;
    return Buffer.from(mac).subarray(0, MAC_LEN);
  }

  private call(msg: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<{ buffers?: ArrayBuffer[]; mac?: Uint8Array }> {
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
}
