import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapKey } from '../../src/main/db/keyring';
import { BACKUP_KEEP_DEFAULT } from '../../src/shared/ipc/backups';
import { walkChainOf } from '../../src/main/db/auditLog';
import { readBranchFacts } from '../../src/main/db/pg/backup';
import { DumpWriter, readDump, readDumpHeader, type DumpHeader } from '../../src/main/db/pg/dumpFile';
import { signHead } from '../../src/main/db/auditChain';
import { restoreToScratch } from '../../src/main/features/backups/branch';
import { findPgTools } from '../../src/main/db/pg/tools';
import { autoBackupAfterSignIn, backupNow, backupOnQuit, backupSettings, backupStatus, listBackups, saveBackupSettings, settleBackups } from '../../src/main/features/backups/backups';
import { inspectBackup, restoreSettled, restoreStatus, startRestore } from '../../src/main/features/backups/restore';
import { loanLedger } from '../../src/main/features/repayments/ledger';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { openBranchStore } from '../../src/main/kernel/branchStore';
import { advanceWitness, witnessHead } from '../../src/main/kernel/branchWitness';
import { verifyAuditChain } from '../../src/main/kernel/audit';
import { AppContext } from '../../src/main/kernel/context';
import type { BranchStore } from '../../src/main/kernel/store';
import { FakeClock } from '../helpers/context';
import { actAs, borrower, loan } from '../helpers/portfolio';
import { startPgServer, type PgServer } from '../support/pgServer';

/**
 * Backups of the branch server: pg_dump sealed on the desktop, verified by a restore into a scratch database, and
 * restored over a damaged database with everything (counts, the ledger, documents, the audit chain) as before.
 * One PostgreSQL cluster for the file; the sessions are set by `actAs` (signing in on the server is not built yet).
 */

const NAME = '欧阳明远';
const PASSWORD = 'Admin-Passw0rd!';
let server: PgServer;
let root: string;
let dataKey: Buffer;
let ctx: AppContext;
let loanId: number;
let idNumber: string;
const clock = new FakeClock();
const opened: BranchStore[] = [];

async function pc(url = server.url): Promise<AppContext> {
  const store = await openBranchStore({ url }, dataKey);
  opened.push(store);
  const c = new AppContext({ configDir: mkdtempSync(join(root, 'pc-')), defaultDataDir: join(root, 'unused'), resourcesDir: resolve('resources') }, clock);
  c.store = store;
  return c;
}

const branch = (c: AppContext) => c.store as BranchStore;

/** What must come back after a restore. */
async function state(c: AppContext) {
  const store = branch(c);
  const facts = await store.db
    .transaction()
    .setAccessMode('read only')
    .execute((trx) => readBranchFacts(trx));
  const chain = await walkChainOf(store.db, store.auditKey);
  const audit = await store.db.selectFrom('audit_log').select(['id', 'action', 'hash']).orderBy('id').execute();
  await actAs(c, 'officer1');
  const ledger = await loanLedger(c, { loanId });
  await actAs(c, 'admin1');
  return { facts, chain, audit, ledger: ledger.entries };
}

async function settled(c: AppContext, jobId: string) {
  await restoreSettled(c);
  return restoreStatus(c, { jobId });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lk-branch-backup-'));
  server = await startPgServer();
  dataKey = randomBytes(32);
  ctx = await pc();
  const now = clock.now().toISOString();
  const db = branch(ctx).db;
  for (const [username, roles] of [
    ['admin1', ['admin']],
    ['officer1', ['officer']],
  ] as const) {
    await db.insertInto('users').values({ username, display_name: username, roles: JSON.stringify(roles), disabled: 0, must_change_password: 0, created_at: now, updated_at: now }).execute();
  }
  await db.insertInto('key_wraps').values({ username: 'admin1', wrap: JSON.stringify(wrapKey(dataKey, PASSWORD)) }).execute();
  await actAs(ctx, 'officer1');
  const b = await borrower(ctx, NAME, '11010519800101123');
  idNumber = b.idNumber;
  const l = await loan(ctx, b.id);
  loanId = l.loan.id;
  await createRepayment(ctx, { loanId, paidOn: '2026-02-15', amountFen: 1_120_000, note: '第一期' });
  // A document as the desktop stores it on the server: its bytes sealed (here random), its plain hash beside them.
  const plain = Buffer.from('借款合同 contract bytes');
  await db
    .insertInto('documents')
    .values({ loan_id: loanId, borrower_id: null, doc_type: 'contract', file_name: '借款合同.pdf', mime: 'application/pdf', size: plain.length, sha256: createHash('sha256').update(plain).digest('hex'), content: randomBytes(4096), file_ref: null, crc32: null, replaces_id: null, removed_at: null, removed_by: null, removed_reason: null, created_by: 'officer1', created_at: now })
    .execute();
  await actAs(ctx, 'admin1');
}, 180_000);

afterAll(async () => {
  // Closed as the app closes them: each pool goes once its witness has caught up, before the server stops.
  await Promise.all(opened.map((s) => s.settled()));
  for (const s of opened) s.close();
  await new Promise((r) => setTimeout(r, 300));
  server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('backups of the branch server', () => {
  let file: string;
  let before: Awaited<ReturnType<typeof state>>;

  it('writes a sealed pg_dump with no personal data in clear, verified by a restore into a scratch database', async () => {
    before = await state(ctx);
    expect(before.chain.problem).toBeNull();
    expect(before.facts.documents).toHaveLength(1);
    const out = join(root, 'usb');
    mkdirSync(out);
    const made = await backupNow(ctx, { dir: out });
    expect(made.reason).toBeNull();
    expect(made.status).toBe('verified');
    expect(made.documents).toBe(1);
    expect(made.rows).toBe(Object.values(before.facts.tables).reduce((a, b) => a + b, 0));
    file = made.file;

    const bytes = readFileSync(file);
    for (const secret of [NAME, idNumber, '13800000000', '北京市朝阳区建国路1号']) expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    // The same archive, decrypted and turned into SQL by pg_restore, does hold them: the file hides real data.
    const parts: Buffer[] = [];
    for await (const part of readDump(file, dataKey)) parts.push(part);
    const archive = Buffer.concat(parts);
    const tools = findPgTools(server.version, null);
    if (!tools.ok) throw new Error('pg_restore not found');
    const script = spawnSync(tools.tools.pgRestore, ['-f', '-'], { input: archive, maxBuffer: 64 << 20 });
    expect(script.status).toBe(0);
    expect(script.stdout.includes(Buffer.from(NAME, 'utf8'))).toBe(true);
    expect(script.stdout.includes(Buffer.from(idNumber, 'utf8'))).toBe(true);

    const list = await listBackups(ctx);
    expect(list[0]).toMatchObject({ file, status: 'verified', trigger: 'manual', documents: 1 });
    // The home page's status: the newest verified backup, and the page shows no automatic backups for the server.
    expect(await backupStatus(ctx)).toMatchObject({ lastVerified: { id: made.id }, warn: false, lastFailure: null, autoDir: '', onServer: true });
    // No scratch database is left behind.
    const dbs = await sql<{ datname: string }>`SELECT datname FROM pg_database WHERE datname LIKE 'lk_verify_%'`.execute(branch(ctx).db);
    expect(dbs.rows).toEqual([]);
    const inspected = await inspectBackup(ctx, { file, recoveryKey: '' });
    expect(inspected).toMatchObject({ ok: true, counts: { borrowers: 1, loans: 1, documents: 1, users: 2, auditEntries: before.chain.count } });
  }, 180_000);

  it('refuses the restore while another PC is connected, and changes nothing', async () => {
    // Another PC at work: it holds a connection to the branch database throughout.
    const other = await pc();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holding = branch(other).db.connection().execute(async (c) => {
      await sql`SELECT 1`.execute(c);
      await held;
    });
    const job = await startRestore(ctx, { file, recoveryKey: '', username: 'admin1', password: PASSWORD });
    const end = await settled(ctx, job.id);
    release();
    await holding;
    expect(end.state).toBe('failed');
    expect(end.error).toContain('其他电脑');
    other.store!.close();
    // This PC, signed out for the swap, is back on the database as it was, with its session.
    expect(ctx.store).not.toBeNull();
    opened.push(branch(ctx));
    expect(ctx.session?.username).toBe('admin1');
    const now = await state(ctx);
    expect(now.facts.tables.borrowers).toBe(1);
    expect(now.ledger).toEqual(before.ledger);
    const dbs = await sql<{ datname: string }>`SELECT datname FROM pg_database WHERE datname LIKE 'lk_%'`.execute(branch(ctx).db);
    expect(dbs.rows).toEqual([]);
  }, 180_000);

  it('restores a damaged database: counts, the ledger, the documents and the audit chain are as before', async () => {
    // Another PC saw the chain as it is now, past the backup: the restore will take back entries it witnessed.
    const witnessFile = join(root, 'other-pc-head.json');
    const now = () => clock.now();
    const seen = await openBranchStore({ url: server.url }, dataKey, witnessFile, now);
    await advanceWitness(seen.db, seen.auditKey, seen.witness!);
    const seenHead = seen.witness!.read()!;
    expect(seenHead.count).toBeGreaterThan(before.chain.count);
    expect(seenHead.seenAt).toBe(clock.now().toISOString());
    seen.close();
    clock.advance(60_000);
    await sql`TRUNCATE repayments, documents CASCADE`.execute(branch(ctx).db);
    const damaged = await state(ctx);
    expect(damaged.facts.documents).toHaveLength(0);
    expect(damaged.ledger).not.toEqual(before.ledger);

    const job = await startRestore(ctx, { file, recoveryKey: '', username: 'admin1', password: PASSWORD });
    const end = await settled(ctx, job.id);
    expect(end.error).toBeNull();
    expect(end.state).toBe('done');
    expect(end.safetyCopy).toMatch(/before-restore-/);
    expect(ctx.store).toBeNull();

    ctx = await pc();
    await actAs(ctx, 'admin1');
    const after = await state(ctx);
    const without = (t: Record<string, number>) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'backups' && k !== 'audit_log'));
    expect(without(after.facts.tables)).toEqual(without(before.facts.tables));
    expect(after.facts.documents).toEqual(before.facts.documents);
    expect(after.ledger).toEqual(before.ledger);
    // The chain is the backup's, whole, plus the restore's own entry.
    expect(after.chain.problem).toBeNull();
    expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
    expect(after.audit.slice(before.audit.length).map((a) => a.action)).toEqual(['maintenance.restore']);
    // The restore names the head it replaced; the other PC's witness, seen before the restore and no further, is
    // told why its entries are gone instead of raising tampering, and moves on.
    const entry = await branch(ctx).db.selectFrom('audit_log').select(['at', 'detail']).where('action', '=', 'maintenance.restore').executeTakeFirstOrThrow();
    const replaced = (JSON.parse(entry.detail!) as { replaced: { count: number } }).replaced;
    expect(replaced.count).toBeGreaterThanOrEqual(seenHead.count);
    clock.advance(60_000);
    const back = await openBranchStore({ url: server.url }, dataKey, witnessFile, now);
    opened.push(back);
    expect(await verifyAuditChain(back)).toMatchObject({ ok: true, problem: null });
    await advanceWitness(back.db, back.auditKey, back.witness!);
    expect(back.witness!.read()).toMatchObject({ count: after.chain.count, hash: after.chain.head!.hash });
    // Not excused: a head this PC saw after the restore that is no longer there (entries cut since), whatever its
    // position; one without a signed time; one further along than the replaced head. Excused: the same lost head
    // seen before the restore.
    const lost = { count: replaced.count - 1, id: 999_999, hash: 'f'.repeat(64) };
    const before1 = new Date(Date.parse(entry.at) - 1000).toISOString();
    const witnessOf = async (name: string, head: object) => {
      const file = join(root, name);
      writeFileSync(file, JSON.stringify(head));
      const store = await openBranchStore({ url: server.url }, dataKey, file, now);
      opened.push(store);
      return verifyAuditChain(store);
    };
    expect(await witnessOf('seen-after.json', witnessHead(back.auditKey, lost, clock.now().toISOString()))).toMatchObject({ ok: false });
    expect(await witnessOf('unsigned-time.json', signHead(back.auditKey, lost))).toMatchObject({ ok: false });
    expect(await witnessOf('forged-time.json', { ...witnessHead(back.auditKey, lost, clock.now().toISOString()), seenAt: before1 })).toMatchObject({ ok: false });
    expect(await witnessOf('further.json', witnessHead(back.auditKey, { ...lost, count: replaced.count + 1 }, before1))).toMatchObject({ ok: false, problem: 'headAhead' });
    expect(await witnessOf('seen-before.json', witnessHead(back.auditKey, lost, before1))).toMatchObject({ ok: true, problem: null });
    // The list of backups carried over: the backup itself and the one made before the restore.
    const list = await listBackups(ctx);
    expect(list.map((b) => b.trigger).sort()).toEqual(['before-restore', 'before-restore', 'manual']);
    expect(list.find((b) => b.trigger === 'manual')!.status).toBe('verified');
    const dbs = await sql<{ datname: string }>`SELECT datname FROM pg_database WHERE datname LIKE 'lk_%'`.execute(branch(ctx).db);
    expect(dbs.rows).toEqual([]);
  }, 240_000);

  it('refuses a tampered backup and another branch’s backup with clear messages', async () => {
    const tampered = join(root, 'tampered.lkbackup');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(tampered, bytes);
    const seen = await inspectBackup(ctx, { file: tampered, recoveryKey: '' });
    expect(seen.ok).toBe(false);
    expect(seen.reason).toContain('损坏');
    let job = await startRestore(ctx, { file: tampered, recoveryKey: '', username: 'admin1', password: PASSWORD });
    let end = await settled(ctx, job.id);
    expect(end.state).toBe('failed');
    expect(end.error).toContain('损坏');
    expect(ctx.store).not.toBeNull();

    // Sealed under another branch's data key.
    const foreign = join(root, 'other-branch.lkbackup');
    const fd = openSync(foreign, 'w');
    const header: DumpHeader = { format: 'loankeeper-branch-backup', version: 1, serverVersion: '15', database: 'x', madeAt: clock.now().toISOString(), madeBy: 'admin', head: null, latestEntryAt: null, institution: null, branch: null, tables: {}, documents: [] };
    const w = new DumpWriter(fd, randomBytes(32), header);
    w.write(Buffer.from('PGDMP'));
    w.finish();
    closeSync(fd);
    ctx.config.locale = 'en';
    job = await startRestore(ctx, { file: foreign, recoveryKey: '', username: 'admin1', password: PASSWORD });
    end = await settled(ctx, job.id);
    expect(end.state).toBe('failed');
    expect(end.error).toContain('another branch');
    expect((await inspectBackup(ctx, { file: foreign, recoveryKey: '' })).reason).toContain('another branch');
    // Sealed with the right key but a header that does not match the archive: the restore into a scratch database
    // and the comparison find it (a row count; an audit head that is signed but not the chain's).
    const parts: Buffer[] = [];
    for await (const part of readDump(file, dataKey)) parts.push(part);
    const real = readDumpHeader(file, dataKey);
    const forge = (name: string, h: DumpHeader) => {
      const f = join(root, name);
      const out = openSync(f, 'w');
      const fw = new DumpWriter(out, dataKey, h);
      fw.write(Buffer.concat(parts));
      fw.finish();
      closeSync(out);
      return f;
    };
    const store = branch(ctx);
    const counted = await restoreToScratch(ctx, store, forge('counted.lkbackup', { ...real, tables: { ...real.tables, borrowers: 2 } }));
    expect(counted.problem).toEqual({ key: 'backups.problems.tableCount', params: { table: 'borrowers', store: 2, backup: 1 } });
    const altered = await restoreToScratch(ctx, store, forge('altered.lkbackup', { ...real, documents: [{ ...real.documents[0], sha256: '0'.repeat(64) }] }));
    expect(altered.problem).toEqual({ key: 'backups.problems.pgDocumentDiffers', params: { name: '借款合同.pdf' } });
    const otherHead = signHead(store.auditKey, { ...real.head!, hash: 'f'.repeat(64) });
    const headed = await restoreToScratch(ctx, store, forge('headed.lkbackup', { ...real, head: otherHead }));
    expect(headed.problem?.key).toBe('backups.problems.auditBroken');
    const unsigned = await restoreToScratch(ctx, store, forge('unsigned.lkbackup', { ...real, head: { ...real.head!, mac: '0'.repeat(64) } }));
    expect(unsigned.problem?.key).toBe('backups.problems.auditBroken');
    expect(await restoreToScratch(ctx, store, forge('same.lkbackup', real))).toMatchObject({ problem: null, scratch: null });
    const dbs = await sql<{ datname: string }>`SELECT datname FROM pg_database WHERE datname LIKE 'lk_%'`.execute(store.db);
    expect(dbs.rows).toEqual([]);
    // A wrong password is refused before anything starts.
    await expect(startRestore(ctx, { file, recoveryKey: '', username: 'admin1', password: 'wrong-password-1' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    ctx.config.locale = 'zh-CN';
  }, 120_000);

  it('says clearly when pg_dump is missing or older than the server', async () => {
    const out = join(root, 'usb2');
    mkdirSync(out);
    ctx.config.pgBinDir = join(root, 'no-postgres-here');
    await expect(backupNow(ctx, { dir: out })).rejects.toMatchObject({ code: 'IO', message: expect.stringContaining('未找到 PostgreSQL 的 pg_dump') });
    ctx.config.locale = 'en';
    await expect(backupNow(ctx, { dir: out })).rejects.toMatchObject({ message: expect.stringContaining('pg_dump and pg_restore were not found') });
    const old = join(root, 'old-bin');
    mkdirSync(old);
    for (const tool of ['pg_dump', 'pg_restore']) {
      writeFileSync(join(old, tool), '#!/bin/sh\necho "' + tool + ' (PostgreSQL) 9.6.24"\n');
      chmodSync(join(old, tool), 0o755);
    }
    ctx.config.pgBinDir = old;
    await expect(backupNow(ctx, { dir: out })).rejects.toMatchObject({ message: expect.stringContaining(`version 9, older than the branch server (version ${server.version})`) });
    ctx.config.locale = 'zh-CN';
    ctx.config.pgBinDir = null;
    const failed = (await listBackups(ctx)).filter((b) => b.status === 'failed' && b.stage === 'write');
    expect(failed.length).toBe(3);
    expect(failed[0].reason).toContain('9');
  }, 120_000);

  it('a database user without CREATEDB: the backup is written but recorded as not verified, saying why', async () => {
    const db = branch(ctx).db;
    await sql`CREATE ROLE clerk LOGIN PASSWORD 'Clerk-pass-1' NOCREATEDB`.execute(db);
    await sql`GRANT ALL ON ALL TABLES IN SCHEMA public TO clerk`.execute(db);
    await sql`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO clerk`.execute(db);
    const url = new URL(server.url);
    url.username = 'clerk';
    url.password = 'Clerk-pass-1';
    const c = await pc(url.toString());
    await actAs(c, 'admin1');
    const out = join(root, 'usb3');
    mkdirSync(out);
    const made = await backupNow(c, { dir: out });
    expect(made.status).toBe('failed');
    expect(made.stage).toBe('verify');
    expect(made.reason).toContain('CREATEDB');
    expect(made.documents).toBe(1);
    expect(existsSync(made.file)).toBe(true);
    expect((await backupStatus(c)).lastVerified?.id).not.toBe(made.id);
    // A restore needs the same privilege: refused, saying so, with nothing changed.
    const job = await startRestore(c, { file, recoveryKey: '', username: 'admin1', password: PASSWORD });
    const end = await settled(c, job.id);
    expect(end.state).toBe('failed');
    expect(end.error).toContain('CREATEDB');
    expect(c.store).not.toBeNull();
  }, 120_000);

  it('backs the server up automatically from a PC with a folder of its own: once a day for the branch, again on quit after a change', async () => {
    const auto = (dir: string) => readdirSync(dir).filter((n) => /^LoanKeeper-auto-.*\.lkbackup$/.test(n));
    const c = await pc();
    c.saveConfig({ server: { url: server.url, ca: null, secret: null, institution: '', branch: '' } });
    await actAs(c, 'admin1');
    const dir = mkdtempSync(join(root, 'auto-'));
    expect(await saveBackupSettings(c, { autoDir: dir, keep: 2 })).toEqual({ autoDir: dir, keep: 2 });
    // This PC's own, in its config.json; the server's trail says who set it.
    expect(JSON.parse(readFileSync(join(c.paths.configDir, 'config.json'), 'utf8')).server.backups).toEqual({ autoDir: dir, keep: 2 });
    expect(await backupSettings(c)).toEqual({ autoDir: dir, keep: 2 });
    expect((await backupStatus(c)).autoDir).toBe(dir);
    const audit = await branch(c).db.selectFrom('audit_log').select('detail').where('action', '=', 'backups.settings').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ after: { autoDir: dir, keep: 2 } });

    // Another PC, no folder set there: it makes none.
    const other = await pc();
    await actAs(other, 'admin1');
    expect(await backupSettings(other)).toEqual({ autoDir: '', keep: BACKUP_KEEP_DEFAULT });
    const rows = async () => (await listBackups(c)).filter((b) => b.trigger === 'signin' || b.trigger === 'quit');
    autoBackupAfterSignIn(other);
    await settleBackups(other);
    expect(await rows()).toEqual([]);

    // The first sign-in of the day at this PC: one, verified; the same day again: none.
    autoBackupAfterSignIn(c);
    await settleBackups(c);
    expect((await rows()).map((b) => [b.trigger, b.status])).toEqual([['signin', 'verified']]);
    expect(auto(dir)).toHaveLength(1);
    autoBackupAfterSignIn(c);
    await settleBackups(c);
    expect(auto(dir)).toHaveLength(1);
    // Closing with nothing changed: none; after a repayment: one more.
    await backupOnQuit(c);
    expect(auto(dir)).toHaveLength(1);
    await actAs(c, 'officer1');
    await createRepayment(c, { loanId, paidOn: '2026-03-15', amountFen: 100_000, note: '部分还款' });
    await actAs(c, 'admin1');
    await backupOnQuit(c);
    expect((await rows()).map((b) => [b.trigger, b.status]).sort()).toEqual([['quit', 'verified'], ['signin', 'verified']]);
    expect(auto(dir)).toHaveLength(2);
  }, 180_000);
});
