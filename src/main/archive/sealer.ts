import * as nodeCrypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { deriveKeys, ecbFor, MAC_LEN, SALT_LEN, winzipCtrXor } from './winzipAes';

/** One entry encrypted whole: salt ‖ password check, ciphertext, MAC. */
export interface SealedEntry {
  head: Buffer;
  cipher: Buffer;
  mac: Buffer;
}

const COUNTER_WORDS = (1 << 20) / 4;

/** Encrypts `data` in place and returns its MAC. Self-contained: it also runs in the worker from its source. */
function sealInPlace(crypto: typeof nodeCrypto, ecb: { update(b: Uint8Array): Uint8Array }, xor: typeof winzipCtrXor, macKey: Uint8Array, data: Uint8Array, counterWords: number): Uint8Array {
  xor(ecb, new Uint32Array(counterWords), { block: 1 }, data, data);
  return crypto.createHmac('sha1', macKey).update(data).digest();
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const xor = ${winzipCtrXor.toString()};
const seal = ${sealInPlace.toString()};
parentPort.on('message', (m) => {
  try {
    const ecb = crypto.createCipheriv('aes-256-ecb', m.aesKey, null);
    ecb.setAutoPadding(false);
    const data = new Uint8Array(m.data);
    const mac = seal(crypto, ecb, xor, m.macKey, data, ${COUNTER_WORDS});
    parentPort.postMessage({ id: m.id, data: m.data, mac }, [m.data]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});`;

/**
 * Encrypts export entries on a second thread while the main thread reads and decrypts the next document
 * and the writes run on libuv's pool, so the export uses both cores. Without a worker (none could start),
 * the same code runs inline.
 */
export class EntrySealer {
  private worker: Worker | null = null;
  private next = 1;
  private readonly waiting = new Map<number, { ok: (r: { data: ArrayBuffer; mac: Uint8Array }) => void; fail: (e: Error) => void }>();

  constructor(useWorker = true) {
    if (!useWorker) return;
    try {
      this.worker = new Worker(WORKER_SOURCE, { eval: true });
      this.worker.on('message', (m: { id: number; data?: ArrayBuffer; mac?: Uint8Array; error?: string }) => {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.error !== undefined) w?.fail(new Error(m.error));
        else w?.ok({ data: m.data!, mac: m.mac! });
      });
      this.worker.on('error', (e) => this.failAll(e));
      this.worker.on('exit', () => this.failAll(new Error('sealer stopped')));
    } catch {
      this.worker = null;
    }
  }

  /** Whether entries are encrypted on the second thread. */
  get threaded(): boolean {
    return this.worker !== null;
  }

  /** Takes ownership of `plain`'s bytes (they are encrypted in place). */
  async seal(password: string, plain: Buffer): Promise<SealedEntry> {
    const salt = nodeCrypto.randomBytes(SALT_LEN);
    const k = deriveKeys(password, salt);
    const head = Buffer.concat([salt, k.verifier]);
    if (!this.worker) {
      const mac = sealInPlace(nodeCrypto, ecbFor(k.aesKey), winzipCtrXor, k.macKey, plain, COUNTER_WORDS);
      return { head, cipher: plain, mac: Buffer.from(mac).subarray(0, MAC_LEN) };
    }
    // A buffer of its own, so that it can be moved to the worker and back without copies.
    const own = plain.byteOffset === 0 && plain.byteLength === plain.buffer.byteLength && plain.buffer instanceof ArrayBuffer ? plain.buffer : new Uint8Array(plain).buffer;
    const id = this.next++;
    const r = await new Promise<{ data: ArrayBuffer; mac: Uint8Array }>((ok, fail) => {
      this.waiting.set(id, { ok, fail });
      this.worker!.postMessage({ id, aesKey: k.aesKey, macKey: k.macKey, data: own }, [own]);
    });
    return { head, cipher: Buffer.from(r.data), mac: Buffer.from(r.mac).subarray(0, MAC_LEN) };
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
