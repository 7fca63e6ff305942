import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { driverWorkload } from './db/bulk';
import { openSqlite, type Sqlite } from './db/open';
import './reactions';
import { benchArchive } from './bench/archive';
import { benchBranch } from './bench/branch';
import { benchCrash, crashWriter } from './bench/crash';
import { benchNotices } from './bench/notices';
import { benchPortfolio } from './bench/portfolio';
import { usePdfWorker } from './pdf/offThread';
import { assertNode22 } from './nodePaths';

// `npm run bench`: speed targets as ratios against a baseline measured in the same run.
assertNode22();

const ROWS = 20_000;
const QUERIES = 50;

function workload(db: Sqlite): { insertMs: number; queryMs: number } {
  return driverWorkload(db, ROWS, QUERIES);
}

function run(encrypted: boolean): { insertMs: number; queryMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lk-bench-'));
  try {
    const db = openSqlite(join(dir, 'bench.db'), encrypted ? randomBytes(32) : null, { create: true });
    try {
      return workload(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The crash trials' writer is this same bundle, started as a child.
if (process.argv[2] === 'crash-writer') {
  await crashWriter(process.argv[3], process.argv[4]);
}

// The export's cards and ledgers on the PDF worker, as in the app (its bundle sits next to this one).
usePdfWorker(join(dirname(fileURLToPath(import.meta.url)), 'pdfWorker.mjs'));

// LK_BENCH_ONLY=store,portfolio,branch,notices,archive,crash runs a subset.
const only = new Set((process.env.LK_BENCH_ONLY ?? 'store,portfolio,branch,notices,archive,crash').split(','));

function benchStore(): void {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const plain: number[] = [];
  const enc: number[] = [];
  run(true); // warm-up
  for (let i = 0; i < 5; i++) {
    const p = run(false);
    const e = run(true);
    plain.push(p.insertMs + p.queryMs);
    enc.push(e.insertMs + e.queryMs);
  }
  const ratio = median(enc) / median(plain);
  console.log(`store: ${ROWS} inserts + ${QUERIES * 2} indexed reads, median of 5`);
  console.log(`  plaintext  ${median(plain).toFixed(1)} ms`);
  console.log(`  encrypted  ${median(enc).toFixed(1)} ms`);
  console.log(`  ratio encrypted/plaintext = ${ratio.toFixed(2)} (target ≤ 1.30) ${ratio <= 1.3 ? 'OK' : 'OVER TARGET'}`);
}

if (only.has('store')) benchStore();
if (only.has('portfolio')) await benchPortfolio(Number(process.env.LK_BENCH_BORROWERS ?? 82_000));
if (only.has('branch')) {
  await benchBranch(Number(process.env.LK_BENCH_BORROWERS ?? 82_000), Number(process.env.LK_BENCH_CLIENTS ?? 20), Number(process.env.LK_BENCH_CLIENTS_SECONDS ?? 60));
}
if (only.has('notices')) await benchNotices(Number(process.env.LK_BENCH_NOTICES ?? 1000));
if (only.has('archive')) await benchArchive(Number(process.env.LK_BENCH_EXPORT_MB ?? 1024));
if (only.has('crash')) await benchCrash(Number(process.env.LK_BENCH_CRASH_TRIALS ?? 200));
