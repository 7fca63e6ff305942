import { randomBytes } from 'node:crypto';
import { closeSync, fdatasync, fsyncSync, openSync, renameSync, rmSync, write } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Sink } from './zipWriter';

/** Low-level writes, replaceable in tests to simulate a full disk or a pulled stick. */
export interface FileOps {
  open(path: string): number;
  /** Resolves to the bytes written; runs off the main thread so the next piece can be encrypted meanwhile. */
  write(fd: number, buf: Buffer, offset: number, length: number): Promise<number> | number;
  fsync(fd: number): void;
  /** Starts flushing what was written so far while writing goes on, so the final fsync has little left. */
  flush(fd: number): Promise<void>;
  close(fd: number): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
}

export const realFileOps: FileOps = {
  open: (p) => openSync(p, 'wx', 0o600),
  write: (fd, buf, off, len) => new Promise((resolve, reject) => write(fd, buf, off, len, null, (e, n) => (e ? reject(e) : resolve(n)))),
  fsync: (fd) => fsyncSync(fd),
  flush: (fd) => new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve()))),
  close: (fd) => closeSync(fd),
  rename: (a, b) => renameSync(a, b),
  remove: (p) => rmSync(p, { force: true }),
};

/** Bytes queued for the disk before the producer waits: a whole scan or two, so reading the next one overlaps. */
const HIGH_WATER = 64 << 20;
/**
 * Written bytes after which a background flush starts (when none is running). The final fsync waits for what is
 * left: at 64 MiB that was 30-45 ms of an export of 300 MB on the bench machine's disk, at 16 MiB about 10 ms.
 */
const FLUSH_EVERY = 16 << 20;

/**
 * Writes a package under a temporary name next to its final one and renames it only after a flush,
 * so a cancelled, failed or interrupted export never leaves a file under the final name.
 * Writes are queued and run while the caller prepares the next piece; the first failure is reported
 * by the next `write` or by `finish`.
 */
export class TempFileSink implements Sink {
  readonly tempPath: string;
  private fd: number | null;
  private done = false;
  private queue: { bytes: number; written: Promise<void> }[] = [];
  private queued = 0;
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private unflushed = 0;
  private flushing: Promise<void> | null = null;

  constructor(
    readonly finalPath: string,
    private readonly ops: FileOps = realFileOps,
  ) {
    this.tempPath = join(dirname(finalPath), `.${basename(finalPath)}.${randomBytes(4).toString('hex')}.part`);
    this.fd = ops.open(this.tempPath);
  }

  /**
   * `owned`: the caller hands the buffer over and will not touch it again, so it is not copied. `released` is
   * called once the bytes have left it (written, or given up after a failure), so the caller may reuse it.
   */
  async write(chunk: Buffer, owned = false, released?: () => void): Promise<void> {
    if (this.failure) {
      released?.();
      throw this.failure;
    }
    const copy = owned ? chunk : Buffer.from(chunk); // otherwise the caller may reuse its buffer
    const written = this.tail.then(async () => {
      if (this.failure) return released?.();
      try {
        let off = 0;
        while (off < copy.length) off += await this.ops.write(this.fd!, copy, off, copy.length - off);
        this.unflushed += copy.length;
        if (this.unflushed >= FLUSH_EVERY && !this.flushing) {
          this.unflushed = 0;
          this.flushing = this.ops.flush(this.fd!).then(
            () => void (this.flushing = null),
            (e: unknown) => void ((this.failure ??= e), (this.flushing = null)),
          );
        }
      } catch (e) {
        this.failure = e;
      }
      released?.();
    });
    this.tail = written;
    this.queue.push({ bytes: copy.length, written });
    this.queued += copy.length;
    while (this.queued > HIGH_WATER) {
      const oldest = this.queue.shift()!;
      await oldest.written;
      this.queued -= oldest.bytes;
    }
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    await this.tail;
    await this.flushing;
    this.queue = [];
    this.queued = 0;
  }

  async finish(): Promise<void> {
    await this.drain();
    if (this.failure) throw this.failure;
    this.ops.fsync(this.fd!);
    this.ops.close(this.fd!);
    this.fd = null;
    this.ops.rename(this.tempPath, this.finalPath);
    this.done = true;
  }

  /** After a failure or cancel: close and remove the temporary file; errors here are secondary. */
  async abandon(): Promise<void> {
    if (this.done) return;
    await this.drain();
    try {
      if (this.fd !== null) this.ops.close(this.fd);
    } catch {
      // The medium may be gone; the partial file cannot be reached anyway.
    }
    this.fd = null;
    try {
      this.ops.remove(this.tempPath);
    } catch {
      // Same: nothing sits under the final name, which is what matters.
    }
  }
}
