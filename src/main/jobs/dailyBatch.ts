import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DailyBatchStatus } from '../../shared/ipc/repayments';
import { requireSession } from '../kernel/authz';
import { today, type AppContext } from '../kernel/context';
import { runBatch, statusesAsOf, SYSTEM_ACTOR } from '../services/batch';

/**
 * The daily batch as a job: started at sign-in, unlock and recovery, at a change of day and on a schedule, never by
 * a read. It runs on the main thread (its reads and its one write transaction are synchronous SQLite work), but
 * after the call that started it has been answered. A read that needs the statuses waits for a run already under
 * way (`dailyBatchSettled`) and otherwise shows them as of the day they were last computed.
 */

interface JobState {
  running: Promise<void> | null;
  startedAt: string | null;
  lastRun: DailyBatchStatus['lastRun'];
  error: string | null;
}

const jobs = new WeakMap<AppContext, JobState>();

function stateOf(ctx: AppContext): JobState {
  let s = jobs.get(ctx);
  if (!s) jobs.set(ctx, (s = { running: null, startedAt: null, lastRun: null, error: null }));
  return s;
}

/** A key rotation holds the database exclusively; the batch waits for the next chance. */
const rotationUnderWay = (ctx: AppContext) => !!ctx.rotationJob && ctx.rotationJob.phase !== 'done' && ctx.rotationJob.phase !== 'failed';

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
      const r = await runBatch(ctx, store, asOf, SYSTEM_ACTOR);
      job.lastRun = { ...r, finishedAt: ctx.nowIso() };
      job.error = null;
    } catch (e) {
      job.error = e instanceof Error ? e.message : String(e);
    } finally {
      job.running = null;
      job.startedAt = null;
    }
  })();
  return job.running;
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
    lastRun: job.lastRun,
    error: job.error,
  };
}
