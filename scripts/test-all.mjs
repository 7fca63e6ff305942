// `npm test`: typecheck, lint, the import-cycle check, unit + integration + shell tests, the services' integration files again
// on a branch server (PostgreSQL), build, the browser tests, then the security scan of the built bundles and the Windows package check.
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
const BRANCH_JSON = 'test-results/vitest-branch.json';
const PW_JSON = 'test-results/playwright.json';
for (const f of [VITEST_JSON, BRANCH_JSON, PW_JSON]) rmSync(f, { force: true });

const steps = [
  { name: 'typecheck', cmd: ['npm', 'run', 'typecheck'] },
  { name: 'lint', cmd: ['npm', 'run', 'lint'] },
  { name: 'import cycles', cmd: ['npm', 'run', 'lint:cycles'] },
  { name: 'unit + integration', cmd: ['npx', 'vitest', 'run'], env: { LK_VITEST_JSON: VITEST_JSON }, vitest: { json: VITEST_JSON, args: [] } },
  // The services' integration files again, each test's store a branch on a PostgreSQL server (vitest.branch.config.mts).
  {
    name: 'integration on the branch server',
    cmd: ['npx', 'vitest', 'run', '--config', 'vitest.branch.config.mts'],
    env: { LK_VITEST_JSON: BRANCH_JSON },
    vitest: { json: BRANCH_JSON, args: ['--config', 'vitest.branch.config.mts'] },
  },
  { name: 'build', cmd: ['npm', 'run', 'build'] },
  { name: 'e2e', cmd: ['npx', 'playwright', 'test'], env: { LK_PLAYWRIGHT_JSON: PW_JSON }, needs: 'build' },
  { name: 'electronegativity', cmd: ['npm', 'run', 'security:scan'], needs: 'build' },
  { name: 'package check', cmd: ['npm', 'run', 'package:check', '--', '--skip-build'], needs: 'build' },
];

const status = {};
/** Tests that failed in the full vitest run and passed when their files ran again alone (named in the summary). */
const flaky = new Set();

/** Each failed vitest test as `file › full name`, with the first line of why. */
function vitestFailures(report) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const rel = file.name.replace(process.cwd() + '/', '');
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests) out.push({ file: rel, key: `${rel} › ${t.fullName}`, why: firstLine(t.failureMessages?.[0]) });
    if (file.status === 'failed' && failedTests.length === 0) out.push({ file: rel, key: rel, why: firstLine(file.message) });
  }
  return out;
}

function firstLine(text) {
  return String(text ?? '').split('\n')[0].slice(0, 300);
}

/**
 * A test that fails once under the load of the full run (two forks on two cores) may be a timing flake or a
 * real fault. Its files run once more alone; what passes then is reported as flaky by name, never hidden.
 */
function rerunFailedVitestFiles(step) {
  if (!existsSync(step.vitest.json)) return 'failed';
  const first = vitestFailures(JSON.parse(readFileSync(step.vitest.json, 'utf8')));
  const files = [...new Set(first.map((f) => f.file))];
  if (files.length === 0 || files.length > 5) return 'failed';
  const RERUN_JSON = 'test-results/vitest-rerun.json';
  rmSync(RERUN_JSON, { force: true });
  console.log(`\n=== ${step.name}: running ${files.length} file(s) with failures again: ${files.join(' ')} ===`);
  // Named files replace a config's list of files, as the branch pass's LK_BRANCH_FILES does.
  spawnSync('npx', ['vitest', 'run', ...step.vitest.args, ...files], { stdio: 'inherit', env: { ...process.env, LK_VITEST_JSON: RERUN_JSON, LK_BRANCH_FILES: files.join(',') } });
  if (!existsSync(RERUN_JSON)) return 'failed';
  const second = new Set(vitestFailures(JSON.parse(readFileSync(RERUN_JSON, 'utf8'))).map((f) => f.key));
  const ranAgain = new Set();
  for (const file of JSON.parse(readFileSync(RERUN_JSON, 'utf8')).testResults ?? [])
    for (const t of file.assertionResults ?? []) if (t.status === 'passed') ranAgain.add(`${file.name.replace(process.cwd() + '/', '')} › ${t.fullName}`);
  for (const f of first) if (!second.has(f.key) && ranAgain.has(f.key)) flaky.add(`${step.name} › ${f.key}`);
  return first.every((f) => flaky.has(`${step.name} › ${f.key}`)) ? 'ok' : 'failed';
}

/** Each Playwright test that did not pass first time, with its project, place and first line of why. */
function playwrightProblems(report) {
  const out = [];
  const walk = (suite, trail) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? []) {
        if (t.status === 'expected' || t.status === 'skipped') continue;
        const last = t.results?.[t.results.length - 1];
        const what = t.status === 'flaky' ? 'FLAKY (passed on retry)' : 'FAILED';
        out.push(`${what} [${t.projectName}] ${spec.file}:${spec.line} › ${[...trail, spec.title].join(' › ')}\n         ${firstLine(t.results?.[0]?.error?.message ?? last?.error?.message)}`);
      }
    for (const child of suite.suites ?? []) walk(child, [...trail, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  return out;
}
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
  if (step.vitest && r.status !== 0) status[step.name] = rerunFailedVitestFiles(step);
  console.log(`=== ${step.name}: ${status[step.name]} in ${((Date.now() - t0) / 1000).toFixed(1)} s ===`);
}

// Checks that are not test cases count as one each.
for (const name of ['typecheck', 'lint', 'import cycles', 'build', 'electronegativity', 'package check']) {
  if (status[name] === 'skipped') continue; // already counted as failed when skipped
  if (status[name] === 'ok') passed++;
  else failed++;
}

for (const step of steps.filter((s) => s.vitest)) {
  if (!existsSync(step.vitest.json)) {
    if (status[step.name] !== 'skipped') failed++;
    continue;
  }
  const v = JSON.parse(readFileSync(step.vitest.json, 'utf8'));
  const isFlaky = (f) => flaky.has(`${step.name} › ${f.key}`);
  const again = vitestFailures(v).filter(isFlaky).length;
  passed += v.numPassedTests + again;
  failed += v.numFailedTests - again;
  console.log(`vitest (${step.name}): ${v.numPassedTests + again} passed, ${v.numFailedTests - again} failed, ${v.numPendingTests} skipped`);
  for (const f of vitestFailures(v)) console.log(`  ${isFlaky(f) ? 'FLAKY (passed when run again)' : 'FAILED'} ${f.key}\n         ${f.why}`);
}
if (existsSync(PW_JSON)) {
  const p = JSON.parse(readFileSync(PW_JSON, 'utf8'));
  const ok = p.stats.expected + p.stats.flaky;
  const bad = p.stats.unexpected;
  passed += ok;
  failed += bad;
  console.log(`playwright: ${ok} passed, ${bad} failed, ${p.stats.skipped} skipped`);
  for (const f of playwrightProblems(p)) console.log(`  ${f}`);
} else if (status.e2e === 'failed') {
  failed++;
}
console.log(`steps: ${Object.entries(status).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && Object.values(status).every((s) => s === 'ok') ? 0 : 1);
