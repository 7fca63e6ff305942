import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, fsyncSync, openSync, closeSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StreamSealer } from '../archive/sealer';
import { exportArchive } from '../services/archiveExport';
import { createBorrower } from '../services/borrowers';
import { AppContext } from '../services/context';
import { storeDocument } from '../services/documents';
import { createLoan } from '../services/loans';
import { confirmRecoveryKey, createInstitution } from '../services/setup';
import { createUser } from '../services/users';
import { login, logout } from '../services/session';
import { creditCodeCheckChar } from '../../shared/domain';
import { resourcesDir } from '../nodePaths';

const FILE_MB = 25;
const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function copyTo(file: string, data: Buffer): void {
  const fd = openSync(file, 'w');
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  fsyncSync(fd);
  closeSync(fd);
}

/**
 * Archive export of `totalMb` of generated scans against a plain copy of the same bytes to the same disk,
 * both fsynced, measured in one run. Target: the export reaches at least half the copy's throughput.
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
    const scans: Buffer[] = [];
    for (let i = 0; i < files; i++) scans.push(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(FILE_MB * 1024 * 1024 - 4)]));
    const store = ctx.store!;
    await store.db.transaction().execute(async (trx) => {
      for (const [i, bytes] of scans.entries()) {
        await storeDocument(ctx, trx, { loanId: l.loan.id, borrowerId: b.id, docType: 'other', fileName: `扫描件_${i + 1}.jpg`, base64: bytes.toString('base64') }, { allowed: ['jpeg'], maxBytes: 100 * 1024 * 1024, actor: 'sup' });
      }
    });
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    // Alternating rounds, so that neither side always meets a disk still busy with the other's writes.
    const copyMs: number[] = [];
    const exportMs: number[] = [];
    let r = { files: 0, bytes: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const copyDir = join(root, `copy-${round}`);
      mkdirSync(copyDir);
      let t = performance.now();
      for (const [i, bytes] of scans.entries()) copyTo(join(copyDir, `scan_${i}.jpg`), bytes);
      copyMs.push(performance.now() - t);
      rmSync(copyDir, { recursive: true, force: true });
      const usb = join(root, `usb-${round}`);
      mkdirSync(usb);
      t = performance.now();
      r = await exportArchive(ctx, { loanIds: [l.loan.id], targetDir: usb, password: 'Export-Pw-2026' });
      exportMs.push(performance.now() - t);
      rmSync(usb, { recursive: true, force: true });
    }
    // What the package format costs by itself: WinZip AES-256 + HMAC-SHA1 of the same bytes in memory, one core.
    const inline = new StreamSealer('Export-Pw-2026', false);
    const t0 = performance.now();
    for (const bytes of scans) await inline.push([Buffer.from(bytes)]);
    await inline.mac();
    const sealMs = performance.now() - t0;
    const mb = files * FILE_MB;
    const copy = median(copyMs);
    const exp = median(exportMs);
    const ratio = copy / exp;
    const secs = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(' / ');
    console.log(`archive: export of ${mb} MB of scans (${r.files} files, package ${(r.bytes / 1048576).toFixed(0)} MB), ${ROUNDS} alternating rounds, medians`);
    console.log(`  plain copy of the same bytes, fsynced: ${(copy / 1000).toFixed(2)} s (${(mb / (copy / 1000)).toFixed(0)} MB/s)  rounds ${secs(copyMs)} s`);
    console.log(`  encrypted export from the store:       ${(exp / 1000).toFixed(2)} s (${(mb / (exp / 1000)).toFixed(0)} MB/s)  rounds ${secs(exportMs)} s`);
    console.log(`  for reference, WinZip AES of the bytes in memory on one core: ${(sealMs / 1000).toFixed(2)} s (${(mb / (sealMs / 1000)).toFixed(0)} MB/s)`);
    console.log(`  throughput ratio export/copy = ${ratio.toFixed(2)} (target ≥ 0.50) ${ratio >= 0.5 ? 'OK' : 'UNDER TARGET'}`);
    writeFileSync(join(root, 'done'), '');
  } finally {
    ctx.close();
    rmSync(root, { recursive: true, force: true });
  }
}
