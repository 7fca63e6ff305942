import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { executeBatch, prestartBatchThread, stopBatchThread } from '../jobs/dailyBatch';
import { BATCH_CHUNK } from '../domain/batch';
import { localOnly } from '../kernel/store';
import { scanScheduleAndRepayments } from '../db/bulk';
import { rowCount } from '../db/maintenance';
import { searchBorrowers } from '../features/borrowers/borrowers';
import { addDays } from '../../shared/domain/dates';
import { AppContext, today } from '../kernel/context';
import { generateDemoPortfolio } from '../features/demo/demo';
import { confirmRecoveryKey, createInstitution } from '../features/app/setup';
import { resourcesDir } from '../nodePaths';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

/** The daily batch over a demo portfolio, and borrower search, on the encrypted store. */
export async function benchPortfolio(borrowers: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'lk-bench-portfolio-'));
  const ctx = new AppContext({ configDir: join(root, 'config'), defaultDataDir: join(root, 'data'), resourcesDir: resourcesDir() });
  try {
    await createInstitution(ctx, { institution: '基准测试小贷', branch: '', dataDir: join(root, 'data'), adminUsername: 'admin', adminName: '管理员', password: 'Bench-pass-2026', locale: 'zh-CN' });
    await confirmRecoveryKey(ctx);
    const t0 = performance.now();
    const counts = await generateDemoPortfolio(ctx, { borrowers, staffPassword: 'Bench-pass-2026' });
    console.log(`portfolio: demo of ${counts.borrowers} borrowers, ${counts.loans} loans generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const store = localOnly(ctx, ctx.store!);
    const rows = rowCount(store, 'schedule_rows');

    // The batch on the main thread and on the worker thread, alternately, on the same work: the worker moves the
    // statuses from day A (today + 4) to day B (A + 1), main from B back to A, so each run stores the same loans'
    // changes of DPD, penalty and class (the class changes re-plan inspections and vary from none to hundreds from
    // one day to the next, so runs on different days are not comparable; from A to B some 500 loans change class).
    // One untimed pair first: main to A, then the worker's cold run (printed), which also raise the warnings once. The worker thread is started ahead, as the app starts it at launch
    // (`useBatchWorker`), and kept between runs; main's code is warm from the demo's two batches.
    const file = join(dirname(fileURLToPath(import.meta.url)), 'batchWorker.mjs');
    prestartBatchThread(file);
    const runs = Number(process.env.LK_BENCH_RUNS ?? 3);
    const dayA = addDays(today(ctx), 4);
    const dayB = addDays(dayA, 1);
    await executeBatch(ctx, store, dayA, 'bench', undefined, null);
    let t = performance.now();
    const cold = await executeBatch(ctx, store, dayB, 'bench', undefined, file);
    const coldMs = performance.now() - t;
    const scan: number[] = [];
    const onMain: number[] = [];
    const onWorker: number[] = [];
    const phases = { start: [] as number[], statuses: [] as number[], reactions: [] as number[] };
    const mainPhases = { statuses: [] as number[], reactions: [] as number[] };
    // CPU time of the process (every thread) during each run: less swayed than wall time by a shared machine's load.
    const cpu = { main: [] as number[], worker: [] as number[] };
    const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    // Loans whose class changed (each re-plans its inspections): it differs from day to day.
    const changed = { main: [] as number[], worker: [] as number[] };
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      scanScheduleAndRepayments(store);
      scan.push(performance.now() - t);
      t = performance.now();
      let used = process.cpuUsage();
      let mainReactionsAt = 0;
      const onMainRun = await executeBatch(ctx, store, dayA, 'bench', (p) => void (p.phase === 'reactions' && (mainReactionsAt = performance.now())), null);
      changed.main.push(onMainRun.changedLevels);
      onMain.push(performance.now() - t);
      cpu.main.push(cpuMs(process.cpuUsage(used)));
      mainPhases.statuses.push(mainReactionsAt - t);
      mainPhases.reactions.push(performance.now() - mainReactionsAt);
      t = performance.now();
      used = process.cpuUsage();
      let reactionsAt = 0;
      let startedAt = 0;
      const seen = (p: { phase: string }) => {
        if (!startedAt) startedAt = performance.now();
        if (p.phase === 'reactions') reactionsAt = performance.now();
      };
      changed.worker.push((await executeBatch(ctx, store, dayB, 'bench', seen, file)).changedLevels);
      const end = performance.now();
      onWorker.push(end - t);
      cpu.worker.push(cpuMs(process.cpuUsage(used)));
      phases.start.push(startedAt - t);
      phases.statuses.push(reactionsAt - startedAt);
      phases.reactions.push(end - reactionsAt);
    }
    const b = median(onMain);
    const w = median(onWorker);
    const sc = median(scan);
    console.log(`  daily batch (DPD, penalty, floor) over ${counts.loans} loans / ${rows} schedule rows, on the main thread: ${(b / 1000).toFixed(2)} s (target ≤ 5 s) ${b <= 5000 ? 'OK' : 'OVER TARGET'}`);
    console.log(`    on main: statuses ${(median(mainPhases.statuses) / 1000).toFixed(2)} s, reactions ${(median(mainPhases.reactions) / 1000).toFixed(2)} s; each run: ${onMain.map((x, i) => `${(x / 1000).toFixed(2)} s (${changed.main[i]} changed class)`).join(', ')}`);
    console.log(`  the same on a worker thread: ${(w / 1000).toFixed(2)} s; worker/main = ${(w / b).toFixed(2)} (target ≤ 1.1) ${w / b <= 1.1 ? 'OK' : 'OVER TARGET'}`);
    console.log(`    on the worker: thread start ${(median(phases.start) / 1000).toFixed(2)} s, statuses (chunks of ${BATCH_CHUNK} loans) ${(median(phases.statuses) / 1000).toFixed(2)} s, reactions (plans, warnings) ${(median(phases.reactions) / 1000).toFixed(2)} s; each run: ${onWorker.map((x, i) => `${(x / 1000).toFixed(2)} s (${changed.worker[i]} changed class)`).join(', ')}`);
    console.log(`    the worker's first run after its start (cold code, untimed above): ${(coldMs / 1000).toFixed(2)} s (${cold.changedLevels} changed class)`);
    console.log(`    CPU time (all threads) per run, median: main ${(median(cpu.main) / 1000).toFixed(2)} s, worker ${(median(cpu.worker) / 1000).toFixed(2)} s (worker/main ${(median(cpu.worker) / median(cpu.main)).toFixed(2)})`);
    await benchContention(ctx, file, addDays(dayB, 2));
    await stopBatchThread();
    console.log(`  baseline, a plain SQL scan of the same schedule and repayment tables: ${(sc / 1000).toFixed(2)} s; ratio batch/scan = ${(b / sc).toFixed(1)}`);

    // Searching needs a business role; the bench's administrator gets one for the measurement only.
    ctx.session!.roles = ['admin', 'supervisor'];
    const sample = await store.db.selectFrom('borrowers').select(['name', 'id_number', 'phone']).orderBy('id').limit(100).execute();
    const queries = sample.flatMap((n, i) => [n.name, n.id_number.slice(4, 14), n.phone.slice(i % 5, (i % 5) + 7)]);
    const times: number[] = [];
    for (const q of queries) {
      const t = performance.now();
      await searchBorrowers(ctx, { query: q, kind: null, tier: null, limit: 50, offset: 0 });
      times.push(performance.now() - t);
    }
    const m = median(times);
    console.log(`  borrower search over ${counts.borrowers} borrowers, ${queries.length} queries: median ${m.toFixed(1)} ms, p95 ${p95(times).toFixed(1)} ms (target median ≤ 50 ms) ${m <= 50 ? 'OK' : 'OVER TARGET'}`);
  } finally {
    ctx.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * One more run on the worker while main writes a setting every 250 ms (a busy user saves far less often):
 * how long a write on main waits for the worker's transactions, and the event loop's longest stall.
 */
async function benchContention(ctx: AppContext, file: string, asOf: string): Promise<void> {
  const store = localOnly(ctx, ctx.store!);
  const waits: number[] = [];
  let stall = 0;
  let busy = 0;
  let running = true;
  const pinger = (async () => {
    let last = performance.now();
    while (running) {
      await sleep(250);
      const t = performance.now();
      stall = Math.max(stall, t - last - 250);
      try {
        // A service's write: one Kysely transaction (BEGIN IMMEDIATE on SQLite, waiting up to busy_timeout for the lock).
        const value = JSON.stringify(t);
        await store.db.transaction().execute((trx) => trx.insertInto('settings').values({ key: 'bench.ping', value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute());
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
        busy++;
      }
      waits.push(performance.now() - t);
      last = performance.now();
    }
  })();
  const t = performance.now();
  await executeBatch(ctx, store, asOf, 'bench', undefined, file);
  const ms = performance.now() - t;
  running = false;
  await pinger;
  console.log(`  on the worker with main writing every 250 ms: ${(ms / 1000).toFixed(2)} s; main's ${waits.length} writes waited at most ${Math.max(...waits).toFixed(0)} ms (p95 ${p95(waits).toFixed(0)} ms), ${busy} refused as busy; longest event-loop stall ${stall.toFixed(0)} ms`);
}
