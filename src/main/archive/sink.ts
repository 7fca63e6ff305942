import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Sink } from './zipWriter';

/** Low-level writes, replaceable in tests to simulate a full disk or a pulled stick. */
export interface FileOps {
  open(path: string): number;
  write(fd: number, buf: Buffer, offset: number, length: number): number;
  fsync(fd: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
}

export const realFileOps: FileOps = {
  open: (p) => openSync(p, 'wx', 0o600),
  write: (fd, buf, off, len) => writeSync(fd, buf, off, len),
  fsync: (fd) => fsyncSync(fd),
  close: (fd) => closeSync(fd),
  rename: (a, b) => renameSync(a, b),
  remove: (p) => rmSync(p, { force: true }),
};

/**
 * Writes a package under a temporary name next to its final one and renames it only after a flush,
 * so a cancelled, failed or interrupted export never leaves a file under the final name.
 */
export class TempFileSink implements Sink {
  readonly tempPath: string;
  private fd: number | null;
  private done = false;

  constructor(
    readonly finalPath: string,
    private readonly ops: FileOps = realFileOps,
  ) {
    this.tempPath = join(dirname(finalPath), `.${basename(finalPath)}.${randomBytes(4).toString('hex')}.part`);
    this.fd = ops.open(this.tempPath);
  }

  write(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) off += this.ops.write(this.fd!, chunk, off, chunk.length - off);
  }

  finish(): void {
    this.ops.fsync(this.fd!);
    this.ops.close(this.fd!);
    this.fd = null;
    this.ops.rename(this.tempPath, this.finalPath);
    this.done = true;
  }

  /** After a failure or cancel: close and remove the temporary file; errors here are secondary. */
  abandon(): void {
    if (this.done) return;
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
