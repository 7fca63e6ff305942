import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { Role } from '../../shared/permissions';
import { prepareNotices } from '../features/collections/notices';
import { getLoan, listLoans } from '../features/loans/loans';
import { createRepayment } from '../features/repayments/repayments';
import { openBranchStore } from '../kernel/branchStore';
import { AppContext, today } from '../kernel/context';

/**
 * One PC of the branch bench (bench/branch.ts), on a thread of its own: its own event loop, connection pool and
 * PDF typesetting, as a desktop has. It works through list, open, repay and print for the time given, resting
 * `thinkMs` between actions, and reports each action's time and any error.
 */
export type Op = 'list' | 'open' | 'repay' | 'notice';
export interface ClientJob {
  index: number;
  url: string;
  dataKey: Uint8Array;
  root: string;
  resourcesDir: string;
  active: number[];
  overdue: number[];
  /** Wall clock (Date.now()) at which every PC starts timing, after its untimed warm-up, and at which it stops. */
  startAt: number;
  until: number;
  thinkMs: number;
}
export interface ClientResult {
  times: Record<Op, number[]>;
  errors: Record<Op, number>;
  firstErrors: string[];
}

async function runClient(job: ClientJob): Promise<ClientResult> {
  const store = await openBranchStore({ url: job.url, max: 2 }, Buffer.from(job.dataKey));
  const ctx = new AppContext({ configDir: join(job.root, `client-${job.index}`), defaultDataDir: join(job.root, 'unused'), resourcesDir: job.resourcesDir });
  ctx.store = store;
  // The copied store carries no branch keyring to sign in with: each PC gets a supervisor's session as the tests give it.
  const session = { username: 'admin', displayName: '管理员', roles: ['supervisor'] as Role[], mustChangePassword: false, mustChangeReason: null, locked: false, lastActivity: Date.now(), idleMinutes: 240 };
  ctx.session = session;
  const { active, overdue } = job;
  const ops: Record<Op, (n: number) => Promise<unknown>> = {
    list: (n) => listLoans(ctx, { query: '', officer: null, bucket: null, level: null, status: 'active', sort: 'contractNo', direction: 'asc', limit: 50, offset: (n * 50) % 5000 }),
    open: (n) => getLoan(ctx, { id: active[(n * 7919) % active.length]!, asOf: null }),
    repay: (n) => createRepayment(ctx, { loanId: active[(n * 104_729) % active.length]!, paidOn: today(ctx), amountFen: 10_000, note: '基准测试', confirm: true }),
    notice: (n) => prepareNotices(ctx, { items: [{ loanId: overdue[(n * 31) % overdue.length]!, docType: 'reminder' }], asOf: null, payBy: null }),
  };
  const order: Op[] = ['open', 'list', 'open', 'repay', 'open', 'notice'];
  const result: ClientResult = { times: { list: [], open: [], repay: [], notice: [] }, errors: { list: 0, open: 0, repay: 0, notice: 0 }, firstErrors: [] };
  try {
    // Warm, as a PC is after its first minutes: one of each action untimed (the fonts loaded, the pool open),
    // then all PCs start together.
    for (const [i, op] of (['open', 'list', 'repay', 'notice'] as Op[]).entries()) await ops[op](10_000 + job.index * 4 + i).catch(() => undefined);
    await new Promise((r) => setTimeout(r, Math.max(0, job.startAt - Date.now())));
    for (let k = job.index; Date.now() < job.until; k++) {
      const op = order[k % order.length]!;
      const n = k * 20 + job.index;
      const t = performance.now();
      try {
        await ops[op](n);
        result.times[op].push(performance.now() - t);
      } catch (e) {
        result.errors[op]++;
        if (result.firstErrors.length < 5) result.firstErrors.push(`${op}: ${(e as Error).message}`);
      }
      session.lastActivity = Date.now();
      if (job.thinkMs > 0) await new Promise((r) => setTimeout(r, job.thinkMs));
    }
  } finally {
    store.close();
    ctx.close();
  }
  return result;
}

if (parentPort) {
  const port = parentPort;
  runClient(workerData as ClientJob).then(
    (r) => port.postMessage({ ok: r }),
    (e: unknown) => port.postMessage({ error: (e as Error).stack ?? String(e) }),
  );
}
