import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addDays } from '../../shared/domain/dates';
import type { Role } from '../../shared/permissions';
import { copyIntoPostgres } from '../db/pg/copy';
import { startPgServer, type PgServer } from '../db/pg/scratchServer';
import { confirmRecoveryKey, createInstitution } from '../features/app/setup';
import { prepareNotices } from '../features/collections/notices';
import { generateDemoPortfolio } from '../features/demo/demo';
import { getLoan, listLoans } from '../features/loans/loans';
import { createRepayment } from '../features/repayments/repayments';
import { executeBatch } from '../jobs/dailyBatch';
import { openBranchStore } from '../kernel/branchStore';
import { AppContext, today } from '../kernel/context';
import { localOnly, type BranchStore } from '../kernel/store';
import { resourcesDir } from '../nodePaths';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/**
 * The branch server beside the single-PC store (issue #14), on a throwaway PostgreSQL cluster (Debian's postgresql
 * binaries; without them this part says so and stops):
 *  - the daily batch over the demo portfolio on SQLite and on the server, the same data (copied), the same code,
 *    alternately from day A to day B and back, both on this thread (target: the server ≤ 2× SQLite);
 *  - `clients` PCs (each its own pool and session) for `seconds` against one server: list loans, open a loan,
 *    register a repayment, print a reminder, p50/p95 per operation and the errors (target: opening a loan p95 ≤ 200 ms,
 *    no error).
 */
export async function benchBranch(borrowers: number, clients: number, seconds: number): Promise<void> {
  let server: PgServer;
  try {
    server = await startPgServer();
  } catch (e) {
    console.log(`branch server: NOT MEASURED — ${(e as Error).message}`);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'lk-bench-branch-'));
  const ctx = new AppContext({ configDir: join(root, 'config'), defaultDataDir: join(root, 'data'), resourcesDir: resourcesDir() });
  const branches: BranchStore[] = [];
  try {
    await createInstitution(ctx, { institution: '基准测试小贷', branch: '', dataDir: join(root, 'data'), adminUsername: 'admin', adminName: '管理员', password: 'Bench-pass-2026', locale: 'zh-CN' });
    await confirmRecoveryKey(ctx);
    let t = performance.now();
    const counts = await generateDemoPortfolio(ctx, { borrowers, staffPassword: 'Bench-pass-2026' });
    const local = localOnly(ctx, ctx.store!);
    console.log(`branch server: PostgreSQL ${server.version}; demo of ${counts.borrowers} borrowers, ${counts.loans} loans on SQLite in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const branch = await openBranchStore({ url: server.url, max: 4 }, local.dataKey);
    branches.push(branch);
    t = performance.now();
    const copied = await copyIntoPostgres(local, branch.db);
    console.log(`  copied to the server in ${((performance.now() - t) / 1000).toFixed(1)} s (${copied.loans} loans, ${copied.schedule_rows} schedule rows, ${copied.repayments} repayments)`);
    const pc = new AppContext({ configDir: join(root, 'pc0'), defaultDataDir: join(root, 'unused'), resourcesDir: resourcesDir() });
    pc.store = branch;

    // The batch: both to day A first (untimed, warms both), then A → B → A … on each in turn.
    const runs = Number(process.env.LK_BENCH_RUNS ?? 3);
    const dayA = addDays(today(ctx), 4);
    const dayB = addDays(dayA, 1);
    await executeBatch(ctx, local, dayA, 'bench', undefined, null);
    await executeBatch(pc, branch, dayA, 'bench');
    const onSqlite: number[] = [];
    const onServer: number[] = [];
    const changed: string[] = [];
    // The statuses phase of each run (the rest is the reactions: re-plans, plans, warnings).
    const statuses = { local: [] as number[], server: [] as number[] };
    for (let i = 0; i < runs; i++) {
      const day = i % 2 === 0 ? dayB : dayA;
      let reactionsAt = 0;
      const seen = (p: { phase: string }) => void (p.phase === 'reactions' && (reactionsAt = performance.now()));
      t = performance.now();
      const a = await executeBatch(ctx, local, day, 'bench', seen, null);
      onSqlite.push(performance.now() - t);
      statuses.local.push(reactionsAt - t);
      t = performance.now();
      const b = await executeBatch(pc, branch, day, 'bench', seen);
      onServer.push(performance.now() - t);
      statuses.server.push(reactionsAt - t);
      changed.push(`${a.changedLevels}/${b.changedLevels}`);
    }
    const s = median(onSqlite);
    const g = median(onServer);
    console.log(`  daily batch over ${counts.loans} loans, on this thread, median of ${runs}: SQLite ${(s / 1000).toFixed(2)} s, PostgreSQL ${(g / 1000).toFixed(2)} s`);
    console.log(`    statuses: SQLite ${(median(statuses.local) / 1000).toFixed(2)} s, PostgreSQL ${(median(statuses.server) / 1000).toFixed(2)} s; reactions: SQLite ${((s - median(statuses.local)) / 1000).toFixed(2)} s, PostgreSQL ${((g - median(statuses.server)) / 1000).toFixed(2)} s`);
    console.log(`    ratio PostgreSQL/SQLite = ${(g / s).toFixed(2)} (target ≤ 2.00) ${g / s <= 2 ? 'OK' : 'OVER TARGET'}; each run (SQLite/PostgreSQL): ${onSqlite.map((x, i) => `${(x / 1000).toFixed(2)}/${(onServer[i] / 1000).toFixed(2)} s (${changed[i]} changed class)`).join(', ')}; load average ${load()}`);

    await benchClients(root, server.url, local.dataKey, branch, clients, seconds, branches);
  } finally {
    for (const b of branches) b.close();
    ctx.close();
    server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

type Op = 'list' | 'open' | 'repay' | 'notice';

async function benchClients(root: string, url: string, dataKey: Buffer, branch: BranchStore, clients: number, seconds: number, keep: BranchStore[]): Promise<void> {
  // Loans to work on: active ones to open and repay, overdue ones for reminders.
  const active = (await branch.db.selectFrom('loans').select('id').where('status', '=', 'active').orderBy('id').execute()).map((r) => r.id);
  const overdue = (await branch.db.selectFrom('loan_status as s').innerJoin('loans as l', 'l.id', 's.loan_id').select('l.id').where('l.status', '=', 'active').where('s.dpd', '>', 0).orderBy('l.id').execute()).map((r) => r.id);
  if (active.length === 0 || overdue.length === 0) {
    console.log('  concurrent clients: NOT MEASURED — no active or overdue loans in the portfolio');
    return;
  }
  const times: Record<Op, number[]> = { list: [], open: [], repay: [], notice: [] };
  const errors: Record<Op, number> = { list: 0, open: 0, repay: 0, notice: 0 };
  const firstErrors: string[] = [];
  const pcs: AppContext[] = [];
  for (let i = 0; i < clients; i++) {
    const store = await openBranchStore({ url, max: 2 }, dataKey);
    keep.push(store);
    const ctx = new AppContext({ configDir: join(root, `client-${i}`), defaultDataDir: join(root, 'unused'), resourcesDir: resourcesDir() });
    ctx.store = store;
    // Signing in on the server is not built yet: each PC gets its session as the tests give it.
    ctx.session = { username: 'admin', displayName: '管理员', roles: ['supervisor'] as Role[], mustChangePassword: false, locked: false, lastActivity: Date.now(), idleMinutes: 240 };
    pcs.push(ctx);
  }
  const ops: Record<Op, (ctx: AppContext, n: number) => Promise<unknown>> = {
    list: (ctx, n) => listLoans(ctx, { query: '', officer: null, bucket: null, level: null, status: 'active', sort: 'contractNo', direction: 'asc', limit: 50, offset: (n * 50) % 5000 }),
    open: (ctx, n) => getLoan(ctx, { id: active[(n * 7919) % active.length], asOf: null }),
    repay: (ctx, n) => createRepayment(ctx, { loanId: active[(n * 104_729) % active.length], paidOn: today(ctx), amountFen: 10_000, note: '基准测试', confirm: true }),
    notice: (ctx, n) => prepareNotices(ctx, { items: [{ loanId: overdue[(n * 31) % overdue.length], docType: 'reminder' }], asOf: null, payBy: null }),
  };
  const order: Op[] = ['open', 'list', 'open', 'repay', 'open', 'notice'];
  const end = performance.now() + seconds * 1000;
  const loadBefore = load();
  let n = 0;
  await Promise.all(
    pcs.map(async (ctx, c) => {
      for (let k = c; performance.now() < end; k++) {
        const op = order[k % order.length];
        const t = performance.now();
        try {
          await ops[op](ctx, n++);
          times[op].push(performance.now() - t);
        } catch (e) {
          errors[op]++;
          if (firstErrors.length < 5) firstErrors.push(`${op}: ${(e as Error).message}`);
        }
      }
    }),
  );
  const total = Object.values(errors).reduce((a, b) => a + b, 0);
  console.log(`  ${clients} PCs against one server for ${seconds} s (load average before ${loadBefore}, after ${load()}):`);
  for (const op of ['list', 'open', 'repay', 'notice'] as Op[]) {
    const name = { list: 'list loans', open: 'open a loan', repay: 'register a repayment', notice: 'print a reminder' }[op];
    console.log(`    ${name.padEnd(22)} ${String(times[op].length).padStart(6)} done, p50 ${median(times[op]).toFixed(1)} ms, p95 ${p95(times[op]).toFixed(1)} ms, ${errors[op]} errors`);
  }
  const openP95 = p95(times.open);
  console.log(`    opening a loan p95 ${openP95.toFixed(1)} ms (target ≤ 200 ms) ${openP95 <= 200 ? 'OK' : 'OVER TARGET'}; errors ${total} (target 0) ${total === 0 ? 'OK' : 'OVER TARGET'}`);
  for (const e of firstErrors) console.log(`    error: ${e}`);
}
