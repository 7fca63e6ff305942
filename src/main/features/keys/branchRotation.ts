import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import { AppError } from '../../../shared/ipc/errors';
import type { KeysStatus } from '../../../shared/ipc/keys';
import { auditKey, KEY_HISTORY, KEY_ROTATION, type RetiredKey } from '../../db/auditChain';
import { appendAuditInMain, readKeyHistoryOf, sealKeyHistory } from '../../db/auditLog';
import { readBranchKeyring, writeBranchKeyring } from '../../db/branchKeyring';
import { fileKey, FileStoreError, openSealed, sealBytes, sealedKeyIndex } from '../../db/fileStore';
import { isLegacyWrap, keyCheck, resealWrap, type UserWrap, type Wrap } from '../../db/keyring';
import { otherClients } from '../../db/pg/backup';
import { encodeRecoveryKey, newRecoverySecret, sealRecovery } from '../../db/recoveryKey';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { rekeyBranchStore, ROTATION_SETTING } from '../../kernel/branchStore';
import { witnessPath } from '../../kernel/branchWitness';
import type { AppContext, RotationJob } from '../../kernel/context';
import type { BranchStore } from '../../kernel/store';
import { putRecoveryWrap, readRecoveryWrap } from './keys';
import { fault, isAdmin, keysStatusOf, legacyUsers, openNext, sealNext, type SealedNext } from './rotationCommon';

/**
 * Rotating the data key on the branch server (see docs/DECISIONS.md). What the key protects there: the documents'
 * bytes, sealed on the desktop in `documents.content` and `imported_files.content` (db/fileStore.ts `sealBytes`),
 * the users' and the recovery key's wraps in the branch keyring, and the audit chain's MACs. The database itself
 * is not encrypted by us, so there is no rekey of it.
 *
 * 1. With nobody else connected to the branch database, the journal (settings `keys.rotation`) is written with
 *    `keys.rotateStart`: the new key sealed under a key derived from the old one, the key checks of both. From
 *    that commit on, every other PC's write is refused (kernel/branchStore.ts), and only an administrator signs in.
 * 2. The documents are re-sealed in batches, each batch one transaction that also moves the journal's progress on.
 *    A row is always whole under one key; which one is told by trying the new key, then the old, so a crash at any
 *    point is resumed by doing the rest.
 * 3. One transaction: the old key retired into the key history (sealed under the new chain key, never in clear),
 *    every active user's wrap re-sealed to their public key, a new recovery wrap, the keyring's key check, the
 *    journal moved to its confirm phase, and `keys.rotate`, the first audit entry under the new chain key.
 * 4. The administrator takes the new recovery key; confirming it removes the journal.
 */

export interface BranchJournal {
  format: 'loankeeper-rotation';
  version: 1;
  store: 'branch';
  id: string;
  by: string;
  startedAt: string;
  /** files: re-sealing documents; confirm: done, the new recovery key not yet taken. */
  phase: 'files' | 'confirm';
  oldCheck: string;
  newCheck: string;
  /** The new data key under a key derived from the old one; dropped in the transaction that switches keys. */
  next: SealedNext | null;
  resetUsers: string[];
  /** Rows re-sealed so far, in key order: every row up to `after` is under the new key (or damaged). */
  files: { total: number; done: number; damaged: string[]; after: { documents: number; imported: [number, string] | null } };
}

export async function readBranchJournal(db: Kysely<Database>): Promise<BranchJournal | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', ROTATION_SETTING).executeTakeFirst();
  if (!row) return null;
  const j = JSON.parse(row.value) as BranchJournal;
  return j.format === 'loankeeper-rotation' && j.store === 'branch' ? j : null;
}

async function writeBranchJournal(trx: Transaction<Database>, j: BranchJournal): Promise<void> {
  const value = JSON.stringify(j);
  await trx.insertInto('settings').values({ key: ROTATION_SETTING, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

/**
 * Documents re-sealed per transaction: at most `rows` rows and `bytes` bytes of sealed content (at least one row).
 * A batch is short enough that a crash loses little, long enough that the journal's own write is a small cost.
 * Tests make it smaller to have several.
 */
export const branchRotationBatch = { rows: 64, bytes: 8 << 20 };

/** Whether an administrator's job of this PC is running. */
const running = (ctx: AppContext) => !!ctx.rotationJob && ctx.rotationJob.phase !== 'done' && ctx.rotationJob.phase !== 'failed';

/** Refused while another PC or program is connected: it would go on with the old key in memory. */
async function assertAlone(ctx: AppContext, store: BranchStore, message: 'errors.rotationServerBusy' | 'errors.rotationServerRunning'): Promise<void> {
  const others = await otherClients(store.db, store.ownSessions());
  if (others.length > 0) throw new AppError('CONFLICT', ctx.t(message, { who: others.slice(0, 8).join(', ') }));
}

/**
 * At sign-in on the branch server, before anything is written: with a rotation unfinished, only an administrator
 * signs in, and only when nobody else is connected (whoever is may be running it); they take it over, so that
 * their writes (the sign-in's own entry, the rest of the rotation) pass the key check. In the confirm phase
 * everyone signs in; an administrator is then shown the recovery key step.
 */
export async function claimBranchRotation(ctx: AppContext, store: BranchStore, username: string): Promise<void> {
  const j = await readBranchJournal(store.db);
  if (!j) return;
  const u = await store.db.selectFrom('users').select(['roles', 'disabled']).where('username', '=', username).executeTakeFirst();
  const admin = !!u && !u.disabled && isAdmin(u.roles);
  if (j.phase === 'confirm') {
    if (admin) store.rotation = { id: j.id, phase: 'confirm' };
    return;
  }
  if (!admin) throw new AppError('CONFLICT', ctx.t('errors.rotationUnfinished'));
  await assertAlone(ctx, store, 'errors.rotationServerRunning');
  store.rotation = { id: j.id, phase: 'files' };
}

/** Channels refused on this PC while its rotation on the server is unfinished (documents are under either key). */
export function branchRotationBlocks(ctx: AppContext, store: BranchStore): boolean {
  if (ctx.rotationJob && (ctx.rotationJob.phase === 'files' || ctx.rotationJob.phase === 'database' || ctx.rotationJob.phase === 'keyring')) return true;
  return store.rotation?.phase === 'files';
}

export async function branchKeysStatus(ctx: AppContext, store: BranchStore): Promise<KeysStatus> {
  const kr = await readBranchKeyring(store.db);
  const recovery = kr.kind === 'ok' ? kr.keyring.recovery : await readRecoveryWrap(store.db);
  const j = await readBranchJournal(store.db);
  return keysStatusOf(ctx, store, {
    recovery,
    history: await readKeyHistoryOf(store.db, store.auditKey),
    journal: j && { id: j.id, phase: j.phase, total: j.files.total, done: j.files.done, damaged: j.files.damaged },
    failedAfterSwitch: false,
  });
}

/** The old and the new key of an unfinished rotation from `key` (the one this PC signed in with). */
function journalKeys(j: BranchJournal, key: Buffer): { old: Buffer; next: Buffer } | null {
  if (keyCheck(key) !== j.oldCheck) return null;
  const next = openNext(key, j);
  return next && keyCheck(next) === j.newCheck ? { old: Buffer.from(key), next } : null;
}

async function countSealed(db: Kysely<Database>): Promise<number> {
  const d = await db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).where(sql<boolean>`octet_length(content) > 0`).executeTakeFirstOrThrow();
  const i = await db.selectFrom('imported_files').select((eb) => eb.fn.countAll<number>().as('n')).where(sql<boolean>`octet_length(content) > 0`).executeTakeFirstOrThrow();
  return Number(d.n) + Number(i.n);
}

/**
 * Starts a rotation on the branch server, or resumes the one a crash interrupted (journal in the files phase,
 * taken over at sign-in). Returns at once; the job runs on and `keys.status` reports its progress.
 */
export async function startBranchRotation(ctx: AppContext, store: BranchStore, by: string, input: { resetLegacyUsers: boolean }): Promise<KeysStatus> {
  if (running(ctx)) throw new AppError('CONFLICT', ctx.t('errors.rotationRunning'));
  let j = await readBranchJournal(store.db);
  if (j?.phase === 'confirm') throw new AppError('CONFLICT', ctx.t('errors.rotationNeedsRecoveryKey'));
  const legacy = await legacyUsers(store);
  if (!j && legacy.length > 0 && !input.resetLegacyUsers) throw new AppError('RULE_VIOLATION', ctx.t('errors.rotationLegacyUsers', { users: legacy.join(', ') }));
  // Another PC signed in holds the old key and would write with it: everyone else closes the app first.
  await assertAlone(ctx, store, 'errors.rotationServerBusy');
  let keys: { old: Buffer; next: Buffer };
  if (j) {
    // Signed in before the journal was written (by another administrator, who then stopped): sign in again to take it over.
    if (store.rotation?.id !== j.id) throw new AppError('CONFLICT', ctx.t('errors.branchRotationUnderWay'));
    const found = journalKeys(j, store.dataKey);
    if (!found) throw new AppError('IO', ctx.t('errors.rotationJournal', { file: `${store.server} settings ${ROTATION_SETTING}` }));
    keys = found;
  } else {
    keys = { old: Buffer.from(store.dataKey), next: randomBytes(32) };
    const id = randomBytes(8).toString('hex');
    const total = await countSealed(store.db);
    const journal: BranchJournal = {
      format: 'loankeeper-rotation',
      version: 1,
      store: 'branch',
      id,
      by,
      startedAt: ctx.nowIso(),
      phase: 'files',
      oldCheck: keyCheck(keys.old),
      newCheck: keyCheck(keys.next),
      next: sealNext(keys.old, id, keys.next),
      resetUsers: legacy,
      files: { total, done: 0, damaged: [], after: { documents: 0, imported: null } },
    };
    // Claimed before the journal exists, so that this PC's next transactions pass the key check.
    store.rotation = { id, phase: 'files' };
    try {
      await store.db.transaction().execute(async (trx) => {
        // Under the writer lock: two administrators starting at once, the second finds the first's journal.
        if (await readBranchJournal(trx)) throw new AppError('CONFLICT', ctx.t('errors.rotationRunning'));
        await recordAudit(trx, ctx.nowIso(), { actor: by, action: 'keys.rotateStart', entity: 'store', entityId: store.server, detail: { rotation: id, files: total, resetUsers: legacy } });
        await writeBranchJournal(trx, journal);
      });
    } catch (e) {
      store.rotation = null;
      throw e;
    }
    j = journal;
  }
  const journal = j;
  let settle!: () => void;
  const job: RotationJob = { id: journal.id, phase: 'files', total: journal.files.total, done: journal.files.done, damaged: [...journal.files.damaged], error: null, finished: new Promise<void>((ok) => (settle = ok)) };
  ctx.rotationJob = job;
  const before = await branchKeysStatus(ctx, store);
  void (async () => {
    try {
      await runBranchRotation(ctx, store, journal, keys.old, keys.next, job);
      job.phase = 'done';
    } catch (e) {
      job.phase = 'failed';
      job.error = e instanceof AppError ? e.message : ctx.t('errors.rotationFailed', { detail: (e as Error)?.message ?? String(e) });
      // Stopped after the keys switched but before this PC took the new one: its writes would be refused; sign in again.
      const now = await readBranchJournal(store.db).catch(() => null);
      if (now?.id === journal.id && now.phase === 'confirm' && store.keyCheck !== now.newCheck && ctx.store === store) ctx.close();
    } finally {
      keys.old.fill(0);
      keys.next.fill(0);
      settle();
    }
  })();
  return { ...before, rotation: { id: journal.id, phase: 'files', running: true, total: journal.files.total, done: journal.files.done, damaged: journal.files.damaged, error: null } };
}

interface SealedRow {
  /** For the journal's cursor and the report of damaged rows. */
  name: string;
  sha256: string;
  content: Buffer;
}

/**
 * Re-seals one row's content under the new key, unless it is under it already. Returns the new content, or null
 * when nothing is to be written; `damaged` when neither key opens it (left as it is and reported).
 */
function reseal(row: SealedRow, oldFk: Buffer, newFk: Buffer): Buffer | null | 'damaged' {
  if (row.content.length === 0) return null; // destroyed under a destruction list
  const label = `document:${row.sha256}`;
  const at = sealedKeyIndex(row.content, label, [newFk, oldFk]);
  if (at === 0) return null;
  if (at === -1) return 'damaged';
  try {
    return sealBytes(newFk, Buffer.concat([...openSealed(oldFk, row.content, label)]), label);
  } catch (e) {
    if (e instanceof FileStoreError) return 'damaged';
    throw e;
  }
}

async function runBranchRotation(ctx: AppContext, store: BranchStore, j: BranchJournal, oldKey: Buffer, newKey: Buffer, job: RotationJob): Promise<void> {
  const oldFk = fileKey(oldKey);
  const newFk = fileKey(newKey);
  try {
    let batches = 0;
    for (;;) {
      const more = await store.db.transaction().execute(async (trx) => {
        const now = await readBranchJournal(trx);
        if (now?.id !== j.id || now.phase !== 'files') throw new AppError('CONFLICT', ctx.t('errors.rotationRunning'));
        const step = await resealBatch(trx, now, oldFk, newFk);
        if (!step) return false;
        now.files.done += step.rows;
        now.files.damaged.push(...step.damaged);
        await writeBranchJournal(trx, now);
        Object.assign(j, now);
        return true;
      });
      if (!more) break;
      job.done = j.files.done;
      job.damaged = [...j.files.damaged];
      fault(`batch:${++batches}`);
    }
  } finally {
    oldFk.fill(0);
    newFk.fill(0);
  }
  job.phase = 'database';
  await finishBranchRotation(ctx, store, j, oldKey, newKey, ctx.session?.username ?? j.by);
  job.phase = 'keyring';
}

/** One batch of rows after the journal's cursor, re-sealed; null when every row has been done. */
async function resealBatch(trx: Transaction<Database>, j: BranchJournal, oldFk: Buffer, newFk: Buffer): Promise<{ rows: number; damaged: string[] } | null> {
  const take = <T extends { n: number }>(rows: T[]) => {
    const out: T[] = [];
    let bytes = 0;
    for (const r of rows) {
      if (out.length > 0 && bytes + Number(r.n) > branchRotationBatch.bytes) break;
      out.push(r);
      bytes += Number(r.n);
    }
    return out;
  };
  const damaged: string[] = [];
  const docs = take(
    await trx.selectFrom('documents').select(['id', sql<number>`octet_length(content)`.as('n')]).where('id', '>', j.files.after.documents).orderBy('id').limit(branchRotationBatch.rows).execute(),
  );
  if (docs.length > 0) {
    const rows = await trx.selectFrom('documents').select(['id', 'sha256', 'content', 'file_name']).where('id', 'in', docs.map((d) => d.id)).orderBy('id').execute();
    let counted = 0;
    for (const r of rows) {
      const next = reseal({ name: r.file_name, sha256: r.sha256, content: Buffer.from(r.content) }, oldFk, newFk);
      if (next === 'damaged') damaged.push(`${r.file_name} (#${r.id})`);
      else if (next) await trx.updateTable('documents').set({ content: next }).where('id', '=', r.id).execute();
      if (r.content.length > 0) counted++;
    }
    j.files.after.documents = docs[docs.length - 1].id;
    return { rows: counted, damaged };
  }
  const after = j.files.after.imported;
  const files = take(
    await trx
      .selectFrom('imported_files')
      .select(['archive_id', 'path', sql<number>`octet_length(content)`.as('n')])
      .$if(after !== null, (q) => q.where(sql<boolean>`(archive_id, path) > (${after![0]}, ${after![1]})`))
      .orderBy('archive_id')
      .orderBy('path')
      .limit(branchRotationBatch.rows)
      .execute(),
  );
  if (files.length === 0) return null;
  let counted = 0;
  for (const f of files) {
    const r = await trx.selectFrom('imported_files').select(['sha256', 'content']).where('archive_id', '=', f.archive_id).where('path', '=', f.path).executeTakeFirstOrThrow();
    const next = reseal({ name: f.path, sha256: r.sha256, content: Buffer.from(r.content) }, oldFk, newFk);
    if (next === 'damaged') damaged.push(f.path);
    else if (next) await trx.updateTable('imported_files').set({ content: next }).where('archive_id', '=', f.archive_id).where('path', '=', f.path).execute();
    if (r.content.length > 0) counted++;
  }
  const last = files[files.length - 1];
  j.files.after.imported = [last.archive_id, last.path];
  return { rows: counted, damaged };
}

/**
 * The switch, in one transaction: the old key retired into the sealed history, every active user's wrap re-sealed
 * to their public key (users of the old kind, which cannot be, lose theirs and must be reset; disabled users have
 * none), a new recovery wrap, the keyring's key check, the journal to its confirm phase, and `keys.rotate` as the
 * first entry under the new chain key. Then this PC goes on under the new key; the recovery key is held for the
 * administrator signed in (`forAdmin`).
 */
async function finishBranchRotation(ctx: AppContext, store: BranchStore, j: BranchJournal, oldKey: Buffer, newKey: Buffer, forAdmin: string): Promise<void> {
  const secret = newRecoverySecret();
  const wrap = sealRecovery(newKey, secret);
  const recoveryKey = encodeRecoveryKey(secret);
  secret.fill(0);
  const oldChain = auditKey(oldKey);
  const newChain = auditKey(newKey);
  try {
    await store.db.transaction().execute(async (trx) => {
      const now = await readBranchJournal(trx);
      if (now?.id !== j.id || now.phase !== 'files') throw new AppError('CONFLICT', ctx.t('errors.rotationRunning'));
      const state = await readBranchKeyring(trx);
      if (state.kind !== 'ok') throw new AppError('IO', ctx.t('errors.branchKeyringDamaged'));
      const keyring = state.keyring;
      const history = await readKeyHistoryOf(trx, oldChain);
      const retired: RetiredKey = { epoch: history.length, dataKey: oldKey.toString('hex'), keyCheck: keyCheck(oldKey), retiredAt: ctx.nowIso(), rotationId: j.id };
      const value = sealKeyHistory(newChain, [...history, retired]);
      await trx.insertInto('settings').values({ key: KEY_HISTORY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();

      const disabled = (await trx.selectFrom('users').select('username').where('disabled', '=', 1).orderBy('username').execute()).map((u) => u.username);
      const rows = await trx.selectFrom('key_wraps').selectAll().orderBy('username').execute();
      const users: Record<string, UserWrap> = {};
      const resealed: string[] = [];
      const reset: string[] = [];
      for (const r of rows) {
        const w = JSON.parse(r.wrap) as Wrap;
        if (disabled.includes(r.username) || isLegacyWrap(w)) {
          await trx.deleteFrom('key_wraps').where('username', '=', r.username).execute();
          if (!disabled.includes(r.username)) reset.push(r.username);
          continue;
        }
        const next = resealWrap(w, newKey);
        await trx.updateTable('key_wraps').set({ wrap: JSON.stringify(next) }).where('username', '=', r.username).execute();
        users[r.username] = next;
        resealed.push(r.username);
      }
      if (reset.length > 0) await trx.updateTable('users').set({ must_change_password: 1, updated_at: ctx.nowIso() }).where('username', 'in', reset).execute();
      keyring.users = users;
      keyring.disabled = disabled;
      keyring.keyCheck = keyCheck(newKey);
      await putRecoveryWrap(trx, keyring, wrap);
      await writeBranchKeyring(trx, keyring);
      await writeBranchJournal(trx, { ...now, phase: 'confirm', next: null });
      // Last, under the new chain key: it opens the new stretch of the chain (auditChain.ts ChainWalker).
      await appendAuditInMain(
        trx,
        ctx.nowIso(),
        {
          actor: forAdmin,
          action: KEY_ROTATION,
          entity: 'store',
          entityId: store.server,
          detail: { epoch: history.length + 1, rotation: j.id, startedBy: j.by, files: { total: now.files.total, damaged: now.files.damaged }, resealed, reset, recoveryKeyId: wrap.id },
        },
        newChain,
      );
    });
  } finally {
    oldChain.fill(0);
    newChain.fill(0);
  }
  j.phase = 'confirm';
  j.next = null;
  fault('committed');
  const chain = auditKey(newKey);
  const witnessFile = store.witnessFile ? witnessPath(dirname(store.witnessFile), chain) : null;
  chain.fill(0);
  await rekeyBranchStore(store, newKey, witnessFile);
  store.rotation = { id: j.id, phase: 'confirm' };
  ctx.pendingRecovery = { key: recoveryKey, wrap: null, purpose: 'rotation' };
}

/**
 * The recovery key after a rotation on the server: a fresh one when the rotation's own was never shown (a crash or
 * another administrator came between), stored when confirmed, as on one PC. Refused while documents are re-sealed.
 */
export async function branchNewRecoveryKey(ctx: AppContext, store: BranchStore): Promise<{ recoveryKey: string }> {
  if (running(ctx)) throw new AppError('CONFLICT', ctx.t('errors.rotationRunning'));
  const j = await readBranchJournal(store.db);
  if (j && j.phase !== 'confirm') throw new AppError('CONFLICT', ctx.t('errors.rotationUnfinished'));
  const secret = newRecoverySecret();
  ctx.pendingRecovery = { key: encodeRecoveryKey(secret), wrap: sealRecovery(store.dataKey, secret), purpose: j ? 'rotation' : 'replace' };
  secret.fill(0);
  return { recoveryKey: ctx.pendingRecovery.key };
}

/** Inside the confirmation's transaction: a rotation's journal in its confirm phase goes (its recovery key is now kept). */
export async function closeBranchJournal(trx: Transaction<Database>): Promise<boolean> {
  const j = await readBranchJournal(trx);
  if (!j || j.phase !== 'confirm') return false;
  await trx.deleteFrom('settings').where('key', '=', ROTATION_SETTING).execute();
  return true;
}
