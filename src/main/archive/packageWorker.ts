import { Worker } from 'node:worker_threads';
import { FINGERPRINT_HEX, INNER_ARCHIVE, MANIFEST, PACKAGE_FORMAT, README, SUMS } from './format';
import { packageCheckLib, type CheckedFile, type Manifest, type PackageFindings, type PackageNames, type RefusalCode } from './packageCheck';
import { winzipCtrStream } from './winzipAes';
import { PACKAGE_LIMITS, zipReaderLib, type ZipLimits } from './zipReader';

const NAMES: PackageNames = { format: PACKAGE_FORMAT, inner: INNER_ARCHIVE, readme: README, manifest: MANIFEST, sums: SUMS, fingerprintHex: FINGERPRINT_HEX };

/** manifest.json beyond this is refused unread: it lists files, it does not hold them. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * The worker: opens the package, then answers each `next` with one checked file (its bytes moved, not copied,
 * when asked for), then with the findings. One package per worker; the main thread paces it, so at most one
 * file's bytes are in flight.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const reader = (${zipReaderLib.toString()})({ crypto, fs: require('node:fs'), zlib: require('node:zlib'), ctrStream: ${winzipCtrStream.toString()} });
const lib = (${packageCheckLib.toString()})({ reader, crypto, names: ${JSON.stringify(NAMES)} });
let pkg = null;
let files = null;
let wantData = false;
const send = (m, transfer) => parentPort.postMessage(m, transfer || []);
parentPort.on('message', (m) => {
  try {
    if (m.type === 'open') {
      const r = lib.open(m.file, m.password, m.limits, m.maxManifestBytes);
      if (!r.ok) return send({ type: 'refused', code: r.code });
      pkg = r.pkg;
      files = lib.files(pkg);
      wantData = m.wantData;
      return send({ type: 'opened', format: pkg.format, manifestText: pkg.manifestText, fingerprint: pkg.fingerprint });
    }
    if (m.type === 'next') {
      const n = files.next();
      if (!n.done) {
        const f = n.value;
        if (!wantData || !f.data) return send({ type: 'file', path: f.path, size: f.size, problem: f.problem, data: null });
        const own = f.data.byteOffset === 0 && f.data.byteLength === f.data.buffer.byteLength ? f.data.buffer : new Uint8Array(f.data).buffer;
        return send({ type: 'file', path: f.path, size: f.size, problem: f.problem, data: own }, [own]);
      }
      const findings = lib.findings(pkg);
      lib.close(pkg);
      pkg = null;
      return send({ type: 'done', findings });
    }
  } catch (e) {
    send({ type: 'crash', message: String((e && e.stack) || e) });
  }
});`;

type FromWorker =
  | { type: 'refused'; code: RefusalCode }
  | { type: 'opened'; format: 1 | 2; manifestText: string; fingerprint: string }
  | { type: 'file'; path: string; size: number; problem: CheckedFile['problem']; data: ArrayBuffer | null }
  | { type: 'done'; findings: PackageFindings }
  | { type: 'crash'; message: string };

export interface OpenedPackage {
  format: 1 | 2;
  manifest: Manifest;
  manifestText: string;
  fingerprint: string;
}

export interface PackageReadOptions {
  /** Bytes of files that match are handed back (import); otherwise only the outcome (verify). */
  wantData?: boolean;
  limits?: ZipLimits;
  maxManifestBytes?: number;
}

/**
 * A package opened in a worker thread: everything that parses, decrypts, inflates and hashes its bytes runs
 * there, so a hostile or huge package never blocks the main process. Always `close()`.
 */
export class PackageReader {
  private readonly worker: Worker;
  private pending: { ok: (m: FromWorker) => void; fail: (e: Error) => void } | null = null;
  private closed = false;

  private constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.on('message', (m: FromWorker) => this.settle((p) => p.ok(m)));
    this.worker.on('error', (e) => this.settle((p) => p.fail(e)));
    this.worker.on('exit', () => this.settle((p) => p.fail(new Error('package reader stopped'))));
  }

  private settle(f: (p: { ok: (m: FromWorker) => void; fail: (e: Error) => void }) => void): void {
    const p = this.pending;
    this.pending = null;
    if (p) f(p);
  }

  private ask(msg: Record<string, unknown>): Promise<FromWorker> {
    return new Promise((ok, fail) => {
      if (this.closed) return fail(new Error('package reader closed'));
      this.pending = {
        ok: (m) => (m.type === 'crash' ? fail(new Error(m.message)) : ok(m)),
        fail,
      };
      this.worker.postMessage(msg);
    });
  }

  /** Opens `file` with `password`: the reader and what the manifest says, or why it cannot be read. */
  static async open(file: string, password: string, opts: PackageReadOptions = {}): Promise<{ ok: true; reader: PackageReader; pkg: OpenedPackage } | { ok: false; code: RefusalCode }> {
    const r = new PackageReader();
    try {
      const m = await r.ask({ type: 'open', file, password, wantData: !!opts.wantData, limits: opts.limits ?? PACKAGE_LIMITS, maxManifestBytes: opts.maxManifestBytes ?? MAX_MANIFEST_BYTES });
      if (m.type === 'refused') {
        await r.close();
        return { ok: false, code: m.code };
      }
      if (m.type !== 'opened') throw new Error(`unexpected ${m.type}`);
      return { ok: true, reader: r, pkg: { format: m.format, manifestText: m.manifestText, manifest: JSON.parse(m.manifestText) as Manifest, fingerprint: m.fingerprint } };
    } catch (e) {
      await r.close();
      throw e;
    }
  }

  /** The next listed file, checked; null after the last. Then `findings()`. */
  async next(): Promise<CheckedFile | null> {
    const m = await this.ask({ type: 'next' });
    if (m.type === 'file') return { path: m.path, size: m.size, problem: m.problem, data: m.data ? Buffer.from(m.data) : null };
    if (m.type === 'done') {
      this.done = m.findings;
      return null;
    }
    throw new Error(`unexpected ${m.type}`);
  }

  private done: PackageFindings | null = null;

  /** What else is wrong, once `next()` has returned null. */
  findings(): PackageFindings {
    if (!this.done) throw new Error('files not all checked');
    return this.done;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.settle((p) => p.fail(new Error('package reader closed')));
    await this.worker.terminate();
  }
}
