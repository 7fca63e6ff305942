import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { translate } from '../../src/shared/i18n';
import type { AppInfo } from '../../src/shared/ipc/app';
import type { KeysStatus } from '../../src/shared/ipc/keys';
import { headGenuine } from '../../src/main/db/auditChain';
import { fileKey, sealBytes, sealedKeyIndex, SEGMENT } from '../../src/main/db/fileStore';
import { otherClients } from '../../src/main/db/pg/backup';
import { dailyBatchSettled } from '../../src/main/jobs/dailyBatch';
import { monthEndsSettled } from '../../src/main/features/managementReports/snapshots';
import { openPostgres } from '../../src/main/db/pg/connect';
import { cmdBackup, cmdCheck, cmdRotateKeys } from '../../src/main/cli/commands';
import { verifyAuditChain } from '../../src/main/kernel/audit';
import { AppContext } from '../../src/main/kernel/context';
import type { BranchStore } from '../../src/main/kernel/store';
import { listAudit } from '../../src/main/features/audit/audit';
import { backupServerTo } from '../../src/main/features/backups/backups';
import { checkSealedDocuments } from '../../src/main/features/backups/moveToServer';
import { inspectBackup } from '../../src/main/features/backups/restore';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { branchRotationBatch, readBranchJournal } from '../../src/main/features/keys/branchRotation';
import { openNext } from '../../src/main/features/keys/rotationCommon';
import { keysStatus, rotationFaults, startRotation, waitForRotation } from '../../src/main/features/keys/rotation';
import { getDocument } from '../../src/main/features/reports/reports';
import { setUserDisabled } from '../../src/main/features/users/users';
import { ADMIN_PASSWORD, dispatcherFor, FakeClock } from '../helpers/context';
import { borrower, createStaff, loan, PASSWORDS } from '../helpers/portfolio';
import { startPgServer, type PgServer } from '../support/pgServer';

/**
 * Rotating the data key on the branch server, PCs as the app runs them (channels and services) on a throwaway
 * PostgreSQL cluster: refused while another PC is connected; afterwards every document is sealed under the new
 * key only, every active user signs in with their own password, the old recovery key and the old key open nothing,
 * the chain verifies across the rotation, a PC's witness signed under the old key is accepted, a PC that kept the
 * old key in memory cannot write, a backup from before still verifies, and the key history holds no old key in
 * clear. A crash after some batches is finished by the next administrator to sign in. `rotate-keys --database`.
 */

vi.setConfig({ testTimeout: 120_000 });

const t = (k: string, p?: Record<string, string | number>) => translate('zh-CN', k as never, p);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const SCAN = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from(`JFIF\0借据扫描-${n}`), randomBytes(n === 0 ? SEGMENT + 99 : 2000 + n)]);

let server: PgServer;
let root: string;
let baseUrl: URL;
let dbPassword: string;
const contexts: AppContext[] = [];
const clock = new FakeClock(Date.parse('2026-06-15T02:00:00Z'));

interface Pc {
  ctx: AppContext;
  call: <T>(channel: string, input: unknown) => Promise<T>;
}

function urlOf(database: string, withPassword = false): string {
  const u = new URL(baseUrl);
  u.pathname = `/${database}`;
  if (withPassword) u.password = encodeURIComponent(dbPassword);
  return u.toString();
}

function pc(name: string): Pc {
  const ctx = new AppContext({ configDir: join(root, name), defaultDataDir: join(root, `${name}-data`), resourcesDir: resolve('resources') }, clock);
  contexts.push(ctx);
  const d = dispatcherFor(ctx);
  const call = async <T,>(channel: string, input: unknown): Promise<T> => {
    const r = (await d(channel as never, input as never)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value;
  };
  return { ctx, call };
}

/** The server's owner, outside the app (not counted as one of the branch's PCs once destroyed). */
const owner = (database: string) => openPostgres({ url: urlOf(database, true) });

async function createDatabase(name: string): Promise<void> {
  const o = owner('postgres');
  try {
    await sql`CREATE DATABASE ${sql.id(name)}`.execute(o);
  } finally {
    await o.destroy();
  }
}

const storeOf = (p: Pc) => p.ctx.store as BranchStore;

/** Closes the app on a PC as a user would: signed out first, so that what a sign-in started finishes. */
async function closeApp(p: Pc): Promise<void> {
  const store = p.ctx.store;
  await dispatcherFor(p.ctx)('session.logout', {});
  if (store?.kind === 'branch') await store.settled();
  p.ctx.close();
}

/** Until the server sees no client of this database but `p`'s own (pools closing take a moment). */
async function waitAlone(p: Pc): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await otherClients(storeOf(p).db, storeOf(p).ownSessions())).length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`still connected: ${(await otherClients(storeOf(p).db, storeOf(p).ownSessions())).join(', ')}`);
}

/**
 * A PC signed in earlier, idle: its pool has let its connections go (as node-postgres does after ten idle seconds),
 * and it still holds the key it signed in with. Here its sessions are ended by the server's owner.
 */
async function goIdle(p: Pc, database: string): Promise<void> {
  const pids = storeOf(p).ownSessions();
  const o = owner(database);
  try {
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(${pids}::int[])`.execute(o);
  } finally {
    await o.destroy();
  }
  for (let i = 0; i < 100 && storeOf(p).ownSessions().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
}

/** A branch on a new database: the administrator's PC set up, the staff, an officer's PC with a loan and scans. */
async function branch(database: string) {
  await createDatabase(database);
  const admin = pc(`${database}-admin`);
  await admin.call('setup.createOnServer', { url: urlOf(database), dbPassword, ca: null, institution: '测试小额贷款有限公司', branch: '营业部', adminUsername: 'admin', adminName: '王管理', password: ADMIN_PASSWORD, locale: 'zh-CN' });
  await admin.call('setup.confirmRecoveryKey', { confirmed: true });
  const recoveryKey = (await admin.call<{ recoveryKey: string }>('keys.newRecoveryKey', { confirmed: true })).recoveryKey;
  await admin.call('keys.confirmRecoveryKey', { confirmed: true });
  await createStaff(admin.ctx);
  await setUserDisabled(admin.ctx, { username: 'officer2', disabled: true, reason: '离职' });
  // Files imported from another branch's package are sealed in their rows too.
  const store = storeOf(admin);
  const imported: Buffer[] = [SCAN(7), SCAN(8)];
  await store.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('imported_archives')
      .values({ file_name: 'pkg.zip', institution: '另一家', exported_at: '2026-01-01T00:00:00Z', exported_by: 'x', manifest: '{}', imported_by: 'admin', imported_at: clock.now().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const fk = fileKey(store.dataKey);
    for (const [i, bytes] of imported.entries()) {
      await trx
        .insertInto('imported_files')
        .values({ archive_id: id, path: `借据/扫描${i}.jpg`, sha256: sha(bytes), size: bytes.length, content: sealBytes(fk, bytes, `document:${sha(bytes)}`), file_ref: null })
        .execute();
    }
  });

  const officer = pc(`${database}-officer`);
  await officer.call('setup.joinServer', { url: urlOf(database), dbPassword, ca: null, locale: 'zh-CN' });
  await officer.call('session.login', { username: 'officer1', password: PASSWORDS.officer1 });
  const l = await loan(officer.ctx, (await borrower(officer.ctx, '张三')).id);
  const docs: { id: number; bytes: Buffer }[] = [];
  for (let i = 0; i < 5; i++) {
    const bytes = SCAN(i);
    const d = await addDocument(officer.ctx, { loanId: l.loan.id, docType: 'iou', fileName: `借据${i}.jpg`, base64: bytes.toString('base64') });
    docs.push({ id: d.id, bytes });
  }
  return { admin, officer, recoveryKey, docs, loanId: l.loan.id };
}

async function readAll(p: Pc, docs: { id: number; bytes: Buffer }[]): Promise<void> {
  for (const d of docs) {
    const got = await getDocument(p.ctx, { documentId: d.id });
    expect(sha(Buffer.from(got.base64, 'base64'))).toBe(sha(d.bytes));
  }
}

/** Every sealed row of the database: which of `keys` opens it (its first segment), by the server's owner. */
async function rowKeys(database: string, keys: Buffer[]): Promise<number[]> {
  const o = owner(database);
  try {
    const d = await sql<{ sha256: string; content: Buffer }>`SELECT sha256, content FROM documents UNION ALL SELECT sha256, content FROM imported_files`.execute(o);
    return d.rows.map((r) => sealedKeyIndex(r.content, `document:${r.sha256}`, keys.map(fileKey)));
  } finally {
    await o.destroy();
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lk-branch-rotation-'));
  server = await startPgServer();
  baseUrl = new URL(server.url);
  dbPassword = decodeURIComponent(baseUrl.password);
  baseUrl.password = '';
}, 120_000);

afterEach(() => {
  rotationFaults.at = null;
  branchRotationBatch.rows = 64;
});

afterAll(async () => {
  for (const c of contexts) {
    const store = c.store;
    // What a sign-in started in the background (the day's batch, month-end snapshots) ends before the store closes.
    await dailyBatchSettled(c).catch(() => undefined);
    await monthEndsSettled(c);
    if (store?.kind === 'branch') await store.settled().catch(() => undefined);
    c.close();
  }
  await new Promise((r) => setTimeout(r, 200));
  server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('rotating the data key on the branch server', () => {
  it('is refused while another PC is connected; afterwards everything is under the new key only, and a PC still holding the old one cannot write', async () => {
    const { admin, officer, recoveryKey, docs, loanId } = await branch('rot_main');
    const oldKey = Buffer.from(storeOf(admin).dataKey);
    const oldWitness = storeOf(officer).witness!.read();
    expect(oldWitness).not.toBeNull();
    // A backup made before the rotation, sealed with the old key.
    const backup = join(root, 'before-rotation.lkpg');
    expect((await backupServerTo(admin.ctx, backup)).status).toBe('verified');

    // Only an administrator rotates.
    await expect(officer.call('keys.rotate', { confirmed: true, resetLegacyUsers: false })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // The officer's PC is connected: refused, naming who, with nothing written.
    const refused = await admin.call('keys.rotate', { confirmed: true, resetLegacyUsers: false }).catch((e: { code: string; message: string }) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('LoanKeeper@') });
    expect((await keysStatus(admin.ctx)).rotation).toBeNull();

    // An archivist's PC, signed in before the rotation too.
    const archivist = pc('rot_main-archivist');
    await archivist.call('setup.joinServer', { url: urlOf('rot_main'), dbPassword, ca: null, locale: 'zh-CN' });
    await archivist.call('session.login', { username: 'archivist1', password: PASSWORDS.archivist1 });
    // What its sign-in started in the background ends first: going idle closes connections, not work under way.
    await dailyBatchSettled(archivist.ctx).catch(() => undefined);
    await monthEndsSettled(archivist.ctx);

    // The officer's and the archivist's PCs go idle (their connections closed), still signed in with the old key in memory.
    await goIdle(officer, 'rot_main');
    await goIdle(archivist, 'rot_main');
    await waitAlone(admin);
    await admin.call('keys.rotate', { confirmed: true, resetLegacyUsers: false });
    expect((await waitForRotation(admin.ctx))?.phase).toBe('done');
    expect((await admin.call<AppInfo>('app.info', {})).stage).toBe('rotation');
    const status = await admin.call<KeysStatus>('keys.status', {});
    expect(status).toMatchObject({ epoch: 1, rotation: { phase: 'confirm', total: 7 } });
    const newRecovery = status.pendingRecoveryKey!;
    expect(newRecovery).toMatch(/^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/);
    const newKey = Buffer.from(storeOf(admin).dataKey);
    expect(newKey.equals(oldKey)).toBe(false);

    // This PC's witness is still the one signed under the old key: accepted, not taken for tampering.
    const witness = storeOf(admin).witness!.read()!;
    expect(headGenuine(storeOf(admin).auditKey, witness)).toBe(false);
    expect(await verifyAuditChain(storeOf(admin))).toMatchObject({ ok: true, problem: null, outside: { count: witness.count } });
    await admin.call('keys.confirmRecoveryKey', { confirmed: true });
    expect((await admin.call<AppInfo>('app.info', {})).stage).toBe('ready');

    // The chain verifies across the rotation, with its entries.
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, problem: null });
    const actions = (await listAudit(admin.ctx, { limit: 20, offset: 0 })).entries.map((x) => x.action);
    expect(actions).toEqual(expect.arrayContaining(['keys.rotateStart', 'keys.rotate', 'keys.confirmRecoveryKey']));

    // The PC that kept the old key: its write is refused, saying why.
    await expect(borrower(officer.ctx, '李四', '11010519850505123')).rejects.toMatchObject({ code: 'CONFLICT', message: t('errors.branchKeyRotated') });
    // A scan it opens, re-sealed under the new key, is not called damaged: it is told the same.
    await expect(officer.call('documents.get', { documentId: docs[0]!.id })).rejects.toMatchObject({ code: 'CONFLICT', message: t('errors.branchKeyRotated') });
    // So is an export started there: its job fails saying why, not that the scans are damaged, and leaves no package.
    const target = mkdtempSync(join(root, 'stale-export-'));
    const started = await archivist.call<{ id: string }>('archive.export', { loanIds: [loanId], targetDir: target, password: 'Stale-key-export-2026' });
    let job: { state: string; error: string | null } = { state: 'running', error: null };
    for (let i = 0; i < 200 && job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await archivist.call('archive.exportStatus', { jobId: started.id });
    }
    expect(job).toMatchObject({ state: 'failed', error: t('errors.branchKeyRotated') });
    expect(readdirSync(target)).toEqual([]);

    // Every row under the new key alone; the old key opens none of them; all match their SHA-256.
    expect(await rowKeys('rot_main', [newKey, oldKey])).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(await rowKeys('rot_main', [oldKey])).toEqual([-1, -1, -1, -1, -1, -1, -1]);
    expect(await checkSealedDocuments(storeOf(admin))).toEqual({ checked: 7, bad: [] });

    // The key history in the database: sealed, no old key in clear (nor anywhere among the settings).
    const o = owner('rot_main');
    try {
      const rows = await sql<{ key: string; value: string }>`SELECT key, value FROM settings`.execute(o);
      const history = rows.rows.find((r) => r.key === 'keys.history')!;
      expect(history.value).toContain('loankeeper-key-history');
      for (const r of rows.rows) {
        expect(r.value.toLowerCase()).not.toContain(oldKey.toString('hex'));
        expect(r.value).not.toContain(oldKey.toString('base64'));
      }
      const wraps = await sql<{ wrap: string }>`SELECT wrap FROM key_wraps`.execute(o);
      expect(wraps.rows.every((w) => !w.wrap.includes(oldKey.toString('hex')))).toBe(true);
    } finally {
      await o.destroy();
    }

    // The officer signs in again: the new key, every scan read back; the witness signed under the old key carries over.
    await officer.call('session.logout', {});
    await officer.call('session.login', { username: 'officer1', password: PASSWORDS.officer1 });
    expect(storeOf(officer).dataKey.equals(newKey)).toBe(true);
    await readAll(officer, docs);
    const carried = await verifyAuditChain(storeOf(officer));
    expect(carried).toMatchObject({ ok: true, problem: null });
    expect(carried.outside!.count).toBeGreaterThanOrEqual(oldWitness!.count);

    // Every active user signs in with their own password; the disabled one cannot.
    const another = pc('rot_main-third');
    await another.call('setup.joinServer', { url: urlOf('rot_main'), dbPassword, ca: null, locale: 'zh-CN' });
    for (const u of ['admin', 'officer1', 'collector1', 'supervisor1', 'supervisor2', 'risk1', 'archivist1']) {
      await another.call('session.login', { username: u, password: PASSWORDS[u] });
      await another.call('session.logout', {});
    }
    await expect(another.call('session.login', { username: 'officer2', password: PASSWORDS.officer2 })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // The old recovery key opens nothing; the new one does.
    await expect(another.call('session.recover', { recoveryKey, username: 'admin', newPassword: 'Taken-over-2026' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await another.call('session.recover', { recoveryKey: newRecovery, username: 'archivist1', newPassword: 'After-rotation-2026' });
    await another.call('session.logout', {});

    // The backup from before the rotation still verifies, with the key the rotation retired.
    const inspected = await inspectBackup(admin.ctx, { file: backup, recoveryKey: '' });
    expect(inspected).toMatchObject({ ok: true, reason: null });
    expect((await keysStatus(admin.ctx)).epoch).toBe(1);
  });

  it('a crash after some batches: rows stay whole under one key, others cannot write, and the next administrator to sign in finishes it', async () => {
    const { admin, officer, docs } = await branch('rot_crash');
    const oldKey = Buffer.from(storeOf(admin).dataKey);
    await goIdle(officer, 'rot_crash');
    await waitAlone(admin);
    branchRotationBatch.rows = 2;
    rotationFaults.at = 'batch:2';
    await startRotation(admin.ctx, { resetLegacyUsers: false });
    const job = await waitForRotation(admin.ctx);
    expect(job?.phase).toBe('failed');
    // The PC goes away (a crash): its connections with it.
    admin.ctx.close();
    const status = await (async () => {
      const o = owner('rot_crash');
      try {
        return JSON.parse((await sql<{ value: string }>`SELECT value FROM settings WHERE key = 'keys.rotation'`.execute(o)).rows[0].value) as { phase: string; files: { done: number; total: number }; next: unknown };
      } finally {
        await o.destroy();
      }
    })();
    expect(status).toMatchObject({ phase: 'files', files: { done: 4, total: 7 } });
    // The new key is in the journal only sealed under the old one.
    expect(JSON.stringify(status.next)).not.toContain(oldKey.toString('hex'));

    // The officer's PC, signed in before, cannot write while the rotation is unfinished; nor can an officer sign in.
    await expect(borrower(officer.ctx, '李四', '11010519850505123')).rejects.toMatchObject({ code: 'CONFLICT', message: t('errors.branchRotationUnderWay') });
    await closeApp(officer);
    const late = pc('rot_crash-late');
    await late.call('setup.joinServer', { url: urlOf('rot_crash'), dbPassword, ca: null, locale: 'zh-CN' });
    await expect(late.call('session.login', { username: 'officer1', password: PASSWORDS.officer1 })).rejects.toMatchObject({ code: 'CONFLICT', message: t('errors.rotationUnfinished') });

    // Each row whole under exactly one key: the first batches under the new, the rest under the old.
    const next = await (async () => {
      const admin2 = pc('rot_crash-admin2');
      await admin2.call('setup.joinServer', { url: urlOf('rot_crash'), dbPassword, ca: null, locale: 'zh-CN' });
      await admin2.call('session.login', { username: 'admin', password: ADMIN_PASSWORD });
      return admin2;
    })();
    expect((await next.call<AppInfo>('app.info', {})).stage).toBe('rotation');
    expect(await next.call('users.list', {}).catch((e: { code: string }) => e.code)).toBe('CONFLICT');
    expect((await keysStatus(next.ctx)).rotation).toMatchObject({ phase: 'files', running: false, done: 4, total: 7 });
    // The new key, as the journal gives it to the old one.
    const newKey = openNext(oldKey, (await readBranchJournal(storeOf(next).db))!)!;
    const at = await rowKeys('rot_crash', [newKey, oldKey]);
    expect([...at].sort()).toEqual([0, 0, 0, 0, 1, 1, 1]);

    // Resumed from the keys page, as the app does it.
    await next.call('keys.rotate', { confirmed: true, resetLegacyUsers: false });
    expect((await waitForRotation(next.ctx))?.phase).toBe('done');
    expect(storeOf(next).dataKey.equals(newKey)).toBe(true);
    await next.call('keys.confirmRecoveryKey', { confirmed: true });
    expect(await next.call('audit.verify', {})).toMatchObject({ ok: true, problem: null });
    expect(await rowKeys('rot_crash', [newKey, oldKey])).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(await checkSealedDocuments(storeOf(next))).toEqual({ checked: 7, bad: [] });
    await late.call('session.login', { username: 'officer1', password: PASSWORDS.officer1 });
    await readAll(late, docs);
  });

  it('a crash right after the switch: everyone signs in with the new key, and an administrator is given a fresh recovery key to take', async () => {
    const { admin, officer, docs } = await branch('rot_switch');
    const oldKey = Buffer.from(storeOf(admin).dataKey);
    await closeApp(officer);
    await waitAlone(admin);
    rotationFaults.at = 'committed';
    await startRotation(admin.ctx, { resetLegacyUsers: false });
    expect((await waitForRotation(admin.ctx))?.phase).toBe('failed');
    // This PC still held the old key when it stopped: its session ended with it.
    expect(admin.ctx.store).toBeNull();
    // An officer signs in (the keys switched; only the recovery key is still to be taken) and reads every scan.
    await officer.call('session.login', { username: 'officer1', password: PASSWORDS.officer1 });
    expect((await officer.call<AppInfo>('app.info', {})).stage).toBe('ready');
    expect(storeOf(officer).dataKey.equals(oldKey)).toBe(false);
    await readAll(officer, docs);
    // The administrator, with the new key, is shown the step left: a recovery key nobody has seen yet.
    await admin.call('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect((await admin.call<AppInfo>('app.info', {})).stage).toBe('rotation');
    const status = await admin.call<KeysStatus>('keys.status', {});
    expect(status).toMatchObject({ epoch: 1, rotation: { phase: 'confirm' }, pendingRecoveryKey: null });
    const { recoveryKey } = await admin.call<{ recoveryKey: string }>('keys.newRecoveryKey', { confirmed: true });
    await admin.call('keys.confirmRecoveryKey', { confirmed: true });
    expect((await admin.call<AppInfo>('app.info', {})).stage).toBe('ready');
    expect(await admin.call('audit.verify', {})).toMatchObject({ ok: true, problem: null });
    await closeApp(admin);
    await officer.call('session.logout', {});
    await officer.call('session.recover', { recoveryKey, username: 'officer1', newPassword: 'Officer1-after-2026' });
  });

  it('rotate-keys --database prints a new recovery key, and check --database passes afterwards', async () => {
    const { admin, officer, docs } = await branch('rot_cli');
    await closeApp(admin);
    await closeApp(officer);
    const passwordFile = join(root, 'admin-password');
    writeFileSync(passwordFile, `${ADMIN_PASSWORD}\n`);
    const flags = { database: urlOf('rot_cli', true), user: 'admin', 'password-file': passwordFile };
    // Give the closed pools a moment to leave the server.
    await new Promise((r) => setTimeout(r, 300));
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // A server backup made before, sealed with the key about to be retired.
      const before = join(root, 'cli-before-rotation.lkbackup');
      await cmdBackup({ ...flags, to: before });
      await new Promise((r) => setTimeout(r, 300));
      out = '';
      await cmdRotateKeys(flags);
      const printed = out.trim();
      expect(printed).toMatch(/^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/);
      out = '';
      // check --backup opens it with the retired key, and the live chain (now under the new key) still holds its head.
      await cmdCheck({ ...flags, backup: before });
      expect(out).toContain('OK   审计哈希链');
      expect(out).toMatch(/^OK +备份 .*cli-before-rotation\.lkbackup.*当前审计链包含该备份时的链头/m);
      expect(out).not.toContain('FAIL');
      spy.mockRestore();
      err.mockRestore();
      // The printed key is the branch's recovery key now.
      const p = pc('rot_cli-after');
      await p.call('setup.joinServer', { url: urlOf('rot_cli'), dbPassword, ca: null, locale: 'zh-CN' });
      await p.call('session.recover', { recoveryKey: printed, username: 'officer1', newPassword: 'Officer1-after-2026' });
      await readAll(p, docs);
      await p.call('session.login', { username: 'admin', password: ADMIN_PASSWORD });
      expect((await keysStatus(p.ctx)).epoch).toBe(1);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
  });
});
