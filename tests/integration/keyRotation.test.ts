import { randomBytes } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite from 'better-sqlite3-multiple-ciphers';
import { fileKey, keyIndexOfFile, listStoredFiles, SEGMENT } from '../../src/main/db/fileStore';
import { keyCheck, readKeyring } from '../../src/main/db/keyring';
import { applyKey } from '../../src/main/db/open';
import { dataKeyFromRecoveryKey, keyOpensDatabase, readRecoveryFile } from '../../src/main/db/recoveryKey';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { listAudit } from '../../src/main/features/audit/audit';
import { backupTo, runChecks } from '../../src/main/features/backups/maintenance';
import { entryMac, walkChain, type ChainRow } from '../../src/main/db/auditChain';
import { getDocument } from '../../src/main/features/reports/reports';
import { confirmPendingRecoveryKey, keysStatus, newRecoveryKey, readJournal, rotationFaults, startRotation, waitForRotation } from '../../src/main/features/keys/rotation';
import { login, logout, recover } from '../../src/main/features/session/session';
import { appInfo } from '../../src/main/features/app/setup';
import { listUsers, resetPassword, setUserDisabled } from '../../src/main/features/users/users';
import { ADMIN_PASSWORD, dispatcherFor, fail, newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';
import { borrower, createStaff, loan, loginAs, PASSWORDS } from '../helpers/portfolio';

let env: TestEnv | undefined;
afterEach(() => {
  rotationFaults.at = null;
  env?.cleanup();
  env = undefined;
});

const JPEG = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from(`JFIF\0扫描-${n}`), randomBytes(n === 0 ? SEGMENT + 99 : 3000 + n)]);

/** A store with staff and five document files (one over a segment); the admin signed in. Returns the recovery key and the documents. */
async function world() {
  const e = (env = newEnv());
  const recoveryKey = await setUp(e);
  await createStaff(e.ctx);
  await loginAs(e.ctx, 'officer1');
  const l = await loan(e.ctx, (await borrower(e.ctx, '张三')).id);
  const docs: { id: number; bytes: Buffer }[] = [];
  for (let i = 0; i < 5; i++) {
    const bytes = JPEG(i);
    const d = await addDocument(e.ctx, { loanId: l.loan.id, docType: 'iou', fileName: `借据${i}.jpg`, base64: bytes.toString('base64') });
    docs.push({ id: d.id, bytes });
  }
  await loginAs(e.ctx, 'admin');
  return { e, recoveryKey, docs, db: join(e.dataDir, 'loankeeper.db'), files: join(e.dataDir, 'files') };
}

async function readAll(e: TestEnv, docs: { id: number; bytes: Buffer }[]): Promise<void> {
  await loginAs(e.ctx, 'officer1');
  for (const d of docs) {
    const got = await getDocument(e.ctx, { documentId: d.id });
    expect(Buffer.from(got.base64, 'base64').equals(d.bytes)).toBe(true);
  }
}

async function rotate(e: TestEnv, resetLegacyUsers = false) {
  await startRotation(e.ctx, { resetLegacyUsers });
  return waitForRotation(e.ctx);
}

function copyAside(e: TestEnv, names: string[]): string {
  const dir = join(e.root, `copy-${randomBytes(3).toString('hex')}`);
  mkdirSync(dir);
  for (const n of names) if (existsSync(join(e.dataDir, n))) cpSync(join(e.dataDir, n), join(dir, n), { recursive: true });
  return dir;
}

describe('rotating the data key', () => {
  it('re-encrypts the database and every file, re-seals every user, gives a new recovery key; the old keyring and recovery key open nothing', async () => {
    const { e, recoveryKey, docs, db, files } = await world();
    const oldKey = Buffer.from(localStoreOf(e.ctx).dataKey);
    const aside = copyAside(e, ['keyring.json', 'recovery.json']);
    const job = await rotate(e);
    expect(job?.phase).toBe('done');
    expect(job?.total).toBe(5);
    // The administrator sees the new key before anything else.
    expect(appInfo(e.ctx).stage).toBe('rotation');
    const status = await keysStatus(e.ctx);
    const newRecovery = status.pendingRecoveryKey!;
    expect(newRecovery).toMatch(/^([0-9A-Z]{5}-){10}[0-9A-Z]{5}$/);
    expect(status.rotation?.phase).toBe('confirm');
    expect((await dispatcherFor(e.ctx)('users.list', {})) as unknown).toMatchObject({ ok: true });
    const info = await confirmPendingRecoveryKey(e.ctx, () => appInfo(e.ctx));
    expect(info.stage).toBe('ready');
    expect(readJournal(e.dataDir)).toBeNull();

    const newKey = Buffer.from(localStoreOf(e.ctx).dataKey);
    expect(newKey.equals(oldKey)).toBe(false);
    const kr = readKeyring(e.dataDir);
    if (kr.kind !== 'ok') throw new Error('keyring');
    expect(kr.keyring.keyCheck).toBe(keyCheck(newKey));
    expect(readRecoveryFile(join(e.dataDir, 'recovery.json'))!.keyCheck).toBe(keyCheck(newKey));
    // Every file under the new key only.
    for (const ref of listStoredFiles(files)) expect(keyIndexOfFile(files, ref, [fileKey(newKey), fileKey(oldKey)])).toBe(0);
    expect(readdirSync(files).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(keyOpensDatabase(db, oldKey)).toBe(false);
    expect(keyOpensDatabase(db, newKey)).toBe(true);

    // The chain verifies across the rotation, and check is clean.
    const checks = await runChecks(e.ctx);
    expect(checks.audit).toMatchObject({ ok: true, lag: 0 });
    expect(checks.ok).toBe(true);
    const actions = (await listAudit(e.ctx, { limit: 10, offset: 0 })).entries.map((x) => x.action);
    expect(actions).toEqual(expect.arrayContaining(['keys.rotateStart', 'keys.rotate', 'keys.confirmRecoveryKey']));

    // Every user signs in with their own password and reads every document.
    for (const u of ['supervisor1', 'risk1', 'archivist1']) await loginAs(e.ctx, u);
    await readAll(e, docs);

    // The old recovery key, with the old wraps it came with, opens nothing.
    const oldWrap = readRecoveryFile(join(aside, 'recovery.json'))!.wrap;
    expect(dataKeyFromRecoveryKey(recoveryKey, db, [oldWrap])).toBeNull();
    logout(e.ctx);
    expect((await fail(recover(e.ctx, { recoveryKey, username: 'admin', newPassword: 'Taken-over-2026' }))).code).toBe('FORBIDDEN');

    // The old keyring put back: the admin's password unwraps the old key, which opens nothing.
    const live = copyAside(e, ['keyring.json', 'recovery.json']);
    copyFileSync(join(aside, 'keyring.json'), join(e.dataDir, 'keyring.json'));
    copyFileSync(join(aside, 'recovery.json'), join(e.dataDir, 'recovery.json'));
    const dbBefore = readFileSync(db);
    // (The old keyring vouches for the old key, so the database is named as what it does not open.)
    expect((await fail(login(e.ctx, { username: 'admin', password: ADMIN_PASSWORD }))).message).toContain(db);
    expect((await fail(recover(e.ctx, { recoveryKey, username: 'admin', newPassword: 'Taken-over-2026' }))).message).toContain(db);
    expect(e.ctx.store).toBeNull();
    rmSync(join(e.dataDir, 'keyring.json'));
    expect((await fail(recover(e.ctx, { recoveryKey, username: 'admin', newPassword: 'Taken-over-2026' }))).code).toBe('FORBIDDEN');
    expect(readFileSync(db).equals(dbBefore)).toBe(true);
    for (const ref of listStoredFiles(files)) expect(keyIndexOfFile(files, ref, [fileKey(oldKey)])).toBe(-1);

    // The current keyring back; the new recovery key opens everything, even without a keyring.
    copyFileSync(join(live, 'keyring.json'), join(e.dataDir, 'keyring.json'));
    copyFileSync(join(live, 'recovery.json'), join(e.dataDir, 'recovery.json'));
    await login(e.ctx, { username: 'admin', password: ADMIN_PASSWORD });
    logout(e.ctx);
    rmSync(join(e.dataDir, 'keyring.json'));
    await recover(e.ctx, { recoveryKey: newRecovery, username: 'admin', newPassword: 'After-rotation-2026' });
    await readAll(e, docs);
  });

  it('a crash while re-encrypting files leaves each file whole under one key; signing in again finishes it, and others wait', async () => {
    const { e, docs, files } = await world();
    const oldKey = Buffer.from(localStoreOf(e.ctx).dataKey);
    rotationFaults.at = 'file:2';
    const job = await rotate(e);
    expect(job?.phase).toBe('failed');
    const snapshot = copyAside(e, ['files']);
    const ctx = e.restart();
    // Documents are under two keys now: only an administrator may sign in, and only to finish.
    expect((await fail(login(ctx, { username: 'officer1', password: PASSWORDS.officer1 }))).code).toBe('CONFLICT');
    await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
    expect(appInfo(ctx).stage).toBe('rotation');
    expect(await dispatcherFor(ctx)('users.list', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await keysStatus(ctx)).rotation).toMatchObject({ phase: 'files', running: false });
    expect((await rotate(e))?.phase).toBe('done');
    await confirmPendingRecoveryKey(ctx, () => appInfo(ctx));
    const newKey = Buffer.from(localStoreOf(ctx).dataKey);
    // At the crash, every file opened with exactly one of the two keys: two with the new, three with the old.
    const at = listStoredFiles(join(snapshot, 'files')).map((ref) => keyIndexOfFile(join(snapshot, 'files'), ref, [fileKey(newKey), fileKey(oldKey)]));
    expect(at.sort()).toEqual([0, 0, 1, 1, 1]);
    for (const ref of listStoredFiles(files)) expect(keyIndexOfFile(files, ref, [fileKey(newKey), fileKey(oldKey)])).toBe(0);
    expect((await runChecks(ctx)).ok).toBe(true);
    await readAll(e, docs);
  });

  it.each([
    ['rekeyed', 'after the database was re-keyed'],
    ['committed', 'after the database step committed, before the keyring'],
  ])('a crash %s (%s): the next sign-in, even an officer\'s, finishes through the journal; an administrator takes a fresh recovery key', async (point) => {
    const { e, docs, db } = await world();
    const oldKey = Buffer.from(localStoreOf(e.ctx).dataKey);
    rotationFaults.at = point;
    expect((await rotate(e))?.phase).toBe('failed');
    // The session ended with the failure; the keyring still holds the old key, the database is under the new one.
    expect(e.ctx.store).toBeNull();
    expect(keyOpensDatabase(db, oldKey)).toBe(false);
    const ctx = e.restart();
    await login(ctx, { username: 'officer1', password: PASSWORDS.officer1 });
    expect(readJournal(e.dataDir)?.phase).toBe('confirm');
    await readAll(e, docs);
    await loginAs(ctx, 'admin');
    expect(appInfo(ctx).stage).toBe('rotation');
    const { recoveryKey } = await newRecoveryKey(ctx);
    await confirmPendingRecoveryKey(ctx, () => appInfo(ctx));
    expect(appInfo(ctx).stage).toBe('ready');
    const checks = await runChecks(ctx);
    expect(checks.audit).toMatchObject({ ok: true });
    expect(checks.ok).toBe(true);
    logout(ctx);
    rmSync(join(e.dataDir, 'keyring.json'));
    await recover(ctx, { recoveryKey, username: 'admin', newPassword: 'After-crash-2026' });
  });

  it('is refused while another connection has the database open', async () => {
    const { e, db } = await world();
    const other = new BetterSqlite(db);
    applyKey(other, localStoreOf(e.ctx).dataKey);
    other.prepare('SELECT count(*) FROM users').get();
    try {
      const err = await fail(startRotation(e.ctx, { resetLegacyUsers: false }));
      expect(err.code).toBe('CONFLICT');
      expect(readJournal(e.dataDir)).toBeNull();
    } finally {
      other.close();
    }
    expect((await rotate(e))?.phase).toBe('done');
  }, 30_000);

  it('only an administrator rotates', async () => {
    const { e } = await world();
    await loginAs(e.ctx, 'supervisor1');
    expect(await dispatcherFor(e.ctx)('keys.rotate', { confirmed: true, resetLegacyUsers: false })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await dispatcherFor(e.ctx)('keys.newRecoveryKey', { confirmed: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a disabled user has no wrap in the keyring or in the database, and gets none from a rotation; enabled again, they sign in', async () => {
    const { e } = await world();
    await setUserDisabled(e.ctx, { username: 'officer2', disabled: true, reason: '离职' });
    const wrapsInDb = async () => (await localStoreOf(e.ctx).db.selectFrom('key_wraps').select('username').execute()).map((r) => r.username).sort();
    const inKeyring = () => {
      const kr = readKeyring(e.dataDir);
      if (kr.kind !== 'ok') throw new Error('keyring');
      return Object.keys(kr.keyring.users).sort();
    };
    expect(await wrapsInDb()).not.toContain('officer2');
    expect(inKeyring()).not.toContain('officer2');
    expect((await rotate(e))?.phase).toBe('done');
    await confirmPendingRecoveryKey(e.ctx, () => appInfo(e.ctx));
    expect(await wrapsInDb()).not.toContain('officer2');
    expect(inKeyring()).not.toContain('officer2');
    expect(inKeyring()).toEqual(await wrapsInDb());
    logout(e.ctx);
    expect((await fail(login(e.ctx, { username: 'officer2', password: PASSWORDS.officer2 }))).code).toBe('FORBIDDEN');
    await login(e.ctx, { username: 'admin', password: ADMIN_PASSWORD });
    await setUserDisabled(e.ctx, { username: 'officer2', disabled: false, reason: '返岗', newPassword: 'Officer2-back-2026' });
    await loginAs(e.ctx, 'admin');
    logout(e.ctx);
    await login(e.ctx, { username: 'officer2', password: 'Officer2-back-2026' });
  });

  it('rotates twice: entries and backups from each key still verify; a rewritten entry from before a rotation is caught', async () => {
    const { e } = await world();
    const backups: string[] = [];
    for (let i = 0; i < 2; i++) {
      backups.push(join(e.root, `backup-${i}.db`));
      await backupTo(e.ctx, backups[i]);
      expect((await rotate(e))?.phase).toBe('done');
      await confirmPendingRecoveryKey(e.ctx, () => appInfo(e.ctx));
      await resetPassword(e.ctx, { username: 'officer1', newPassword: `Officer1-new-${i}-2026` });
    }
    expect((await keysStatus(e.ctx)).epoch).toBe(2);
    const checks = await runChecks(e.ctx, { backups });
    expect(checks.audit).toMatchObject({ ok: true, problem: null, lag: 0 });
    expect(checks.backups.map((b) => b.problem)).toEqual([null, null]);
    expect(checks.ok).toBe(true);
    // Each stretch is checked under its own key: an entry from before the first rotation rewritten with the
    // current key's MAC does not pass.
    const store = localStoreOf(e.ctx);
    const first = store.sqlite.prepare(`SELECT * FROM audit_log WHERE action = 'users.create' ORDER BY id LIMIT 1`).get() as ChainRow;
    const forged = { ...first, detail: JSON.stringify({ displayName: '冒名', roles: ['admin'] }) };
    for (const t of store.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`).all() as { name: string }[]) store.sqlite.exec(`DROP TRIGGER ${t.name}`);
    store.sqlite.prepare('UPDATE audit_log SET detail = ?, hash = ? WHERE id = ?').run(forged.detail, entryMac(store.auditKey, forged), first.id);
    expect(walkChain(store.sqlite, store.auditKey)).toMatchObject({ problem: 'edited', brokenAt: first.id });
  });
});

describe('stores from before key rotation', () => {
  /** Makes the store look like one set up by an older version: password wraps of the data key, no recovery wrap. */
  async function legacyWorld() {
    const w = await world();
    const { encodeLegacyRecoveryKey } = await import('../../src/main/db/recoveryKey');
    const { legacyWrapKey } = await import('../../src/main/db/keyring');
    const store = localStoreOf(w.e.ctx);
    const dataKey = Buffer.from(store.dataKey);
    const kr = readKeyring(w.e.dataDir);
    if (kr.kind !== 'ok') throw new Error('keyring');
    for (const u of Object.keys(kr.keyring.users)) {
      const wrap = legacyWrapKey(dataKey, PASSWORDS[u]);
      kr.keyring.users[u] = wrap;
      store.sqlite.prepare('UPDATE key_wraps SET wrap = ? WHERE username = ?').run(JSON.stringify(wrap), u);
    }
    kr.keyring.recovery = null;
    store.sqlite.prepare(`DELETE FROM settings WHERE key = 'keys.recovery'`).run();
    writeFileSync(join(w.e.dataDir, 'keyring.json'), JSON.stringify(kr.keyring));
    rmSync(join(w.e.dataDir, 'recovery.json'));
    w.e.restart();
    return { ...w, legacyKey: encodeLegacyRecoveryKey(dataKey) };
  }

  it('the old recovery key (the data key itself) keeps working, with or without a keyring, until the next rotation', async () => {
    const { e, legacyKey, docs } = await legacyWorld();
    await recover(e.ctx, { recoveryKey: legacyKey, username: 'admin', newPassword: 'Legacy-admin-2026' });
    logout(e.ctx);
    rmSync(join(e.dataDir, 'keyring.json'));
    await recover(e.ctx, { recoveryKey: legacyKey, username: 'admin', newPassword: 'Legacy-admin-2027' });
    // Rebuilt from the database; other users' old wraps still work, and signing in upgrades them.
    logout(e.ctx);
    await login(e.ctx, { username: 'officer1', password: PASSWORDS.officer1 });
    const kr = readKeyring(e.dataDir);
    expect(kr.kind === 'ok' && kr.keyring.users.officer1.v).toBe(2);
    expect(kr.kind === 'ok' && kr.keyring.users.supervisor1.v).toBeUndefined();
    await readAll(e, docs);
  });

  it('migration: a new recovery key wraps the data key; the old one still opens until a rotation, which needs every user upgraded or reset', async () => {
    const { e, legacyKey, docs } = await legacyWorld();
    await login(e.ctx, { username: 'admin', password: ADMIN_PASSWORD });
    let status = await keysStatus(e.ctx);
    expect(status.recoveryKind).toBe('legacy');
    expect(status.legacyUsers).toEqual(['archivist1', 'collector1', 'officer1', 'officer2', 'risk1', 'supervisor1', 'supervisor2']);
    const { recoveryKey } = await newRecoveryKey(e.ctx);
    // Nothing changes before the administrator confirms the key is kept.
    expect(readRecoveryFile(join(e.dataDir, 'recovery.json'))).toBeNull();
    await confirmPendingRecoveryKey(e.ctx, () => appInfo(e.ctx));
    status = await keysStatus(e.ctx);
    expect(status.recoveryKind).toBe('wrapped');
    expect(readRecoveryFile(join(e.dataDir, 'recovery.json'))?.wrap.id).toBe(status.recoveryKeyId);
    logout(e.ctx);
    await recover(e.ctx, { recoveryKey, username: 'admin', newPassword: 'Migrated-admin-2026' });
    logout(e.ctx);
    await recover(e.ctx, { recoveryKey: legacyKey, username: 'admin', newPassword: ADMIN_PASSWORD });

    // A rotation would lock out users whose entry is still the old kind: refused, unless they are reset.
    await loginAs(e.ctx, 'officer1');
    await loginAs(e.ctx, 'admin');
    const refused = await fail(startRotation(e.ctx, { resetLegacyUsers: false }));
    expect(refused.code).toBe('RULE_VIOLATION');
    expect(refused.message).toContain('supervisor1');
    expect(refused.message).not.toContain('officer1,');
    expect((await rotate(e, true))?.phase).toBe('done');
    await confirmPendingRecoveryKey(e.ctx, () => appInfo(e.ctx));
    const users = await listUsers(e.ctx);
    expect(users.filter((u) => !u.canSignIn).map((u) => u.username).sort()).toEqual(['archivist1', 'collector1', 'officer2', 'risk1', 'supervisor1', 'supervisor2']);
    expect(users.find((u) => u.username === 'officer1')?.canSignIn).toBe(true);
    // Neither old recovery key opens anything now.
    logout(e.ctx);
    for (const k of [legacyKey, recoveryKey]) expect((await fail(recover(e.ctx, { recoveryKey: k, username: 'admin', newPassword: 'Taken-over-2026' }))).code).toBe('FORBIDDEN');
    expect((await fail(login(e.ctx, { username: 'supervisor1', password: PASSWORDS.supervisor1 }))).code).toBe('FORBIDDEN');
    await login(e.ctx, { username: 'admin', password: ADMIN_PASSWORD });
    await resetPassword(e.ctx, { username: 'supervisor1', newPassword: 'Supervisor1-reset-26' });
    logout(e.ctx);
    await login(e.ctx, { username: 'supervisor1', password: 'Supervisor1-reset-26' });
    await readAll(e, docs);
  });
});
