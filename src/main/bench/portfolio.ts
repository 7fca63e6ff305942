import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runBatch } from '../services/batch';
import { searchBorrowers } from '../services/borrowers';
import { AppContext, today } from '../kernel/context';
import { generateDemoPortfolio } from '../services/demo';
import { confirmRecoveryKey, createInstitution } from '../services/setup';
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
    const store = ctx.store!;
    const rows = (store.sqlite.prepare('SELECT count(*) AS n FROM schedule_rows').get() as { n: number }).n;

    const scan: number[] = [];
    const batch: number[] = [];
    for (let i = 0; i < 3; i++) {
      let t = performance.now();
      store.sqlite.prepare('SELECT loan_id, period, due_date, principal_fen, interest_fen FROM schedule_rows ORDER BY loan_id, period').raw().all();
      store.sqlite.prepare('SELECT loan_id, id, paid_on, amount_fen FROM repayments').raw().all();
      scan.push(performance.now() - t);
      t = performance.now();
      await runBatch(ctx, store, today(ctx), 'bench');
      batch.push(performance.now() - t);
    }
    const b = median(batch);
    const sc = median(scan);
    console.log(`  daily batch (DPD, penalty, floor) over ${counts.loans} loans / ${rows} schedule rows: ${(b / 1000).toFixed(2)} s (target ≤ 5 s) ${b <= 5000 ? 'OK' : 'OVER TARGET'}`);
    console.log(`  baseline, a plain SQL scan of the same schedule and repayment tables: ${(sc / 1000).toFixed(2)} s; ratio batch/scan = ${(b / sc).toFixed(1)}`);

    // Searching needs a business role; the bench's administrator gets one for the measurement only.
    ctx.session!.roles = ['admin', 'supervisor'];
    const sample = store.sqlite.prepare('SELECT name, id_number, phone FROM borrowers ORDER BY id LIMIT 100').all() as { name: string; id_number: string; phone: string }[];
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
