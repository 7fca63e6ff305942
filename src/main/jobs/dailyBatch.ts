import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { DailyBatchStatus } from '../../shared/ipc/repayments';
import { AppError, type ErrorCode } from '../../shared/ipc/errors';
import { requirePermission, requireSession } from '../kernel/authz';
import { syncAuditHead } from '../kernel/auditHead';
import { today, type AppContext } from '../kernel/context';
import { requireStore, type LocalStore, type Store } from '../kernel/store';
import { runBatch, statusesAsOf, SYSTEM_ACTOR, type BatchProgress, type BatchResult } from '../domain/batch';
import type { BatchThreadInput, BatchThreadMessage } from './batchThread';
import { BATCH_LOCK, holdingServerLock } from '../db/pg/writer';

/**
 * The daily batch as a job: started at sign-in, unlock and recovery, at a change of day and on a schedule, never by
 * a read. In the app it runs on a worker thread with its own connection to the store (`batchWorker.ts`), so main
 * answers calls meanwhile; the entry point says where the worker's bundle is (`useBatchWorker`). Without one (the
 * tests on the sources) the same function runs on main, yielding between chunks. A read that needs the statuses
 * waits for a run already under way (`dailyBatchSettled`) and otherwise shows them as of the day last computed.
 */

interface JobState {
  running: Promise<void> | null;
  startedAt: string | null;
  progress: BatchProgress | null;
  lastRun: DailyBatchStatus['lastRun'];
  error: DailyBatchStatus['error'];
}

const jobs = new WeakMap<AppContext, JobState>();

function stateOf(ctx: AppContext): JobState {
  let s = jobs.get(ctx);
  if (!s) jobs.set(ctx, (s = { running: null, startedAt: null, progress: null, lastRun: null, error: null }));
  return s;
}

let workerFile: string | null = null;

/**
 * Where the batch worker's bundle is (set by the built entry points); null runs the batch on this thread. The
 * thread is started at once, so that its modules are loaded before the first run (at sign-in) asks for it.
 */
export function useBatchWorker(file: string | null): void {
  workerFile = file;
  if (file) prestartBatchThread(file);
}

/**
 * The batch's thread is kept between runs, idle (unref'd: it keeps no process alive) and without a connection or
 * a key: each run opens its own connection with the key it is handed and closes it. Kept, the thread's modules
 * stay loaded and its compiled code warm, as main's would be; a run while it is busy gets a thread of its own.
 */
interface BatchThread {
  worker: Worker;
  file: string;
  dead: boolean;
  run: { message(m: BatchThreadMessage): void; fail(e: Error): void } | null;
}

let idle: BatchThread | null = null;

function newThread(file: string): BatchThread {
  // A young generation as large as main's: the batch makes many short-lived objects per loan.
  const worker = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  const t: BatchThread = { worker, file, dead: false, run: null };
  worker.on('message', (m: BatchThreadMessage) => t.run?.message(m));
  worker.on('error', (e) => {
    t.dead = true;
    t.run?.fail(e);
  });
  worker.on('exit', (code) => {
    t.dead = true;
    if (idle === t) idle = null;
    t.run?.fail(new Error(`the batch worker stopped (exit code ${code})`));
  });
  worker.unref();
  return t;
}

/** Starts the batch's thread ahead of its first run (it loads its bundle meanwhile). */
export function prestartBatchThread(file: string): void {
  if (idle?.file === file && !idle.dead) return;
  if (idle) void idle.worker.terminate();
  idle = newThread(file);
}

/** Ends the idle batch thread, if any (tests, benches). */
export async function stopBatchThread(): Promise<void> {
  const t = idle;
  idle = null;
  if (t && !t.dead) await t.worker.terminate();
}

/** A key rotation holds the database exclusively; the batch waits for the next chance. */
const rotationUnderWay = (ctx: AppContext) => !!ctx.rotationJob && ctx.rotationJob.phase !== 'done' && ctx.rotationJob.phase !== 'failed';

/**
 * Runs one batch over `store` as of `asOf`, on the worker thread when there is one, and reports progress. Afterwards
 * the audit head outside the database is brought up to date (the worker appended to the chain on its connection).
 */
export async function executeBatch(ctx: AppContext, store: Store, asOf: string, actor: string, onProgress: (p: BatchProgress) => void = () => {}, file = workerFile): Promise<BatchResult> {
  // On the branch server the batch runs here: its statements are the server's work and their I/O is asynchronous,
  // so main's event loop answers calls between them (see docs/DECISIONS.md).
  if (store.kind === 'branch') return runBatch(ctx, store, asOf, actor, { onProgress, between: () => nextTurn() });
  try {
    if (!file) return await runBatch(ctx, store, asOf, actor, { onProgress, between: () => nextTurn() });
    return await onWorker(ctx, store, file, asOf, actor, onProgress);
  } finally {
    syncAuditHead(store);
  }
}

function onWorker(ctx: AppContext, store: LocalStore, file: string, asOf: string, actor: string, onProgress: (p: BatchProgress) => void): Promise<BatchResult> {
  const key = new Uint8Array(store.dataKey);
  const input: BatchThreadInput = {
    dir: store.dir,
    file: store.file,
    key,
    asOf,
    actor,
    clockOffsetMs: ctx.clock.now().getTime() - Date.now(),
    writeWaiters: store.writeWaiters,
    locale: ctx.config.locale,
    paths: { ...ctx.paths },
  };
  const t = idle && idle.file === file && !idle.dead ? idle : newThread(file);
  if (t === idle) idle = null;
  // Running, the thread keeps the process alive (a command waits for its batch).
  t.worker.ref();
  return new Promise<BatchResult>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (!t.run) return;
      t.run = null;
      if (t.dead) {
        // Nothing to keep.
      } else if (idle) void t.worker.terminate();
      else {
        t.worker.unref();
        idle = t;
      }
      fn();
    };
    t.run = {
      message: (m) => {
        if (m.type === 'progress') onProgress(m.progress);
        else if (m.type === 'done') finish(() => resolve(m.result));
        else finish(() => reject(new AppError(m.code, m.message)));
      },
      fail: (e) => finish(() => reject(e)),
    };
    // The key's buffer moves to the thread: main's copy is detached at once.
    t.worker.postMessage(input, [key.buffer]);
  });
}

/**
 * Brings the stored statuses up to today if they are older; does nothing when they are today's, when no store is
 * open or while a run is under way (whose promise it returns). Marked as running at once, so that a read that comes
 * next waits for it; the work itself starts on the next turn of the event loop.
 */
export function startDailyBatch(ctx: AppContext): Promise<void> {
  const job = stateOf(ctx);
  if (job.running) return job.running;
  if (!ctx.store || rotationUnderWay(ctx)) return Promise.resolve();
  const store = ctx.store;
  job.startedAt = ctx.nowIso();
  job.running = (async () => {
    await nextTurn();
    try {
      if (ctx.store !== store) return; // signed out meanwhile
      const asOf = today(ctx);
      if ((await statusesAsOf(store)) === asOf) return;
      // On the branch server the PCs signing in at 8:30 would each run the day's batch over the whole portfolio:
      // one runs it, the others wait for it under the batch lock and then find it done.
      const once = async () => {
        if ((await statusesAsOf(store)) === asOf) return;
        await runJob(ctx, store, asOf, SYSTEM_ACTOR);
      };
      if (store.kind === 'branch') await holdingServerLock(store.db, BATCH_LOCK, once);
      else await once();
    } catch {
      // Recorded in the job's state; the next trigger runs it again.
    } finally {
      job.running = null;
      job.startedAt = null;
      job.progress = null;
    }
  })();
  return job.running;
}

/** One run under the job's state: progress while it runs, then the result or the error in the user's language. */
async function runJob(ctx: AppContext, store: Store, asOf: string, actor: string): Promise<BatchResult> {
  const job = stateOf(ctx);
  try {
    const thread = workerFile && store.kind === 'local' ? 'worker' : 'main';
    const r = await executeBatch(ctx, store, asOf, actor, (p) => (job.progress = p));
    job.lastRun = { ...r, finishedAt: ctx.nowIso(), thread };
    job.error = null;
    return r;
  } catch (e) {
    job.error = batchError(ctx, e);
    throw new AppError(job.error.code, job.error.message);
  }
}

function batchError(ctx: AppContext, e: unknown): { code: ErrorCode; message: string } {
  if (e instanceof AppError && e.code !== 'INTERNAL') return { code: e.code, message: e.message };
  return { code: 'INTERNAL', message: ctx.t('errors.batchFailed', { detail: e instanceof Error ? e.message : String(e) }) };
}

/**
 * `batch.run`: an administrator runs the batch as of a day (today by default). It waits for a run under way, then
 * runs as the job does (on the worker thread in the app) and answers with the result.
 */
export async function runBatchCommand(ctx: AppContext, input: { asOf: string | null }): Promise<BatchResult> {
  const s = requirePermission(ctx, 'batch.run');
  const job = stateOf(ctx);
  while (job.running) await job.running;
  const store = requireStore(ctx);
  job.startedAt = ctx.nowIso();
  const run = runJob(ctx, store, input.asOf ?? today(ctx), s.username);
  job.running = run.then(
    () => {},
    () => {},
  ).finally(() => {
    job.running = null;
    job.startedAt = null;
    job.progress = null;
  });
  return run;
}

/** Settles when no daily batch is running (at once if none is). Reads wait on it; they never start one. */
export function dailyBatchSettled(ctx: AppContext): Promise<void> {
  return jobs.get(ctx)?.running ?? Promise.resolve();
}

/**
 * Checks every `everyMs` (by the context's clock) whether the day has changed since the statuses were computed,
 * and starts the batch if so. The timer does not keep the process alive. Returns a function that stops it.
 */
export function scheduleDailyBatch(ctx: AppContext, everyMs = 60_000): () => void {
  const timer = setInterval(() => void dailyBatchTick(ctx), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** One check of the schedule: starts the batch when a store is open and its statuses are not today's. */
export async function dailyBatchTick(ctx: AppContext): Promise<void> {
  const store = ctx.store;
  if (!store || stateOf(ctx).running) return;
  if ((await statusesAsOf(store)) !== today(ctx)) await startDailyBatch(ctx);
}

/** What the UI can show: whether a run is under way, as of which day the statuses are, the last run here. */
export async function dailyBatchStatus(ctx: AppContext): Promise<DailyBatchStatus> {
  requireSession(ctx);
  const job = stateOf(ctx);
  return {
    running: !!job.running,
    startedAt: job.startedAt,
    statusesAsOf: ctx.store ? await statusesAsOf(ctx.store) : null,
    today: today(ctx),
    progress: job.progress,
    lastRun: job.lastRun,
    error: job.error,
  };
}
