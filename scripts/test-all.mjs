// `npm test`: typecheck, lint, the import-cycle check, unit + integration + shell tests, build, the browser tests, then the
// security scan of the built bundles and the Windows package check.
// Runs every step even after a failure, then prints one closing "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`贷后管家需要 Node.js 22 或更高版本（当前 ${process.version}）。LoanKeeper needs Node.js 22 or newer.`);
  process.exit(1);
}

mkdirSync('test-results', { recursive: true });
const VITEST_JSON = 'test-results/vitest.json';
const PW_JSON = 'test-results/playwright.json';
for (const f of [VITEST_JSON, PW_JSON]) rmSync(f, { force: true });

const steps = [
  { name: 'typecheck', cmd: ['npm', 'run', 'typecheck'] },
  { name: 'lint', cmd: ['npm', 'run', 'lint'] },
  { name: 'import cycles', cmd: ['npm', 'run', 'lint:cycles'] },
  { name: 'unit + integration', cmd: ['npx', 'vitest', 'run'], env: { LK_VITEST_JSON: VITEST_JSON } },
  { name: 'build', cmd: ['npm', 'run', 'build'] },
  { name: 'e2e', cmd: ['npx', 'playwright', 'test'], env: { LK_PLAYWRIGHT_JSON: PW_JSON }, needs: 'build' },
  { name: 'electronegativity', cmd: ['npm', 'run', 'security:scan'], needs: 'build' },
  { name: 'package check', cmd: ['npm', 'run', 'package:check', '--', '--skip-build'], needs: 'build' },
];

const status = {};
let passed = 0;
let failed = 0;
for (const step of steps) {
  if (step.needs && status[step.needs] !== 'ok') {
    console.log(`\n=== ${step.name}: skipped, ${step.needs} failed ===`);
    status[step.name] = 'skipped';
    failed++;
    continue;
  }
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')} ===`);
  const t0 = Date.now();
  const r = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit', env: { ...process.env, ...step.env } });
  status[step.name] = r.status === 0 ? 'ok' : 'failed';
  console.log(`=== ${step.name}: ${status[step.name]} in ${((Date.now() - t0) / 1000).toFixed(1)} s ===`);
}

// Checks that are not test cases count as one each.
for (const name of ['typecheck', 'lint', 'import cycles', 'build', 'electronegativity', 'package check']) {
  if (status[name] === 'skipped') continue; // already counted as failed when skipped
  if (status[name] === 'ok') passed++;
  else failed++;
}

if (existsSync(VITEST_JSON)) {
  const v = JSON.parse(readFileSync(VITEST_JSON, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  console.log(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests} failed, ${v.numPendingTests} skipped`);
} else if (status['unit + integration'] !== 'skipped') {
  failed++;
}
if (existsSync(PW_JSON)) {
  const p = JSON.parse(readFileSync(PW_JSON, 'utf8'));
  const ok = p.stats.expected;
  const bad = p.stats.unexpected + p.stats.flaky;
  passed += ok;
  failed += bad;
  console.log(`playwright: ${ok} passed, ${bad} failed, ${p.stats.skipped} skipped`);
} else if (status.e2e === 'failed') {
  failed++;
}
console.log(`steps: ${Object.entries(status).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && Object.values(status).every((s) => s === 'ok') ? 0 : 1);
