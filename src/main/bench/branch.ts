import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { addDays } from '../../shared/domain/dates';
import { copyIntoPostgres } from '../db/pg/copy';
import { startPgServer, type PgServer } from '../db/pg/scratchServer';
import { confirmRecoveryKey, createInstitution } from '../features/app/setup';
import { generateDemoPortfolio } from '../features/demo/demo';
import { executeBatch } from '../jobs/dailyBatch';
import { openBranchStore } from '../kernel/branchStore';
import { AppContext, today } from '../kernel/context';
import { localOnly, type BranchStore } from '../kernel/store';
import { resourcesDir } from '../nodePaths';
import type { ClientJob, ClientResult, Op } from './branchClient';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

/**
 * The branch server beside the single-PC store (issue #14), on a throwaway PostgreSQL cluster (Debian's postgresql
 * binaries; without them this part says so and stops):
 *  - the daily batch over the demo portfolio on SQLite and on the server, the same data (copied), the same code,
 *    alternately from day A to day B and back, both on this thread (target: the server ≤ 2× SQLite);
 *  - `clients` PCs (each a thread with its own pool and session) for `seconds` against one server: list loans, open a loan,
 *    register a repayment, print a reminder, p50/p95 per operation and the errors (target: opening a loan p95 ≤ 200 ms,
 *    no error) — with a second between one PC's actions (LK_BENCH_THINK_MS), then back to back.
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

    // Twice: as people work (a second between one PC's actions, already brisker than a person), where the target
    // applies; then back to back, which on this machine measures its two cores more than the server.
    await benchClients(root, server, local.dataKey, branch, clients, seconds, Number(process.env.LK_BENCH_THINK_MS ?? 1000), true);
    await benchClients(root, server, local.dataKey, branch, clients, seconds, 0, false);
  } finally {
    for (const b of branches) b.close();
    ctx.close();
    server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Each PC on a thread of its own (bench/branchClient.ts, built beside this bundle): its own event loop, pool and
 * typesetting, as at a branch, though here they share this machine's two cores with the server.
 */
async function benchClients(root: string, server: PgServer, dataKey: Buffer, branch: BranchStore, clients: number, seconds: number, thinkMs: number, target: boolean): Promise<void> {
  const url = server.url;
  // Loans to work on: active ones to open and repay, overdue ones for reminders.
  const active = (await branch.db.selectFrom('loans').select('id').where('status', '=', 'active').orderBy('id').execute()).map((r) => r.id);
  const overdue = (await branch.db.selectFrom('loan_status as s').innerJoin('loans as l', 'l.id', 's.loan_id').select('l.id').where('l.status', '=', 'active').where('s.dpd', '>', 0).orderBy('l.id').execute()).map((r) => r.id);
  if (active.length === 0 || overdue.length === 0) {
    console.log('  concurrent clients: NOT MEASURED — no active or overdue loans in the portfolio');
    return;
  }
  const file = join(dirname(fileURLToPath(import.meta.url)), 'benchClient.mjs');
  // Time for every thread to start and warm up (each loads the bundle and typesets once) before the clock runs.
  const startAt = Date.now() + Number(process.env.LK_BENCH_WARMUP_SECONDS ?? 40) * 1000;
  const until = startAt + seconds * 1000;
  const loadBefore = load();
  // Where the two cores went while the clock ran: the server's processes, and this process (the 20 PCs' threads).
  let cpuAtStart: { server: number; pcs: number } | null = null;
  const cpuTimer = setTimeout(() => (cpuAtStart = { server: server.cpuSeconds(), pcs: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 }), Math.max(0, startAt - Date.now()));
  const results = await Promise.all(
    Array.from({ length: clients }, (_, index) => {
      const job: ClientJob = { index, url, dataKey: new Uint8Array(dataKey), root, resourcesDir: resourcesDir(), active, overdue, startAt, until, thinkMs };
      return new Promise<ClientResult>((ok, fail) => {
        const w = new Worker(file, { workerData: job });
        w.once('message', (m: { ok?: ClientResult; error?: string }) => (m.ok ? ok(m.ok) : fail(new Error(m.error))));
        w.once('error', fail);
      });
    }),
  );
  clearTimeout(cpuTimer);
  const cpuAtEnd = { server: server.cpuSeconds(), pcs: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
  const ops: Op[] = ['list', 'open', 'repay', 'notice'];
  const times = Object.fromEntries(ops.map((op) => [op, results.flatMap((r) => r.times[op])])) as Record<Op, number[]>;
  const errors = Object.fromEntries(ops.map((op) => [op, results.reduce((a, r) => a + r.errors[op], 0)])) as Record<Op, number>;
  const firstErrors = results.flatMap((r) => r.firstErrors).slice(0, 5);
  const total = Object.values(errors).reduce((a, b) => a + b, 0);
  console.log(`  ${clients} PCs (a thread each, ${thinkMs} ms between actions) against one server for ${seconds} s (load average before ${loadBefore}, after ${load()}):`);
  if (cpuAtStart) {
    const start: { server: number; pcs: number } = cpuAtStart;
    const wall = (Date.now() - startAt) / 1000;
    const share = (x: number) => `${x.toFixed(0)} CPU-s (${((100 * x) / (wall * cpus().length)).toFixed(0)} % of ${cpus().length} cores)`;
    console.log(`    CPU while timed (${wall.toFixed(0)} s): server ${share(cpuAtEnd.server - start.server)}, the PCs ${share(cpuAtEnd.pcs - start.pcs)}`);
  }
  for (const op of ops) {
    const name = { list: 'list loans', open: 'open a loan', repay: 'register a repayment', notice: 'print a reminder' }[op];
    console.log(`    ${name.padEnd(22)} ${String(times[op].length).padStart(6)} done, p50 ${median(times[op]).toFixed(1)} ms, p95 ${p95(times[op]).toFixed(1)} ms, ${errors[op]} errors`);
  }
  const openP95 = p95(times.open);
  if (target) console.log(`    opening a loan p95 ${openP95.toFixed(1)} ms (target ≤ 200 ms) ${openP95 <= 200 ? 'OK' : 'OVER TARGET'}; errors ${total} (target 0) ${total === 0 ? 'OK' : 'OVER TARGET'}`);
  else console.log(`    opening a loan p95 ${openP95.toFixed(1)} ms (no target: every PC's work queues on two cores); errors ${total} (target 0) ${total === 0 ? 'OK' : 'OVER TARGET'}`);
  for (const e of firstErrors) console.log(`    error: ${e}`);
}
