import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cmdBackup, cmdCheck, cmdDemo, cmdExportArchive, cmdInit, cmdLoans, cmdMoveToServer, cmdReanchorAudit, cmdRender, cmdRestore, cmdVerifyBackup, cmdVerifyExport, authenticated } from '../../src/main/cli/commands';
import { newEnv, type TestEnv } from '../helpers/context';
import { cmdQuote } from '../../src/main/cli/quote';
import { joinDetails, startPgServer, type PgServer } from '../support/pgServer';

/**
 * `move-to-server` from the command line: a data folder with demo data (borrowers, loans, repayments, document
 * files, staff) moved onto an empty branch database and verified, the folder unchanged and the database password
 * never printed; then `check`, `loans`, `export-archive`, `backup`, `verify-backup`, `restore` and `init` with `--database`, and a folder-only command refused plainly.
 */

vi.setConfig({ testTimeout: 240_000 });

let server: PgServer;
let env: TestEnv;
let bare: string;
let dbPassword: string;

function capture() {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
  return out;
}

function folderHashes(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, folderHashes(p, base));
    else if (!name.endsWith('-shm')) out[p.slice(base.length)] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

beforeAll(async () => {
  server = await startPgServer();
  ({ url: bare, dbPassword } = joinDetails(server.url));
  env = newEnv();
}, 120_000);

afterEach(() => vi.restoreAllMocks());

afterAll(() => {
  env?.cleanup();
  server?.stop();
  delete process.env.PGPASSWORD;
});

describe('CLI move-to-server and --database', () => {
  it('moves a data folder onto the server, verified, and the same commands then run on the server', async () => {
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, 'Cli-admin-pass-2026\n');
    const wrong = join(env.root, 'wrong.txt');
    writeFileSync(wrong, 'Not-the-password-1\n');
    const dataDir = join(env.root, 'store');
    capture();
    await cmdInit({ 'data-dir': dataDir, institution: '测试小贷', admin: 'admin', 'password-file': pw });
    await cmdDemo({ 'data-dir': dataDir, user: 'admin', 'password-file': pw, borrowers: '3' });
    const local = { 'data-dir': dataDir, user: 'admin', 'password-file': pw };
    let out = capture();
    await cmdLoans({ ...local, user: 'supervisor1', json: true });
    const localLoans = JSON.parse(out.join('')) as { contractNo: string; balanceFen: number }[];
    expect(localLoans.length).toBeGreaterThan(0);

    // A wrong password and an officer are refused before anything reaches the server.
    await expect(cmdMoveToServer({ ...local, 'password-file': wrong, database: server.url })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(cmdMoveToServer({ ...local, user: 'officer1', database: server.url })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('officer1') });

    const before = folderHashes(dataDir);
    out = capture();
    await cmdMoveToServer({ ...local, database: server.url });
    const text = out.join('');
    expect(text).toMatch(/已迁移到 127\.0\.0\.1:\d+\/loankeeper：\d+ 张表/);
    expect(text).toMatch(/核验通过 \(verified\)[\s\S]*OK/);
    expect(text).toContain('documents');
    expect(text).not.toContain(dbPassword);
    expect(folderHashes(dataDir)).toEqual(before);

    // Onto the now non-empty database: refused, nothing changed.
    await expect(cmdMoveToServer({ ...local, database: server.url })).rejects.toMatchObject({ code: 'CONFLICT' });

    // --database with the password from PGPASSWORD: check and loans as the moved users.
    process.env.PGPASSWORD = dbPassword;
    const remote = { database: bare, user: 'admin', 'password-file': pw };
    out = capture();
    await cmdCheck(remote);
    expect(out.join('')).toMatch(/OK +审计哈希链 audit chain: \d+ 条/);
    expect(out.join('')).toMatch(/OK +档案文件 document files: [1-9]\d* 个，均与 SHA-256 一致/);
    out = capture();
    await cmdLoans({ ...remote, user: 'supervisor1', json: true });
    const serverLoans = JSON.parse(out.join('')) as { contractNo: string; balanceFen: number }[];
    expect(serverLoans.map((l) => [l.contractNo, l.balanceFen])).toEqual(localLoans.map((l) => [l.contractNo, l.balanceFen]));
    // The same early-settlement quote from the server as from the folder.
    const quoteFlags = { user: 'supervisor1', loan: serverLoans[0].contractNo, date: '2026-12-20', json: true };
    out = capture();
    await cmdQuote({ ...remote, ...quoteFlags });
    const serverQuote = out.join('');
    out = capture();
    await cmdQuote({ ...local, ...quoteFlags });
    expect(JSON.parse(serverQuote)).toEqual(JSON.parse(out.join('')));
    const card = join(env.root, 'card.pdf');
    out = capture();
    await cmdRender({ ...remote, user: 'supervisor1', doc: 'card', loan: serverLoans[0].contractNo, out: card });
    expect(readFileSync(card).subarray(0, 5).toString()).toBe('%PDF-');
    // The archive export from the server's sealed documents: a package our verify accepts.
    const exportPw = join(env.root, 'export-pw.txt');
    writeFileSync(exportPw, 'Export-pass-2026!\n');
    const pkg = join(env.root, 'x.zip');
    out = capture();
    await cmdExportArchive({ ...remote, user: 'archivist1', loans: serverLoans[0].contractNo, to: pkg, 'export-password-file': exportPw });
    expect(out.join('')).toContain(`已导出 ${pkg}`);
    out = capture();
    await cmdVerifyExport({ file: pkg, 'password-file': exportPw });
    expect(out.join('')).toContain('核验通过');
    await expect(cmdLoans({ ...remote, 'password-file': wrong })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // backup --database: pg_dump sealed with the branch's key, restored into a scratch database and compared.
    const backupFile = join(env.root, 'server.lkbackup');
    await expect(cmdBackup({ ...remote, user: 'supervisor1', to: backupFile })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    out = capture();
    await cmdBackup({ ...remote, to: backupFile });
    expect(out.join('')).toContain(`已备份到 ${backupFile}`);
    expect(out.join('')).toMatch(/核验通过 \(verified\)：\d+ 张表，[1-9]\d* 行，档案文件 [1-9]\d* 个/);
    expect(out.join('')).not.toContain(dbPassword);
    // Sealed: nothing of the dump, or of a borrower, reads in clear.
    const sealed = readFileSync(backupFile);
    expect(sealed.includes('PGDMP')).toBe(false);
    expect(sealed.includes(Buffer.from(serverLoans[0].contractNo))).toBe(false);
    await expect(cmdBackup({ ...remote, to: backupFile })).rejects.toMatchObject({ code: 'CONFLICT' });
    // verify-backup --database reads it through with the branch's key; a copy with one byte changed is refused.
    out = capture();
    await cmdVerifyBackup({ ...remote, user: 'supervisor1', file: backupFile });
    expect(out.join('')).toMatch(/借款人 [1-9]\d*，贷款 [1-9]\d*，档案文件 [1-9]\d*/);
    expect(out.join('')).toContain('核验通过');
    const altered = join(env.root, 'altered.lkbackup');
    const bytes = readFileSync(backupFile);
    bytes[Math.floor(bytes.length / 2)] ^= 1;
    writeFileSync(altered, bytes);
    out = capture();
    await expect(cmdVerifyBackup({ ...remote, user: 'supervisor1', file: altered })).rejects.toThrow(/核验未通过/);
    // restore --database: an altered copy and a supervisor are refused; the backup then replaces a later change,
    // and the server as it was is kept, verified, in the folder given.
    const contract = serverLoans[0].contractNo;
    const purposeOf = async () => {
      const c = await authenticated({ ...remote });
      try {
        return (await c.store!.db.selectFrom('loans').select('purpose').where('contract_no', '=', contract).executeTakeFirstOrThrow()).purpose;
      } finally {
        c.close();
      }
    };
    const original = await purposeOf();
    const later = await authenticated({ ...remote });
    await later.store!.db.updateTable('loans').set({ purpose: '备份之后的改动' }).where('contract_no', '=', contract).execute();
    later.close();
    expect(await purposeOf()).toBe('备份之后的改动');
    const safetyDir = join(env.root, 'safety');
    mkdirSync(safetyDir);
    capture();
    await expect(cmdRestore({ ...remote, file: altered, 'safety-dir': safetyDir })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(cmdRestore({ ...remote, user: 'supervisor1', file: backupFile, 'safety-dir': safetyDir })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(readdirSync(safetyDir)).toEqual([]);
    out = capture();
    await cmdRestore({ ...remote, file: backupFile, 'safety-dir': safetyDir });
    expect(out.join('')).toMatch(/已从 .* 恢复到服务器 127\.0\.0\.1:\d+\/loankeeper/);
    expect(out.join('')).not.toContain(dbPassword);
    expect(await purposeOf()).toBe(original);
    const [kept] = readdirSync(safetyDir);
    expect(kept).toMatch(/\.lkbackup$/);
    out = capture();
    await cmdVerifyBackup({ ...remote, file: join(safetyDir, kept) });
    expect(out.join('')).toContain('核验通过');
    // check --backup --database: the backup restored is on the live chain; the server as it was before the restore
    // (the safety copy) is not any more; a copy altered anywhere says so. Each is a line; any FAIL fails the check.
    out = capture();
    await cmdCheck({ ...remote, backup: backupFile });
    expect(out.join('')).toMatch(/^OK {2}.*server\.lkbackup/m);
    out = capture();
    await expect(cmdCheck({ ...remote, backup: `${backupFile},${join(safetyDir, kept)}` })).rejects.toThrow(/检查未通过/);
    expect(out.join('')).toMatch(/^OK {2}.*server\.lkbackup/m);
    expect(out.join('')).toMatch(/^FAIL .*(记录比备份|不一致).*\.lkbackup/m);
    out = capture();
    await expect(cmdCheck({ ...remote, backup: altered })).rejects.toThrow(/检查未通过/);
    expect(out.join('')).toMatch(/^FAIL .*altered\.lkbackup.*已被改动/m);
    // demo --database: only into an empty portfolio.
    await expect(cmdDemo({ ...remote, borrowers: '5' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(cmdCheck({ ...remote, 'data-dir': dataDir })).rejects.toThrow(/either --data-dir or --database/);
  });

  it('init --database sets a branch up on an empty database', async () => {
    const admin = new pg.Client({ connectionString: server.url.replace(/\/loankeeper$/, '/postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE second');
    await admin.end();
    const pw = join(env.root, 'pw2.txt');
    writeFileSync(pw, 'Cli-admin-pass-2026\n');
    const second = server.url.replace(/\/loankeeper$/, '/second');
    const out = capture();
    await cmdInit({ database: second, institution: '第二家小贷', admin: 'boss', 'password-file': pw });
    expect(out.join('')).toMatch(/已在服务器 127\.0\.0\.1:\d+\/second 创建机构/);
    expect(out.join('')).not.toContain(dbPassword);
    const check = capture();
    await cmdCheck({ database: second, user: 'boss', 'password-file': pw });
    expect(check.join('')).toMatch(/OK +审计哈希链 audit chain: [1-9]\d* 条/);
  });

  it('--head-dir: check holds the server against the head one PC keeps, and reanchor-audit moves that head on, recorded', async () => {
    const admin = new pg.Client({ connectionString: server.url.replace(/\/loankeeper$/, '/postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE third');
    await admin.end();
    const pw = join(env.root, 'pw3.txt');
    writeFileSync(pw, 'Cli-admin-pass-2026\n');
    const third = server.url.replace(/\/loankeeper$/, '/third');
    capture();
    await cmdInit({ database: third, institution: '第三家小贷', admin: 'boss', 'password-file': pw });
    // The PC's app folder holds its settings (the server's address and the OS-protected database password) too:
    // the command reads and writes only the witness there.
    const pc = join(env.root, 'pc-app-folder');
    mkdirSync(pc);
    const pcConfig = JSON.stringify({ dataDir: null, locale: 'zh-CN', server: { url: 'postgresql://lk@srv:5432/branch', ca: null, secret: 'c2VjcmV0', institution: '第三家小贷', branch: '' } });
    writeFileSync(join(pc, 'config.json'), pcConfig);
    const flags = { database: third, user: 'boss', 'password-file': pw, 'head-dir': pc };
    await cmdCheck(flags);
    expect(readdirSync(pc).filter((f) => f.startsWith('branch-audit-head-'))).toHaveLength(1);
    expect(readdirSync(pc).sort()).toEqual(['config.json', readdirSync(pc).find((f) => f.startsWith('branch-audit-head-'))].sort());
    // Someone with the server's own rights cuts the newest entries off (triggers off for their session).
    const owner = new pg.Client({ connectionString: third });
    await owner.connect();
    await owner.query(`SET session_replication_role = replica`);
    const { rows } = await owner.query<{ n: string }>(`WITH gone AS (DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log) RETURNING 1) SELECT count(*) AS n FROM gone`);
    await owner.end();
    expect(Number(rows[0].n)).toBe(2);
    // Without the PC's head the server's chain looks whole; with it the cut shows.
    let out = capture();
    await cmdCheck({ database: third, user: 'boss', 'password-file': pw });
    expect(out.join('')).toMatch(/^OK +审计哈希链/m);
    expect(out.join('')).toMatch(/未指定 --head-dir：只校验了服务器上的链本身/);
    out = capture();
    await expect(cmdCheck(flags)).rejects.toThrow(/检查未通过/);
    // Worded for what the head outside is on the server: what this PC saw there, not a keyring.
    expect(out.join('')).toMatch(/^FAIL 审计哈希链 audit chain: .*服务器上的第 \d+ 条与本机上次看到的链头不一致：审计链被重写/m);
    expect(out.join('')).toMatch(/本机见证的链头（本机上次在服务器上看到的）：共 \d+ 条/);
    expect(out.join('')).not.toMatch(/密钥环/);
    // An administrator who knows why (here: accepts it) re-anchors that PC's head; the chain records it.
    await expect(cmdReanchorAudit({ database: third, user: 'boss', 'password-file': pw, reason: '测试' })).rejects.toThrow(/--head-dir/);
    out = capture();
    await cmdReanchorAudit({ ...flags, reason: '核对后确认：服务器记录被截断，已报告' });
    expect(out.join('')).toMatch(/已重新确认审计链头/);
    out = capture();
    await cmdCheck(flags);
    expect(out.join('')).toMatch(/^OK +审计哈希链/m);
    expect(readFileSync(join(pc, 'config.json'), 'utf8')).toBe(pcConfig);
    const c = await authenticated({ database: third, user: 'boss', 'password-file': pw });
    try {
      const entries = await c.store!.db.selectFrom('audit_log').select(['reason', 'detail']).where('action', '=', 'audit.reanchor').execute();
      expect(entries).toHaveLength(1);
      expect(entries[0].reason).toBe('核对后确认：服务器记录被截断，已报告');
      // The head it replaced is in the entry: the cut stays on record.
      expect(JSON.parse(entries[0].detail)).toMatchObject({ previous: { count: expect.any(Number) }, witness: 'this PC' });
    } finally {
      c.close();
    }
  });
});
