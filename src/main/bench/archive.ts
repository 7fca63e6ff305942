import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { INNER_ARCHIVE } from '../archive/format';
import { StreamSealer } from '../archive/sealer';
import { exportArchive } from '../features/archive/archiveExport';
import { verifyPackage } from '../features/archive/archiveVerify';
import { createBorrower } from '../features/borrowers/borrowers';
import { AppContext } from '../kernel/context';
import { localOnly } from '../kernel/store';
import { walCheckpoint } from '../db/maintenance';
import { storeDocument } from '../features/documents/documents';
import { createLoan } from '../features/loans/loans';
import { renderJob } from '../pdf/offThread';
import { loanDetail } from '../features/loans/loanDetail';
import { cardExtras, letterhead } from '../features/loans/printing';
import { confirmRecoveryKey, createInstitution } from '../features/app/setup';
import { createUser } from '../features/users/users';
import { login, logout } from '../features/session/session';
import { creditCodeCheckChar } from '../../shared/domain';
import { resourcesDir } from '../nodePaths';

const FILE_MB = 25;
const ROUNDS = Math.max(1, Number(process.env.LK_BENCH_ROUNDS ?? 3));
const PASSWORD = 'KXM7Q-4TP9C-WR2HD-8JNVF-3BGZE';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU time (user + system, ms) of each thread of this process, by thread id, with its name; null off Linux. */
function threadCpu(): Map<number, { name: string; ms: number }> | null {
  try {
    const out = new Map<number, { name: string; ms: number }>();
    const tick = 1000 / 100; // USER_HZ
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ms: (Number(fields[11]) + Number(fields[12])) * tick });
    }
    return out;
  } catch {
    return null;
  }
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  fsyncSync(fd);
  closeSync(fd);
}

/**
 * Archive export of `totalMb` of generated scans against what the user would otherwise do: 7-Zip storing and
 * encrypting the same files (`7z a -tzip -mem=AES256 -mx0`), measured in the same run. The files for 7-Zip are
 * the package's own contents, unpacked before any timing. Target: our export ≤ 1.5 × 7-Zip's time.
 * Our export ends with an fsync (it must survive a pulled stick); 7-Zip does not, so 7-Zip followed by an
 * fsync of its output is timed too, and that is the target comparison; the ratio to 7-Zip alone is shown too.
 * LK_BENCH_EXPORT_MB sets the size, LK_BENCH_ROUNDS the rounds (3).
 */
export async function benchArchive(totalMb: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'lk-bench-archive-'));
  const ctx = new AppContext({ configDir: join(root, 'config'), defaultDataDir: join(root, 'data'), resourcesDir: resourcesDir() });
  try {
    const pw = 'Bench-pass-2026';
    await createInstitution(ctx, { institution: '基准测试小贷', branch: '', dataDir: join(root, 'data'), adminUsername: 'admin', adminName: '管理员', password: pw, locale: 'zh-CN' });
    await confirmRecoveryKey(ctx);
    await createUser(ctx, { username: 'sup', displayName: '主管', roles: ['supervisor', 'archivist'], password: pw });
    logout(ctx);
    await login(ctx, { username: 'sup', password: pw });
    const code = '91350100M00010000';
    const b = await createBorrower(ctx, { kind: 'enterprise', name: '基准测试商贸有限公司', idNumber: code + creditCodeCheckChar(code), phone: '', address: '福州', employer: '', legalRep: '', industry: '', registeredCapitalFen: null, tier: 'normal' });
    const l = await createLoan(ctx, { contractNo: 'BENCH-1', borrowerId: b.id, product: '流动资金贷款', principalFen: 100_000_000, annualRate: '6', months: 12, method: 'equal-installment', startDate: '2026-01-15', penaltyUplift: '0.5', purpose: '', guaranteeModes: ['credit'], officer: 'sup' });
    const files = Math.max(1, Math.round(totalMb / FILE_MB));
    const store = localOnly(ctx, ctx.store!);
    for (let i = 0; i < files; i++) {
      const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(FILE_MB * 1024 * 1024 - 4)]);
      await store.db.transaction().execute(async (trx) => {
        await storeDocument(ctx, trx, { loanId: l.loan.id, borrowerId: b.id, docType: 'other', fileName: `扫描件_${i + 1}.jpg`, base64: bytes.toString('base64') }, { allowed: ['jpeg'], maxBytes: 100 * 1024 * 1024, actor: 'sup' });
      });
    }
    walCheckpoint(store);

    // Untimed: one export, unpacked (both levels) into a folder: the same files 7-Zip will pack.
    const warm = join(root, 'warm');
    mkdirSync(warm);
    // Threads that exist before the first export: the main thread, V8's (GC, compiler), libuv's, and the PDF worker
    // if an earlier bench started it. Those the first export starts are its worker threads, in the order it starts
    // them: sealer, store reader, PDF worker.
    const setupThreads = threadCpu();
    const first = await exportArchive(ctx, { loanIds: [l.loan.id], targetDir: warm, password: PASSWORD });
    // Each thread's role, for the CPU by thread: those the first export started, in order, and the rest by kind.
    const roles = new Map<number, string>();
    const afterFirst = threadCpu();
    if (setupThreads && afterFirst) {
      const started = [...afterFirst].filter(([tid, th]) => !setupThreads.has(tid) && !th.name.startsWith('libuv')).map(([tid]) => tid).sort((a, b) => a - b);
      const others = started.length < 3 ? 'V8 (GC, compiler) and the PDF worker (started before)' : 'V8 (GC, compiler)';
      for (const [tid, th] of afterFirst) roles.set(tid, tid === process.pid ? 'main' : th.name.startsWith('libuv') ? 'libuv pool (writes, flushes)' : others);
      started.forEach((tid, i) => roles.set(tid, ['sealer', 'store reader', 'PDF worker'][i] ?? 'other threads'));
    }
    const checked = await verifyPackage(first.file, PASSWORD, (k) => k);
    if (!checked.ok) throw new Error(`the package does not verify: ${JSON.stringify(checked)}`);
    const plain = join(root, 'plain');
    execFileSync('7z', ['x', `-p${PASSWORD}`, `-o${join(root, 'outer')}`, first.file], { stdio: 'pipe' });
    execFileSync('7z', ['x', `-o${plain}`, join(root, 'outer', INNER_ARCHIVE)], { stdio: 'pipe' });
    rmSync(warm, { recursive: true, force: true });
    rmSync(join(root, 'outer'), { recursive: true, force: true });

    // Alternating rounds, so that neither side always meets a disk still busy with the other's writes.
    const sevenMs: number[] = [];
    const sevenSyncMs: number[] = [];
    const exportMs: number[] = [];
    // CPU time (user + system, every thread): steadier than wall time on a machine others are using too.
    const sevenCpu: number[] = [];
    const exportCpu: number[] = [];
    const byThread: Record<string, number[]> = {};
    let r = first;
    let sevenBytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const zip = join(root, `7z-${round}.zip`);
      let t = performance.now();
      // Through bash's `time`, for 7-Zip's CPU time as well (user + system, all its threads).
      const timed = execFileSync('bash', ['-c', 'TIMEFORMAT="%U %S"; { time 7z a -tzip -mem=AES256 -mx0 "-p$LK_PW" "$LK_ZIP" . >/dev/null; } 2>&1'], { cwd: plain, env: { ...process.env, LK_PW: PASSWORD, LK_ZIP: zip }, encoding: 'utf8' });
      sevenMs.push(performance.now() - t);
      sevenCpu.push(timed.trim().split(/\s+/).slice(-2).reduce((a, x) => a + Number(x) * 1000, 0));
      fsyncFile(zip);
      sevenSyncMs.push(performance.now() - t);
      sevenBytes = statSync(zip).size;
      rmSync(zip, { force: true });
      const usb = join(root, `usb-${round}`);
      mkdirSync(usb);
      t = performance.now();
      const cpu = process.cpuUsage();
      const threadsBefore = threadCpu();
      r = await exportArchive(ctx, { loanIds: [l.loan.id], targetDir: usb, password: PASSWORD });
      exportMs.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      const threadsAfter = threadCpu();
      if (roles.size > 0 && threadsBefore && threadsAfter) {
        const round: Record<string, number> = {};
        for (const [tid, th] of threadsAfter) {
          const role = roles.get(tid) ?? (th.name.startsWith('libuv') ? 'libuv pool (writes, flushes)' : 'other threads');
          round[role] = (round[role] ?? 0) + th.ms - (threadsBefore.get(tid)?.ms ?? 0);
        }
        for (const [k, ms] of Object.entries(round)) (byThread[k] ??= []).push(ms);
      }
      exportCpu.push((used.user + used.system) / 1000);
      rmSync(usb, { recursive: true, force: true });
    }
    // What the encryption costs by itself: WinZip AES-256 + HMAC-SHA1 of the same bytes in memory, one core.
    const inline = new StreamSealer(PASSWORD, false);
    const scan = Buffer.alloc(FILE_MB * 1024 * 1024, 7);
    const t0 = performance.now();
    for (let i = 0; i < files; i++) await inline.push([{ data: scan, own: true }]);
    await inline.mac();
    const sealMs = performance.now() - t0;
    // What one post-loan card costs, rendered where the export renders it (the PDF worker, its fonts parsed by the
    // exports above): the export makes a card and a ledger per loan, beside the documents.
    const d = await loanDetail(ctx, store, ctx.session!, l.loan.id, null);
    const cardJob = { kind: 'card' as const, detail: d, extras: await cardExtras(ctx, store, d), head: await letterhead(ctx, store) };
    const cardCpu = process.cpuUsage();
    const tCard = performance.now();
    await renderJob(resourcesDir(), cardJob);
    const cardMs = performance.now() - tCard;
    const cardUsed = process.cpuUsage(cardCpu);
    const mb = files * FILE_MB;
    const seven = median(sevenMs);
    const sevenSync = median(sevenSyncMs);
    const exp = median(exportMs);
    const ratio = exp / seven;
    const secs = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(' / ');
    console.log(`archive: export of ${mb} MB of scans (${r.files} files, package ${(r.bytes / 1048576).toFixed(0)} MB; 7-Zip's ${(sevenBytes / 1048576).toFixed(0)} MB), ${ROUNDS} alternating rounds, medians; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`  7-Zip (7z a -tzip -mem=AES256 -mx0) of the same files: ${(seven / 1000).toFixed(2)} s (${(mb / (seven / 1000)).toFixed(0)} MB/s)  rounds ${secs(sevenMs)} s`);
    console.log(`  7-Zip, then fsync of its output:                     ${(sevenSync / 1000).toFixed(2)} s  rounds ${secs(sevenSyncMs)} s`);
    console.log(`  our export from the encrypted store, fsynced:        ${(exp / 1000).toFixed(2)} s (${(mb / (exp / 1000)).toFixed(0)} MB/s)  rounds ${secs(exportMs)} s`);
    console.log(`  for reference, WinZip AES + HMAC of the bytes in memory on one core: ${(sealMs / 1000).toFixed(2)} s (${(mb / (sealMs / 1000)).toFixed(0)} MB/s)`);
    console.log(`  of which a post-loan card PDF, made alone on the PDF worker: ${(cardMs / 1000).toFixed(2)} s (CPU ${((cardUsed.user + cardUsed.system) / 1e6).toFixed(2)} s); the export makes a card and a ledger per loan`);
    console.log(`  CPU time (user + system, all threads): 7-Zip ${(median(sevenCpu) / 1000).toFixed(2)} s, our export ${(median(exportCpu) / 1000).toFixed(2)} s, ratio ${(median(exportCpu) / median(sevenCpu)).toFixed(2)}`);
    if (Object.keys(byThread).length > 0) console.log(`  CPU by thread, medians (Linux, 10 ms ticks): ${Object.entries(byThread).map(([k, xs]) => `${k} ${(median(xs) / 1000).toFixed(2)} s`).join(', ')}`);
    // The target compares like with like: our export is on the disk when it says done (fsync), so 7-Zip's
    // time includes the fsync of its output too. The ratio against 7-Zip alone is shown beside it.
    const ratioSync = exp / sevenSync;
    console.log(`  time ratio export / (7-Zip + fsync) = ${ratioSync.toFixed(2)} (the target comparison, ≤ 1.50) ${ratioSync <= 1.5 ? 'OK' : 'OVER TARGET'}`);
    console.log(`  time ratio export / 7-Zip without its fsync = ${ratio.toFixed(2)} (against the same 1.50: ${ratio <= 1.5 ? 'OK' : 'OVER TARGET'})`);
    // A round can be slowed several-fold by the machine (a first touch of memory, another guest): the fastest
    // rounds of each side are the least disturbed, so their ratio is printed too.
    const fast = Math.min(...exportMs) / Math.min(...sevenMs);
    const fastSync = Math.min(...exportMs) / Math.min(...sevenSyncMs);
    const verdict = (x: number) => `${x.toFixed(2)} ${x <= 1.5 ? 'OK' : 'OVER TARGET'}`;
    console.log(
      `  fastest rounds: export ${(Math.min(...exportMs) / 1000).toFixed(2)} s, 7-Zip ${(Math.min(...sevenMs) / 1000).toFixed(2)} s (${(Math.min(...sevenSyncMs) / 1000).toFixed(2)} s with its fsync); ratio ${verdict(fast)}, to 7-Zip + fsync ${verdict(fastSync)}`,
    );
    writeFileSync(join(root, 'done'), '');
  } finally {
    ctx.close();
    rmSync(root, { recursive: true, force: true });
  }
}
