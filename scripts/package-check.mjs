// `npm run package:check`: package the app for Windows x64 with electron-builder, offline, and check what
// would ship. Steps:
//   1. `electron-vite build` (skip with --skip-build when out/ was just built, as `npm test` does);
//   2. a stand-in Electron distribution in a temp folder (see makeStandInElectron for what it proves);
//   3. `electron-builder --win --x64 --dir` with `electronDist` pointing at it and, for this check only,
//      `win.signAndEditExecutable=false` (rcedit and signing need Windows tools we cannot download);
//   4. the checks below on dist/win-unpacked. Any failure prints what is wrong and exits 1.
// `--check-only` skips 1–3 and checks the dist/win-unpacked already there (to try a deliberate break).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, win32 } from 'node:path';
import { runInNewContext } from 'node:vm';
import * as asar from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(join(root, 'package.json'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** The asar (app code + production dependencies) must stay below this. Raise it on purpose, not by accident. */
const ASAR_BUDGET_MB = 35;

/**
 * The fuses the shipped exe must carry. Kept here as well as in package.json (`build.electronFuses`) so
 * that dropping one from the config fails this check.
 */
const EXPECTED_FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
};

/**
 * The stand-in's fuse wire before packaging: one byte per fuse, '0' off, '1' on, at the defaults Electron
 * documents (docs/tutorial/fuses.md). WasmTrapHandlers is neither set by us nor checked; its byte is only
 * there so the wire is as long as @electron/fuses 2 knows it.
 */
const ELECTRON_DEFAULT_WIRE = {
  RunAsNode: '1',
  EnableCookieEncryption: '0',
  EnableNodeOptionsEnvironmentVariable: '1',
  EnableNodeCliInspectArguments: '1',
  EnableEmbeddedAsarIntegrityValidation: '0',
  OnlyLoadAppFromAsar: '0',
  LoadBrowserProcessSpecificV8Snapshot: '0',
  GrantFileProtocolExtraPrivileges: '1',
  WasmTrapHandlers: '1',
};
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'; // @electron/fuses src/constants.ts

const DRIVER = 'better-sqlite3-multiple-ciphers';
const DRIVER_PREBUILD = `node_modules/${DRIVER}/prebuilds/win32-x64.node`;

function run(cmd, args, what) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  if (r.status !== 0) {
    console.error(`\npackage check: FAILED — ${what} exited with ${r.status ?? r.signal}.`);
    process.exit(1);
  }
}

/**
 * A stand-in for Electron's win32-x64 distribution: only `electron.exe`, built here as a minimal PE32+
 * with the two things electron-builder reads or edits in it:
 *  - a VERSIONINFO resource with one language (electron-builder adds the asar integrity hash as an
 *    `INTEGRITY/ELECTRONASAR` resource next to it, and refuses an exe without one);
 *  - Electron's fuse wire: the sentinel, version 1, the wire length, and Electron's default states,
 *    kept in an RCDATA resource (in the real exe it sits in .rdata; @electron/fuses finds it by scanning
 *    the bytes, so where it sits does not matter).
 * What this proves: our electron-builder config packages offline; `files`, `asarUnpack` and
 * `extraResources` give the layout checked below; `electronFuses` is applied (every fuse we check is
 * flipped away from Electron's default, so a config that did nothing would fail); the integrity hash
 * embedded in the exe matches the asar that ships.
 * What it cannot prove: that the real electron.exe starts and loads app.asar, the native driver (its
 * DLL imports, N-API level) and the fonts; that Electron honours the fuses; that the real wire has the
 * length and order assumed here (flipping fails loudly on a shorter wire, so a real `npm run dist`
 * would catch that); rcedit, icon, version strings and signing (skipped with signAndEditExecutable=false);
 * Electron's own files (locales, ICU data, V8 snapshots, ffmpeg); and the NSIS installer.
 */
function makeStandInElectron(dir) {
  // resedit is what electron-builder edits the exe with: take the very copy it uses.
  const ResEdit = createRequire(require.resolve('app-builder-lib/package.json'))('resedit');
  const exe = ResEdit.NtExecutable.createEmpty(false, false);
  const res = ResEdit.NtExecutableResource.from(exe);
  const lang = 1033;
  const version = ResEdit.Resource.VersionInfo.createEmpty();
  version.lang = lang;
  version.setStringValues({ lang, codepage: 1200 }, {
    FileDescription: 'LoanKeeper package check: stand-in for electron.exe',
    ProductName: 'Electron stand-in',
    OriginalFilename: 'electron.exe',
  });
  version.outputToResourceEntries(res.entries);
  const states = Object.keys(FuseV1Options)
    .filter((k) => Number.isNaN(Number(k)))
    .sort((a, b) => FuseV1Options[a] - FuseV1Options[b]);
  const wire = states.map((name) => {
    if (!(name in ELECTRON_DEFAULT_WIRE)) throw new Error(`no default state for fuse ${name} in ELECTRON_DEFAULT_WIRE`);
    return ELECTRON_DEFAULT_WIRE[name];
  });
  res.entries.push({
    type: 10, // RT_RCDATA
    id: 1,
    lang,
    codepage: 1200,
    bin: Buffer.concat([Buffer.from(FUSE_SENTINEL, 'ascii'), Buffer.from([1, wire.length]), Buffer.from(wire.join(''), 'ascii')]),
  });
  res.outputResource(exe);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'electron.exe'), Buffer.from(exe.generate()));
}

/** 'MZ', the PE signature, and the COFF machine type (0x8664 = x64). */
function peMachine(buf) {
  if (buf.length < 0x40 || buf.toString('latin1', 0, 2) !== 'MZ') return null;
  const pe = buf.readUInt32LE(0x3c);
  if (pe + 6 > buf.length || buf.toString('latin1', pe, pe + 4) !== 'PE\0\0') return null;
  return buf.readUInt16LE(pe + 4);
}

const walkDisk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((x) => (x.isDirectory() ? walkDisk(join(d, x.name)) : [join(d, x.name)]));
const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;

// ---------------------------------------------------------------------------------------------------
const checkOnly = process.argv.includes('--check-only');
if (!checkOnly && !process.argv.includes('--skip-build')) run(bin('electron-vite'), ['build'], 'electron-vite build');
for (const f of ['out/main/index.js', 'out/main/batchWorker.js', 'out/main/pdfWorker.js', 'out/preload/preload.js', 'out/renderer/index.html']) {
  if (!existsSync(join(root, f))) {
    console.error(`package check: FAILED — ${f} is missing; run \`npx electron-vite build\` first.`);
    process.exit(1);
  }
}

const appOut = join(root, 'dist', 'win-unpacked');
if (!checkOnly) {
  const standIn = mkdtempSync(join(tmpdir(), 'lk-electron-stand-in-'));
  try {
    makeStandInElectron(standIn);
    rmSync(appOut, { recursive: true, force: true });
    run(
      bin('electron-builder'),
      ['--win', '--x64', '--dir', '--publish', 'never', `-c.electronDist=${standIn}`, '-c.win.signAndEditExecutable=false'],
      'electron-builder',
    );
  } finally {
    rmSync(standIn, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
const results = [];
const check = async (name, fn) => {
  let problems;
  try {
    problems = (await fn()) ?? [];
  } catch (e) {
    // An exception is one problem: its message without the stack.
    const text = e instanceof Error ? e.message : String(e);
    problems = [text.split('\n').filter((l) => l.trim() && !/^\s+at /.test(l)).slice(0, 2).join(' ')];
  }
  results.push({ name, problems });
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name}`);
  for (const p of problems.slice(0, 25)) console.log(`       - ${p}`);
  if (problems.length > 25) console.log(`       … and ${problems.length - 25} more`);
};

console.log('\n=== package check: dist/win-unpacked ===');
const resources = join(appOut, 'resources');
const asarPath = join(resources, 'app.asar');
const unpackedDir = join(resources, 'app.asar.unpacked');
const exeName = `${pkg.build.productName}.exe`;
const exePath = join(appOut, exeName);
let entries = [];
const entrySet = new Set();

await check('app.asar and the exe exist', () => {
  const p = [];
  if (!existsSync(asarPath)) p.push(`missing ${asarPath}`);
  if (!existsSync(exePath)) p.push(`missing ${exePath}`);
  else if (peMachine(readFileSync(exePath)) !== 0x8664) p.push(`${exeName} is not an x64 PE file`);
  if (p.length === 0) {
    entries = asar.listPackage(asarPath, { isPack: false }).map((e) => e.replaceAll('\\', '/'));
    for (const e of entries) entrySet.add(e);
  }
  return p;
});
if (entries.length === 0) {
  console.error('\npackage check: FAILED — nothing to check without app.asar.');
  process.exit(1);
}
const asarFile = (e) => asar.extractFile(asarPath, e.slice(1));
const asarStat = (e) => asar.statFile(asarPath, e.slice(1));

await check('app.asar holds out/main, out/preload, out/renderer (every built file, same bytes) and package.json', () => {
  const p = [];
  const walk = (dir) => readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(`${dir}/${d.name}`) : [`${dir}/${d.name}`]));
  for (const dir of ['out/main', 'out/preload', 'out/renderer']) {
    const files = walk(dir).filter((f) => !f.endsWith('.map'));
    if (files.length === 0) p.push(`${dir} is empty`);
    for (const f of files) {
      if (!entrySet.has(`/${f}`)) p.push(`missing /${f}`);
      else if (sha256(asarFile(`/${f}`)) !== sha256(readFileSync(join(root, f)))) p.push(`/${f} differs from the build`);
    }
  }
  if (!entrySet.has('/package.json')) p.push('missing /package.json');
  else {
    const shipped = JSON.parse(asarFile('/package.json').toString('utf8'));
    if (shipped.main !== 'out/main/index.js') p.push(`package.json main is ${shipped.main}, expected out/main/index.js`);
    if (shipped.scripts) p.push('package.json still has scripts');
  }
  return p;
});

// Every package of the production tree (package.json `dependencies` and theirs, from the lockfile), as
// name@version; electron-builder may lay the folders out differently, so compare what, not where.
const PKG_JSON = /^\/(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/@][^/]*)\/package\.json$/;
const shippedPackages = new Map(); // name@version -> asar folder
for (const e of entries) {
  if (!PKG_JSON.test(e)) continue;
  const j = JSON.parse(asarFile(e).toString('utf8'));
  shippedPackages.set(`${j.name}@${j.version}`, e.slice(0, -'/package.json'.length));
}
await check('app.asar holds exactly the production dependencies (package.json `dependencies` and theirs)', () => {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const want = new Set();
  for (const [key, v] of Object.entries(lock.packages)) {
    if (key === '' || v.dev || v.devOptional || v.link) continue;
    if (v.optional && !existsSync(join(root, key))) continue; // an optional dependency not installed on this OS
    want.add(`${v.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${v.version}`);
  }
  const p = [];
  for (const name of Object.keys(pkg.dependencies)) {
    if (![...shippedPackages.keys()].some((k) => k.startsWith(`${name}@`))) p.push(`direct dependency ${name} is not in app.asar`);
  }
  for (const w of want) if (!shippedPackages.has(w)) p.push(`missing ${w}`);
  for (const [h, where] of shippedPackages) if (!want.has(h)) p.push(`not a production dependency: ${h} (${where})`);
  if (p.length === 0) console.log(`       ${shippedPackages.size} packages`);
  return p;
});

await check('every module the main bundle requires loads from the shipped tree (Node, outside this repository)', () => {
  // Unpack the asar to a temp folder with no node_modules above it and require each bare specifier
  // out/main/index.js uses, resolved from out/main as Electron would. Catches a missing dependency and
  // files trimmed by `files` that a package still needs at load time. The driver's Windows binary is not
  // loaded here (Linux), only its JS; `require` of the driver loads the binary on first `new Database`.
  const main = asarFile('/out/main/index.js').toString('utf8');
  const builtin = new Set(require('node:module').builtinModules);
  const specs = [...new Set([...main.matchAll(/require\((["'])([^"'\n]+)\1\)/g)].map((m) => m[2]))].filter(
    (s) => s !== 'electron' && !s.startsWith('node:') && !builtin.has(s) && !s.startsWith('.'),
  );
  if (specs.length === 0) return ['found no require() of a package in out/main/index.js — has the bundle format changed?'];
  const tmp = mkdtempSync(join(tmpdir(), 'lk-asar-'));
  try {
    asar.extractAll(asarPath, join(tmp, 'app'));
    const probe = `
      const { createRequire } = require('node:module');
      const req = createRequire(${JSON.stringify(join(tmp, 'app', 'out', 'main', 'index.js'))});
      const bad = [];
      for (const s of ${JSON.stringify(specs)}) {
        try { const p = req.resolve(s); if (!p.startsWith(${JSON.stringify(join(tmp, 'app'))})) throw new Error('resolved outside the package: ' + p); req(s); }
        catch (e) { bad.push(s + ': ' + String(e && e.message).split('\\n')[0]); }
      }
      process.stdout.write(JSON.stringify(bad));`;
    const r = spawnSync(process.execPath, ['-e', probe], { cwd: tmp, encoding: 'utf8', env: { PATH: process.env.PATH } });
    if (r.status !== 0) return [`the probe failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`];
    const bad = JSON.parse(r.stdout);
    if (bad.length === 0) console.log(`       ${specs.join(', ')}`);
    return bad;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

await check(`the SQLite driver's win32-x64 binary is unpacked next to app.asar, is x64 PE, and is the file the driver loads`, () => {
  const p = [];
  const entry = `/${DRIVER_PREBUILD}`;
  if (!entrySet.has(entry)) return [`app.asar does not list ${entry}`];
  if (!asarStat(entry).unpacked) p.push(`${entry} is packed inside app.asar; a .node file must be unpacked to be loaded`);
  const real = join(unpackedDir, DRIVER_PREBUILD);
  if (!existsSync(real)) return [...p, `missing ${real}`];
  const bytes = readFileSync(real);
  const machine = peMachine(bytes);
  if (machine === null) p.push(`${real} is not a PE file (no MZ/PE header)`);
  else if (machine !== 0x8664) p.push(`${real} is a PE for machine 0x${machine.toString(16)}, not x64 (0x8664)`);
  if (sha256(bytes) !== sha256(readFileSync(join(root, DRIVER_PREBUILD)))) p.push(`${real} differs from the installed prebuild`);

  // How the driver finds it: `require('better-sqlite3-multiple-ciphers')` is lib/index.js, whose
  // `new Database()` calls lib/binding.js getBinding() -> getPrebuildPath(), which returns
  // path.join(__dirname, '..', 'prebuilds', `${platform}-${arch}.node`) if fs.existsSync says so, then
  // require()s it. Run the *shipped* binding.js as Windows x64 would see it: __dirname inside
  // app.asar, Windows paths, and Electron's asar-aware existsSync (true for any entry the asar lists,
  // packed or unpacked). Electron then loads an unpacked .node from app.asar.unpacked.
  const index = asarFile(`/node_modules/${DRIVER}/lib/index.js`).toString('utf8');
  if (!/require\(['"]\.\/binding['"]\)\.getBinding/.test(index)) p.push(`${DRIVER}/lib/index.js no longer loads its binary through lib/binding.js getBinding — re-read the driver and update this check`);
  const fakeResources = 'C:\\Program Files\\LoanKeeper\\resources';
  const asarRoot = win32.join(fakeResources, 'app.asar');
  const fakeFs = {
    existsSync: (f) => {
      const rel = win32.relative(asarRoot, f);
      return !rel.startsWith('..') && !win32.isAbsolute(rel) && entrySet.has(`/${rel.split('\\').join('/')}`);
    },
  };
  const mod = { exports: {} };
  runInNewContext(asarFile(`/node_modules/${DRIVER}/lib/binding.js`).toString('utf8'), {
    require: (m) => (m === 'fs' ? fakeFs : m === 'path' ? win32 : (() => { throw new Error(`binding.js requires ${m}`); })()),
    module: mod,
    exports: mod.exports,
    __dirname: win32.join(asarRoot, 'node_modules', DRIVER, 'lib'),
    process: { platform: 'win32', arch: 'x64', report: { getReport: () => ({ header: {} }) } },
  });
  const found = mod.exports.getPrebuildPath?.();
  const expected = win32.join(asarRoot, ...DRIVER_PREBUILD.split('/'));
  if (found !== expected) p.push(`the shipped binding.js resolves the binary to ${found ?? 'nothing'}, expected ${expected}`);
  return p;
});

await check('nothing of the test bridge, CLI, tests, sources or source maps ships', () => {
  const p = [];
  const top = new Set(entries.map((e) => e.split('/')[1]));
  for (const t of top) if (!['out', 'node_modules', 'package.json'].includes(t)) p.push(`unexpected top-level entry /${t} in app.asar`);
  const strayOut = new Map(); // /out/<dir> -> number of files
  const maps = [];
  for (const e of entries) {
    const m = /^\/out\/([^/]+)/.exec(e);
    if (m && !['main', 'preload', 'renderer'].includes(m[1])) strayOut.set(`/out/${m[1]}`, (strayOut.get(`/out/${m[1]}`) ?? 0) + 1);
    if (e.endsWith('.map')) maps.push(`app.asar${e}`);
  }
  for (const [d, n] of strayOut) p.push(`${d} (${n} entries) is in app.asar: only out/main, out/preload and out/renderer ship (out/cli is the CLI and the test bridge)`);
  for (const f of walkDisk(appOut)) if (f.endsWith('.map')) maps.push(f);
  if (maps.length > 0) p.push(`${maps.length} source maps ship, e.g. ${maps.sort((a, b) => (a.includes('/out/') ? -1 : 0) - (b.includes('/out/') ? -1 : 0)).slice(0, 4).join(', ')}`);
  // The bridge's and CLI's own code must not be bundled into main either (its cookie name, entry points).
  const main = asarFile('/out/main/index.js').toString('utf8');
  for (const marker of ['lk_token', 'startBridge', 'cmdExportArchive']) if (main.includes(marker)) p.push(`out/main/index.js contains ${marker}`);
  return p;
});

await check('the fonts are in resources/resources/fonts (extraResources), byte for byte', () => {
  const p = [];
  const src = join(root, 'resources', 'fonts');
  const dst = join(resources, 'resources', 'fonts');
  const fonts = readdirSync(src).filter((f) => /\.(ttc|ttf|otf)$/i.test(f));
  if (fonts.length === 0) p.push('no fonts in resources/fonts');
  for (const f of [...fonts, ...readdirSync(src).filter((f) => /^LICEN[CS]E/i.test(f))]) {
    const d = join(dst, f);
    if (!existsSync(d)) p.push(`missing ${d}`);
    else if (statSync(d).size !== statSync(join(src, f)).size || sha256(readFileSync(d)) !== sha256(readFileSync(join(src, f)))) p.push(`${d} differs from resources/fonts/${f}`);
  }
  // The PDF code names its fonts: each must be there.
  const render = readFileSync(join(root, 'src', 'main', 'pdf', 'render.ts'), 'utf8');
  for (const [, f] of render.matchAll(/f\('([^']+)'\)/g)) if (!existsSync(join(dst, f))) p.push(`src/main/pdf/render.ts uses ${f}, which does not ship`);
  return p;
});

let asarSize = 0;
await check(`app.asar is under the size budget of ${ASAR_BUDGET_MB} MB`, () => {
  asarSize = statSync(asarPath).size;
  const unpacked = existsSync(unpackedDir) ? walkDisk(unpackedDir).reduce((s, f) => s + statSync(f).size, 0) : 0;
  const fontsSize = walkDisk(join(resources, 'resources')).reduce((s, f) => s + statSync(f).size, 0);
  console.log(`       app.asar ${mb(asarSize)} (${asarSize} bytes) of ${ASAR_BUDGET_MB} MB; app.asar.unpacked ${mb(unpacked)}; fonts ${mb(fontsSize)}`);
  return asarSize > ASAR_BUDGET_MB * 1024 * 1024 ? [`app.asar is ${mb(asarSize)}, over the budget of ${ASAR_BUDGET_MB} MB`] : [];
});

await check('the exe carries the fuses of build.electronFuses (flipped from Electron\'s defaults)', async () => {
  const p = [];
  const wire = await getCurrentFuseWire(exePath);
  const configured = pkg.build.electronFuses ?? {};
  for (const [name, on] of Object.entries(EXPECTED_FUSES)) {
    const key = name[0].toLowerCase() + name.slice(1);
    if (configured[key] !== on) p.push(`package.json build.electronFuses.${key} is ${configured[key]}, expected ${on}`);
    const state = wire[FuseV1Options[name]];
    const want = on ? FuseState.ENABLE : FuseState.DISABLE;
    if (state !== want) p.push(`${name} is ${state === undefined ? 'absent' : String.fromCharCode(state)} in ${exeName}, expected ${on ? '1 (on)' : '0 (off)'}`);
  }
  if (p.length === 0) console.log(`       ${Object.entries(EXPECTED_FUSES).map(([k, v]) => `${k} ${v ? 'on' : 'off'}`).join(', ')}`);
  return p;
});

await check('the exe embeds the integrity hash of the app.asar that ships (EnableEmbeddedAsarIntegrityValidation)', () => {
  // With the fuse on, Electron on Windows refuses to start unless the INTEGRITY/ELECTRONASAR resource
  // holds the SHA-256 of app.asar's header. electron-builder writes it with resedit; read it back.
  const ResEdit = createRequire(require.resolve('app-builder-lib/package.json'))('resedit');
  const res = ResEdit.NtExecutableResource.from(ResEdit.NtExecutable.from(readFileSync(exePath)));
  const entry = res.entries.find((e) => e.type === 'INTEGRITY' && e.id === 'ELECTRONASAR');
  if (!entry) return [`${exeName} has no INTEGRITY/ELECTRONASAR resource`];
  const list = JSON.parse(Buffer.from(entry.bin).toString('utf8'));
  const mine = list.find((x) => x.file === 'resources\\app.asar');
  if (!mine) return [`the integrity resource does not name resources\\app.asar: ${JSON.stringify(list)}`];
  const actual = sha256(asar.getRawHeader(asarPath).headerString);
  return mine.alg === 'SHA256' && mine.value === actual ? [] : [`integrity resource says ${mine.alg} ${mine.value}, app.asar header hashes to ${actual}`];
});

const failed = results.filter((r) => r.problems.length > 0);
if (failed.length > 0) {
  console.error(`\npackage check: FAILED — ${failed.length} of ${results.length} checks: ${failed.map((r) => r.name).join('; ')}`);
  process.exit(1);
}
console.log(`\npackage check: ok — ${results.length} checks; app.asar ${mb(asarSize)} (budget ${ASAR_BUDGET_MB} MB)`);
