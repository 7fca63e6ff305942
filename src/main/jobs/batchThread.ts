import type { Locale } from '../../shared/ipc/app';
import { AppError, type ErrorCode } from '../../shared/ipc/errors';
import { auditKey, registerAuditMac } from '../db/auditChain';
import { fileKey, filesDir } from '../db/fileStore';
import { kyselyOf, openSqlite, type WriteWaiters } from '../db/open';
import { AppContext, type Paths } from '../kernel/context';
import type { LocalStore } from '../kernel/store';
import { runBatch, type BatchProgress, type BatchResult } from '../domain/batch';

/** What main hands the batch's thread: where the store is, a copy of its data key, and the caller's clock and language. */
export interface BatchThreadInput {
  dir: string;
  file: string;
  /** A copy of the data key, transferred to the thread and zeroed there once the connection is open. */
  key: Uint8Array;
  asOf: string;
  actor: string;
  /** The caller's clock minus the system clock (tests run main on a set clock). */
  clockOffsetMs: number;
  /** Main's writers waiting for the write lock (shared memory, db/open.ts). */
  writeWaiters?: WriteWaiters;
  locale: Locale;
  paths: Paths;
}

export type BatchThreadMessage =
  | { type: 'progress'; progress: BatchProgress }
  | { type: 'done'; result: BatchResult }
  | { type: 'error'; code: ErrorCode; message: string };

/**
 * Runs the daily batch on a connection of its own to the store (the worker thread's body): the same encrypted file
 * in WAL mode, the audit chain's MAC function registered as main registers it, a context with main's clock and
 * language. The reactions to the batch (`reactions.ts`, imported by the worker's entry) run here too, on this
 * connection. Main brings the audit head outside the database up to date when it hears `done`.
 */
export async function runBatchOnOwnConnection(input: BatchThreadInput, post: (m: BatchThreadMessage) => void): Promise<void> {
  let store: LocalStore | null = null;
  try {
    store = openBatchConnection(input);
    const ctx = new AppContext(input.paths, { now: () => new Date(Date.now() + input.clockOffsetMs) });
    ctx.config = { dataDir: input.dir, server: null, locale: input.locale };
    ctx.store = store;
    const waiters = input.writeWaiters;
    const result = await runBatch(ctx, store, input.asOf, input.actor, { onProgress: (progress) => post({ type: 'progress', progress }), between: waiters ? () => giveWay(waiters) : undefined });
    post({ type: 'done', result });
  } catch (e) {
    post({ type: 'error', code: e instanceof AppError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
  } finally {
    store?.close();
  }
}

/** The longest the thread waits for main's writers at one time. */
export const GIVE_WAY_MAX_MS = 1000;

/**
 * Between two of the thread's write transactions: while writers on main wait for the lock, wait until they have it
 * (at most `maxMs`). SQLite's busy handler polls and keeps no queue, so without this a writer on main would seldom
 * find the lock free in the instant between the thread's transactions, and could wait through several of them.
 */
export async function giveWay(waiters: WriteWaiters, maxMs = GIVE_WAY_MAX_MS): Promise<void> {
  const until = performance.now() + maxMs;
  while (Atomics.load(waiters, 0) > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 2));
}

/** The thread's connection, as `openStore` opens main's but without the folder lock (main holds it) or migrations. */
function openBatchConnection(input: BatchThreadInput): LocalStore {
  const dataKey = Buffer.from(input.key);
  input.key.fill(0);
  try {
    const sqlite = openSqlite(input.file, dataKey, { create: false });
    const macKey = auditKey(dataKey);
    const files = { dir: filesDir(input.dir), key: fileKey(dataKey) };
    registerAuditMac(sqlite, macKey, () => {});
    const key = Buffer.from(dataKey);
    return {
      kind: 'local',
      dir: input.dir,
      file: input.file,
      sqlite,
      db: kyselyOf(sqlite),
      dataKey: key,
      files,
      auditKey: macKey,
      // Main syncs the head outside once the run is over: it owns the keyring.
      afterCommit: () => {},
      close: () => {
        key.fill(0);
        files.key.fill(0);
        macKey.fill(0);
        if (sqlite.open) sqlite.close();
      },
    };
  } finally {
    dataKey.fill(0);
  }
}
