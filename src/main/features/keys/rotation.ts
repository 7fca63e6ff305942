import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../../../shared/ipc/app';
import { AppError } from '../../../shared/ipc/errors';
import type { KeysStatus } from '../../../shared/ipc/keys';
import { auditKey, headGenuine, KEY_HISTORY, KEY_ROTATION, readKeyHistory, signHead, type RetiredKey } from '../../db/auditChain';
import { FileStoreError, fileKey, keyIndexOfFile, listStoredFiles, reencryptFile, removeRekeyLeftovers } from '../../db/fileStore';
import { isLegacyWrap, keyCheck, keyringPath, readKeyring, resealWrap, writeKeyring, type Keyring, type UserWrap, type Wrap } from '../../db/keyring';
import { fault, isAdmin, keysStatusOf, legacyUsers, openNext, sealNext, type SealedNext } from './rotationCommon';
export { rotationFaults } from './rotationCommon';
import { encodeRecoveryKey, newRecoverySecret, recoveryFilePath, sealRecovery, writeRecoveryFile, type RecoveryWrap } from '../../db/recoveryKey';
import { writeFileAtomic, fsyncDir } from '../../fs/atomic';
import { recoveryKeyDoc } from '../../pdf/recoveryKey';
import { renderPdf } from '../../pdf/render';
import { recordAudit } from '../../kernel/audit';
import { advancedHead } from '../../kernel/auditHead';
import type { AppContext, RotationJob } from '../../kernel/context';
import { loadKeyring, putRecoveryWrap, readRecoveryWrap, saveKeyring, withKeyring } from './keys';
import { branchKeysStatus, branchNewRecoveryKey, branchRotationBlocks, closeBranchJournal, readBranchJournal, startBranchRotation } from './branchRotation';
import { requirePermission } from '../../kernel/authz';
import { holdExclusive, openStore, rekeyStore, releaseExclusive, requireStore, storeError, type LocalStore, localOnly } from '../../kernel/store';

/**
 * Rotating the data key (the administrator's "rotate keys", or `rotate-keys` on the command line).
 *
 * 1. A journal, `rotation.json`, is written first: the new key under a key derived from the old one, and the
 *    key checks of both. Whoever signs in next with the old key can reach the new one and finish.
 * 2. Every document file is re-encrypted under the new key's file key, one at a time, each written under a
 *    temporary name, fsynced, then renamed over the old one. Each file is always whole under one key; which one
 *    is found by trying both, so a crash at any point is resumed by doing the rest.
 * 3. `PRAGMA rekey` re-encrypts the database (one transaction). The first transaction after it retires the
 *    old key into the database (`keys.history`), re-seals the new key to every user's public key (no password
 *    needed), stores a new recovery wrap, and appends `keys.rotate`, the first audit entry under the new key.
 * 4. The keyring is rewritten with the new key check, the re-sealed users, the new recovery wrap and the
 *    audit head re-signed under the new key. The journal then forgets the keys and waits for an administrator
 *    to take the new recovery key; confirming it removes the journal.
 *
 * While the journal is there, nobody but an administrator works (documents may be under either key).
 */
export const ROTATION_FILE = 'rotation.json';

export interface RotationJournal {
  format: 'loankeeper-rotation';
  version: 1;
  id: string;
  by: string;
  startedAt: string;
  /** files: re-encrypting documents; database: rekey and keyring under way; confirm: done, recovery key not yet taken. */
  phase: 'files' | 'database' | 'confirm';
  oldCheck: string;
  newCheck: string;
  /** The new data key under a key derived from the old one; dropped as soon as the keyring holds the new key. */
  next: SealedNext | null;
  resetUsers: string[];
  files: { total: number; damaged: string[] };
}

export function journalPath(dir: string): string {
  return join(dir, ROTATION_FILE);
}

export function readJournal(dir: string): RotationJournal | null {
  try {
    const j = JSON.parse(readFileSync(journalPath(dir), 'utf8')) as RotationJournal;
    return j.format === 'loankeeper-rotation' ? j : null;
  } catch {
    return null;
  }
}

function writeJournal(dir: string, j: RotationJournal): void {
  writeFileAtomic(journalPath(dir), JSON.stringify(j, null, 2));
}

/** The old and the new key of an unfinished rotation, as far as `key` (from the keyring or the recovery key) reaches. */
function journalKeys(j: RotationJournal, key: Buffer): { old: Buffer | null; next: Buffer | null } {
  const check = keyCheck(key);
  if (check === j.newCheck) return { old: null, next: key };
  if (check === j.oldCheck) return { old: key, next: openNext(key, j) };
  return { old: null, next: null };
}

/**
 * Opens the store with a key from the keyring or the recovery key. With an unfinished rotation, the database may
 * already be under the new key: the journal leads there, and the rotation's database step is finished at once,
 * before anything else writes (so the next audit entry is the rotation's). Returns the key that opened it.
 */
export async function openStoreWith(ctx: AppContext, dir: string, key: Buffer): Promise<{ store: LocalStore; key: Buffer }> {
  const j = readJournal(dir);
  if (!j || j.phase === 'confirm') return { store: await openStore(ctx, dir, key), key };
  const keys = journalKeys(j, key);
  let lastError: unknown = null;
  for (const k of [keys.old, keys.next]) {
    if (!k) continue;
    let store: LocalStore;
    try {
      store = await openStore(ctx, dir, k);
    } catch (e) {
      lastError = e;
      continue;
    }
    try {
      if (k === keys.next && keys.old) await finishDatabaseStep(ctx, store, j, keys.old, k, null);
      else if (k === keys.next && readKeyHistory(store).some((h) => h.keyCheck === j.oldCheck)) {
        // The keyring already holds the new key; only the journal was not told.
        j.phase = 'confirm';
        j.next = null;
        writeJournal(dir, j);
      }
    } catch (e) {
      store.close();
      throw e;
    }
    return { store, key: k };
  }
  throw lastError ?? storeError(ctx, new Error('no key'));
}

/** Refuses a non-administrator while documents may be under either key (the rotation's file step). */
export async function assertRotationAllows(ctx: AppContext, store: LocalStore, username: string): Promise<void> {
  const j = readJournal(store.dir);
  if (!j || j.phase === 'confirm') return;
  const u = await store.db.selectFrom('users').select('roles').where('username', '=', username).executeTakeFirst();
  if (!u || !isAdmin(u.roles)) throw new AppError('CONFLICT', ctx.t('errors.rotationUnfinished'));
}

/** Channels a signed-in user may call while a rotation is unfinished (in this data folder, or run by this PC on the server). */
export function rotationBlocks(ctx: AppContext, channel: string): boolean {
  if (!ctx.store) return false;
  if (/^(keys|session|app|setup|shell)\./.test(channel)) return false;
  if (ctx.store.kind === 'branch') return branchRotationBlocks(ctx, ctx.store);
  if (ctx.rotationJob && (ctx.rotationJob.phase === 'files' || ctx.rotationJob.phase === 'database' || ctx.rotationJob.phase === 'keyring')) return true;
  const j = existsSync(journalPath(ctx.store.dir)) ? readJournal(ctx.store.dir) : null;
  return !!j && j.phase !== 'confirm';
}

/** Keys are the administrator's (the permission that also covers backups and settings). */
function requireAdmin(ctx: AppContext): { username: string } {
  return requirePermission(ctx, 'settings.manage');
}

export async function keysStatus(ctx: AppContext): Promise<KeysStatus> {
  requireAdmin(ctx);
  if (ctx.store?.kind === 'branch') return branchKeysStatus(ctx, ctx.store);
  const store = localOnly(ctx, ctx.store!);
  const kr = readKeyring(store.dir);
  const recovery = kr.kind === 'ok' ? kr.keyring.recovery : await readRecoveryWrap(store.db);
  const j = readJournal(store.dir);
  return keysStatusOf(ctx, store, {
    recovery,
    history: readKeyHistory(store),
    journal: j && { id: j.id, phase: j.phase, total: j.files.total, done: null, damaged: j.files.damaged },
    failedAfterSwitch: true,
  });
}

/**
 * Starts a rotation, or resumes the one a crash interrupted. Returns at once; the job runs on, and
 * `keys.status` reports its progress. Refused while another window or command has the database open (on the
 * branch server: while another PC or program is connected, branchRotation.ts).
 */
export async function startRotation(ctx: AppContext, input: { resetLegacyUsers: boolean }): Promise<KeysStatus> {
  const s = requireAdmin(ctx);
  if (ctx.store?.kind === 'branch') return startBranchRotation(ctx, ctx.store, s.username, input);
  const store = localOnly(ctx, ctx.store!);
  if (ctx.rotationJob && ctx.rotationJob.phase !== 'done' && ctx.rotationJob.phase !== 'failed') throw new AppError('CONFLICT', ctx.t('errors.rotationRunning'));
  let j = readJournal(store.dir);
  if (j?.phase === 'confirm') throw new AppError('CONFLICT', ctx.t('errors.rotationNeedsRecoveryKey'));
  const legacy = await legacyUsers(store);
  if (!j && legacy.length > 0 && !input.resetLegacyUsers) {
    throw new AppError('RULE_VIOLATION', ctx.t('errors.rotationLegacyUsers', { users: legacy.join(', ') }));
  }
  try {
    holdExclusive(store);
  } catch {
    throw new AppError('CONFLICT', ctx.t('errors.rotationStoreBusy', { dir: store.dir }));
  }
  let oldKey: Buffer;
  let newKey: Buffer;
  try {
    if (j) {
      const keys = journalKeys(j, store.dataKey);
      if (!keys.old || !keys.next) throw new AppError('IO', ctx.t('errors.rotationJournal', { file: journalPath(store.dir) }));
      oldKey = Buffer.from(keys.old);
      newKey = keys.next;
    } else {
      oldKey = Buffer.from(store.dataKey);
      newKey = randomBytes(32);
      const id = randomBytes(8).toString('hex');
      const total = listStoredFiles(store.files.dir).length;
      await store.db.transaction().execute((trx) =>
        recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'keys.rotateStart', entity: 'store', entityId: store.file, detail: { rotation: id, files: total, resetUsers: legacy } }),
      );
      j = {
        format: 'loankeeper-rotation',
        version: 1,
        id,
        by: s.username,
        startedAt: ctx.nowIso(),
        phase: 'files',
        oldCheck: keyCheck(oldKey),
        newCheck: keyCheck(newKey),
        next: sealNext(oldKey, id, newKey),
        resetUsers: legacy,
        files: { total, damaged: [] },
      };
      writeJournal(store.dir, j);
    }
  } catch (e) {
    releaseExclusive(store);
    throw e instanceof AppError ? e : new AppError('IO', ctx.t('errors.rotationJournal', { file: journalPath(store.dir) }));
  }
  const journal = j;
  // Read before the job starts: a job that fails after the rekey ends the session under our feet.
  const before = await keysStatus(ctx);
  let settle!: () => void;
  const job: RotationJob = { id: journal.id, phase: 'files', total: 0, done: 0, damaged: [], error: null, finished: new Promise<void>((ok) => (settle = ok)) };
  ctx.rotationJob = job;
  void (async () => {
    try {
      await runRotation(ctx, store, journal, oldKey, newKey, job);
      job.phase = 'done';
    } catch (e) {
      job.phase = 'failed';
      job.error = e instanceof AppError ? e.message : ctx.t('errors.rotationFailed', { detail: (e as Error)?.message ?? String(e) });
    } finally {
      oldKey.fill(0);
      try {
        releaseExclusive(store);
      } catch {
        // closed meanwhile
      }
      // Stopped after the database changed key but before the keyring did: signing in again (with the old
      // keyring, through the journal) finishes it, so this session ends here.
      const now = readJournal(store.dir);
      if (job.phase === 'failed' && now && now.phase !== 'confirm' && keyCheck(store.dataKey) === now.newCheck && ctx.store === store) ctx.close();
      settle();
    }
  })();
  return { ...before, rotation: { id: journal.id, phase: journal.phase, running: true, total: journal.files.total, done: 0, damaged: [], error: null } };
}

async function runRotation(ctx: AppContext, store: LocalStore, j: RotationJournal, oldKey: Buffer, newKey: Buffer, job: RotationJob): Promise<void> {
  if (j.phase === 'files') {
    const dir = store.files.dir;
    removeRekeyLeftovers(dir);
    const oldFk = fileKey(oldKey);
    const newFk = fileKey(newKey);
    const files = listStoredFiles(dir).sort();
    job.total = files.length;
    let since = Date.now();
    for (const ref of files) {
      let at: number;
      try {
        at = keyIndexOfFile(dir, ref, [newFk, oldFk]);
      } catch (e) {
        if (e instanceof FileStoreError) at = -2;
        else throw e;
      }
      if (at === 1) reencryptFile(dir, ref, oldFk, newFk);
      else if (at === -1) job.damaged.push(ref);
      job.done++;
      fault(`file:${job.done}`);
      // Let the keys page's polls through now and then.
      if (Date.now() - since > 50) {
        await new Promise((ok) => setImmediate(ok));
        since = Date.now();
      }
    }
    // Every rename durable before the database stops accepting the old key.
    if (files.length > 0) fsyncDir(dir);
    oldFk.fill(0);
    newFk.fill(0);
    j.phase = 'database';
    j.files = { total: files.length, damaged: job.damaged };
    writeJournal(store.dir, j);
  }
  job.phase = 'database';
  if (keyCheck(store.dataKey) !== j.newCheck) {
    rekeyStore(store, newKey);
    fault('rekeyed');
  }
  await finishDatabaseStep(ctx, store, j, oldKey, newKey, ctx.session?.username ?? j.by);
  job.phase = 'keyring';
}

/**
 * The rotation's database and keyring step, on a store already under the new key: retire the old key, re-seal
 * every user, a new recovery wrap, the `keys.rotate` entry (all in one transaction, skipped if a crash came
 * after it), then the keyring, then the journal. The new recovery key is held for the administrator signed in,
 * if any (`forAdmin`); otherwise the next administrator is given a fresh one.
 */
async function finishDatabaseStep(ctx: AppContext, store: LocalStore, j: RotationJournal, oldKey: Buffer, newKey: Buffer, forAdmin: string | null): Promise<void> {
  const history = readKeyHistory(store);
  const oldCheck = keyCheck(oldKey);
  let recovery: { key: string; wrap: RecoveryWrap } | null = null;
  if (!history.some((h) => h.keyCheck === oldCheck)) {
    const secret = newRecoverySecret();
    const wrap = sealRecovery(newKey, secret);
    recovery = { key: encodeRecoveryKey(secret), wrap };
    secret.fill(0);
    const retired: RetiredKey = { epoch: history.length, dataKey: oldKey.toString('hex'), keyCheck: oldCheck, retiredAt: ctx.nowIso(), rotationId: j.id };
    const stub: Keyring = { recovery: null } as Keyring;
    await store.db.transaction().execute(async (trx) => {
      const value = JSON.stringify([...history, retired]);
      await trx.insertInto('settings').values({ key: KEY_HISTORY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
      const rows = await trx.selectFrom('key_wraps').selectAll().execute();
      const resealed: string[] = [];
      const reset: string[] = [];
      for (const r of rows) {
        const w = JSON.parse(r.wrap) as Wrap;
        if (isLegacyWrap(w)) {
          await trx.deleteFrom('key_wraps').where('username', '=', r.username).execute();
          reset.push(r.username);
        } else {
          await trx.updateTable('key_wraps').set({ wrap: JSON.stringify(resealWrap(w, newKey)) }).where('username', '=', r.username).execute();
          resealed.push(r.username);
        }
      }
      if (reset.length > 0) {
        await trx.updateTable('users').set({ must_change_password: 1, updated_at: ctx.nowIso() }).where('username', 'in', reset).execute();
      }
      await putRecoveryWrap(trx, stub, wrap);
      // The first entry under the new chain key: it opens the new stretch of the chain.
      await recordAudit(trx, ctx.nowIso(), {
        actor: forAdmin ?? j.by,
        action: KEY_ROTATION,
        entity: 'store',
        entityId: store.file,
        detail: { epoch: history.length + 1, rotation: j.id, startedBy: j.by, files: j.files, resealed, reset, recoveryKeyId: wrap.id },
      });
    });
    fault('committed');
  }
  // The keyring: the new key check, every user re-sealed, the new recovery wrap, the head re-signed.
  const kr = readKeyring(store.dir);
  const wraps = await store.db.selectFrom('key_wraps').selectAll().execute();
  const disabled = (await store.db.selectFrom('users').select('username').where('disabled', '=', 1).execute()).map((u) => u.username);
  const oldAudit = auditKey(oldKey);
  const base: Keyring =
    kr.kind === 'ok'
      ? kr.keyring
      : ({ format: 'loankeeper-keyring', version: 1, setupConfirmed: true, institution: '', branch: '', attempts: {}, auditHead: null } as unknown as Keyring);
  const head = base.auditHead && headGenuine(oldAudit, base.auditHead) ? signHead(store.auditKey, base.auditHead) : base.auditHead;
  oldAudit.fill(0);
  const next: Keyring = {
    ...base,
    keyCheck: keyCheck(newKey),
    users: Object.fromEntries(wraps.filter((w) => !disabled.includes(w.username)).map((w) => [w.username, JSON.parse(w.wrap) as UserWrap])),
    disabled,
    recovery: await readRecoveryWrap(store.db),
    auditHead: head,
  };
  // Moved on along the chain under the new key (the rotation's own entries). Written as it is: `saveKeyring`
  // would take the head from the old file, which the new key no longer vouches for.
  next.auditHead = advancedHead(store, next.auditHead);
  try {
    writeKeyring(store.dir, next);
    writeRecoveryFile(recoveryFilePath(store.dir), next.keyCheck, next.recovery);
  } catch {
    throw new AppError('IO', ctx.t('errors.keyringWrite', { file: keyringPath(store.dir) }));
  }
  j.phase = 'confirm';
  j.next = null;
  writeJournal(store.dir, j);
  if (recovery && forAdmin) ctx.pendingRecovery = { key: recovery.key, wrap: null, purpose: 'rotation' };
}

/**
 * A new recovery key to show: after a rotation whose key nobody has seen yet (a restart came between), or to
 * replace the current one (a sheet that may have been seen, or a store whose recovery key is still the data key
 * itself). Nothing is stored until the administrator confirms the new key is kept: until then the old one works.
 */
export async function newRecoveryKey(ctx: AppContext): Promise<{ recoveryKey: string }> {
  requireAdmin(ctx);
  if (ctx.store?.kind === 'branch') return branchNewRecoveryKey(ctx, ctx.store);
  const store = localOnly(ctx, ctx.store!);
  if (ctx.rotationJob && ctx.rotationJob.phase !== 'done' && ctx.rotationJob.phase !== 'failed') throw new AppError('CONFLICT', ctx.t('errors.rotationRunning'));
  const j = readJournal(store.dir);
  if (j && j.phase !== 'confirm') throw new AppError('CONFLICT', ctx.t('errors.rotationUnfinished'));
  const secret = newRecoverySecret();
  const wrap = sealRecovery(store.dataKey, secret);
  ctx.pendingRecovery = { key: encodeRecoveryKey(secret), wrap, purpose: j ? 'rotation' : 'replace' };
  secret.fill(0);
  return { recoveryKey: ctx.pendingRecovery.key };
}

function requirePendingRecovery(ctx: AppContext) {
  const p = ctx.pendingRecovery;
  if (!p) throw new AppError('CONFLICT', ctx.t('errors.noPendingRecoveryKey'));
  return p;
}

export async function pendingRecoveryKeyPdf(ctx: AppContext): Promise<{ fileName: string; base64: string }> {
  requireAdmin(ctx);
  const p = requirePendingRecovery(ctx);
  const any = requireStore(ctx);
  const server = any.kind === 'branch' ? ctx.config.server : null;
  const kr = any.kind === 'local' ? readKeyring(any.dir) : null;
  const pdf = await renderPdf(
    ctx.paths.resourcesDir,
    recoveryKeyDoc({
      institution: server?.institution ?? (kr?.kind === 'ok' ? kr.keyring.institution : ''),
      branch: server?.branch ?? (kr?.kind === 'ok' ? kr.keyring.branch : ''),
      dataDir: any.kind === 'branch' ? any.server : any.dir,
      recoveryKey: p.key,
      createdAt: ctx.clock.now().toLocaleString(ctx.config.locale),
      locale: ctx.config.locale,
    }),
  );
  return { fileName: ctx.t('recoveryPdf.fileName'), base64: pdf.toString('base64') };
}

/**
 * The administrator has the new recovery key on paper (or in a file): a replacement's wrap is stored now (the old
 * recovery key stops working, unless it is a store's original key that is the data key itself, which only a
 * rotation revokes); after a rotation, the journal goes.
 */
export async function confirmPendingRecoveryKey(ctx: AppContext, info: () => AppInfo): Promise<AppInfo> {
  const s = requireAdmin(ctx);
  const p = requirePendingRecovery(ctx);
  if (ctx.store?.kind === 'branch') {
    const store = ctx.store;
    // The branch's keyring in the database, in the same transaction as the entry: every PC takes the new key at once.
    // After a rotation, its journal goes in the same transaction.
    const rotated = await withKeyring(ctx, store, async (trx, keyring) => {
      if (p.wrap) await putRecoveryWrap(trx, keyring, p.wrap);
      const closed = await closeBranchJournal(trx);
      await recordAudit(trx, ctx.nowIso(), {
        actor: s.username,
        action: closed ? 'keys.confirmRecoveryKey' : 'keys.replaceRecoveryKey',
        entity: 'store',
        entityId: store.server,
        detail: { recoveryKeyId: p.wrap?.id ?? keyring.recovery?.id ?? null },
      });
      return closed;
    });
    store.rotation = null;
    // The rotation is complete: a job of this PC's that stopped on the way (and was finished since) is history.
    if (rotated && ctx.rotationJob?.phase === 'failed') ctx.rotationJob = null;
    ctx.pendingRecovery = null;
    return info();
  }
  const store = localOnly(ctx, ctx.store!);
  const keyring = loadKeyring(ctx, store.dir);
  const wrap = p.wrap ?? keyring.recovery;
  await store.db.transaction().execute(async (trx) => {
    if (p.wrap) await putRecoveryWrap(trx, keyring, p.wrap);
    await recordAudit(trx, ctx.nowIso(), {
      actor: s.username,
      action: p.purpose === 'rotation' ? 'keys.confirmRecoveryKey' : 'keys.replaceRecoveryKey',
      entity: 'store',
      entityId: store.file,
      detail: { recoveryKeyId: wrap?.id ?? null },
    });
  });
  saveKeyring(ctx, store.dir, keyring);
  const j = readJournal(store.dir);
  if (j?.phase === 'confirm') rmSync(journalPath(store.dir), { force: true });
  ctx.pendingRecovery = null;
  return info();
}

/** The phase of the open store's unfinished rotation, if any (its journal), for the command line. */
export async function rotationPhase(ctx: AppContext): Promise<'files' | 'database' | 'confirm' | null> {
  const store = requireStore(ctx);
  if (store.kind === 'branch') return (await readBranchJournal(store.db))?.phase ?? null;
  return readJournal(store.dir)?.phase ?? null;
}

/** For the CLI and tests: waits for the job this process runs. */
export async function waitForRotation(ctx: AppContext): Promise<RotationJob | null> {
  const job = ctx.rotationJob;
  if (job) await job.finished;
  return job;
}
