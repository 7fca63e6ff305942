// `npm run security:scan`: Electronegativity over the bundles we ship (out/main, out/preload, out/renderer
// and package.json), offline. Fails on any finding above LOW, on any file it could not parse, and if it
// ran no checks at all. Writes the findings to test-results/electronegativity.csv for reading.
// Accepted LOW findings are listed in docs/DECISIONS.md ("Packaging and security checks").
//
// Run `npx electron-vite build` (or `npm run build`) first; this script does not build.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(join(root, 'package.json'));

// Electronegativity parses with @typescript-eslint/typescript-estree 4, which npm hoists to the top of
// node_modules, where `require('typescript')` finds our TypeScript 7 (the native compiler, which has no
// JS API) and crashes on load. Electronegativity carries its own TypeScript 4.2 in its nested
// node_modules: send the parser's `typescript` there. This only affects this process.
const eneg = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const nestedTs = join(eneg, 'node_modules', 'typescript', 'lib', 'typescript.js');
if (!existsSync(nestedTs)) {
  console.error(`electronegativity: expected its own TypeScript 4 at ${nestedTs}; the install layout changed.`);
  process.exit(1);
}
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const from = parent?.filename ?? '';
  if (request === 'typescript' && /[\\/]node_modules[\\/](@typescript-eslint[\\/]typescript-estree|tsutils)[\\/]/.test(from)) {
    return nestedTs;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

// What ships. A blind spot to know about: the bundler writes `new electron.BrowserWindow({...})`, and the
// BrowserWindow checks (contextIsolation, sandbox, nodeIntegration, preload, auxclick…) match only a bare
// `new BrowserWindow(`, so on out/main they see no window at all. They do not help on the sources either:
// there the options come from a spread (`...WEB_PREFERENCES`), which they cannot follow, so they report the
// settings as missing. The window settings are asserted by tests/shell instead (docs/DECISIONS.md).
const SHIPPED = ['out/main', 'out/preload', 'out/renderer'];
for (const d of SHIPPED) {
  if (!existsSync(join(root, d))) {
    console.error(`electronegativity: ${d} is missing — run \`npx electron-vite build\` first.`);
    process.exit(1);
  }
}

// Scan a copy holding exactly what is packaged (out/cli, the test bridge and CLI, is never shipped).
const scanDir = mkdtempSync(join(tmpdir(), 'lk-eneg-'));
for (const d of SHIPPED) cpSync(join(root, d), join(scanDir, d), { recursive: true });
cpSync(join(root, 'package.json'), join(scanDir, 'package.json'));

// No network: Electronegativity's start-up fetches updated translations from GitHub (1 s timeout, then it
// uses the bundled English). Make every `got` request in this process fail at once instead.
const got = createRequire(join(eneg, 'dist', 'locales', 'i18n.js'))('got');
got.default = () => Promise.reject(new Error('network disabled in this check'));

const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const run = require('@doyensec/electronegativity/dist/runner.js');
const { severity: SEVERITY } = require('@doyensec/electronegativity/dist/finder/attributes.js');

// Its traverser (estraverse through estraverse-fb) predates class private members and static blocks, which
// pdf.js uses; it throws on node types it does not know. Teach it their child keys, nothing else.
Object.assign(createRequire(join(eneg, 'dist', 'finder', 'ast.js'))('estraverse-fb').VisitorKeys, {
  PrivateName: ['id'],
  PrivateIdentifier: [],
  ClassPrivateProperty: ['key', 'value'],
  ClassPrivateMethod: ['key', 'params', 'body'],
  StaticBlock: ['body'],
  ChainExpression: ['expression'],
  ImportExpression: ['source'],
});

let result;
try {
  result = await run({
    input: scanDir,
    output: undefined,
    isSarif: false,
    customScan: [],
    // AvailableSecurityFixesGlobalCheck downloads Electron's release list from GitHub on every run; we
    // have no internet here and a check whose answer depends on the day is no test. Keeping Electron
    // current is a release-time task (docs/DECISIONS.md).
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    severitySet: 'INFORMATIONAL',
    confidenceSet: 'TENTATIVE',
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    // No electron/package.json in the scanned folder: say which Electron the checks should assume.
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
} finally {
  rmSync(scanDir, { recursive: true, force: true });
}

const rel = (f) => (f.startsWith(scanDir) ? relative(scanDir, f) : f).split(sep).join('/');
const findings = result.issues.map((i) => ({
  id: i.id,
  severity: i.severity.name,
  level: i.severity.value,
  confidence: i.confidence.name,
  manualReview: !!i.manualReview,
  file: rel(i.file),
  line: i.location?.line ?? 0,
  column: i.location?.column ?? 0,
  sample: i.sample ?? '',
  description: i.description,
}));

// CSV report (Electronegativity's own `-o x.csv` writes the header and the rows with two concurrent
// async writes, which can lose the rows; SARIF output drops the severity. So we write our own.)
mkdirSync(join(root, 'test-results'), { recursive: true });
const csv = (v) => `"${String(v).replace(/"/g, '""')}"`;
writeFileSync(
  join(root, 'test-results', 'electronegativity.csv'),
  ['id,severity,confidence,manual_review,file,location,sample,description']
    .concat(findings.map((i) => [i.id, i.severity, i.confidence, i.manualReview, i.file, `${i.line}:${i.column}`, i.sample.slice(0, 200), i.description].map(csv).join(',')))
    .join('\n') + '\n',
);

console.log(
  `Electronegativity (Electron ${electronVersion}): ${result.atomicChecks} atomic + ${result.globalChecks} global checks ` +
    `over ${SHIPPED.join(', ')} and package.json; ${result.errors.length} parse warning(s)`,
);
for (const e of result.errors) console.log(`  ${e.tolerable ? 'warning' : 'ERROR'}: ${rel(e.file)}: ${e.message}`);
for (const i of findings) {
  console.log(`  ${i.severity.padEnd(13)} ${i.confidence.padEnd(9)} ${i.id}  ${i.file}:${i.line}:${i.column}${i.manualReview ? '  (manual review)' : ''}`);
}

const failures = [];
if (result.atomicChecks + result.globalChecks === 0) failures.push('no checks ran');
for (const e of result.errors.filter((e) => !e.tolerable)) failures.push(`could not parse ${rel(e.file)}: ${e.message}`);
for (const i of findings.filter((i) => i.level > SEVERITY.LOW.value)) {
  failures.push(`${i.severity} ${i.id} in ${i.file}:${i.line}:${i.column} — ${i.description}`);
}
const counts = Object.keys(SEVERITY)
  .map((s) => `${findings.filter((i) => i.severity === s).length} ${s}`)
  .join(', ');
if (failures.length > 0) {
  console.error(`\nelectronegativity: FAILED (${counts})`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`electronegativity: ok (${counts}; nothing above LOW). Report: test-results/electronegativity.csv`);
