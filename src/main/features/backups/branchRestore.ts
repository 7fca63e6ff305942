import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MessageKey } from '../../../shared/i18n';
import type { BackupInspection, RestorePhase } from '../../../shared/ipc/backups';
import { AppError } from '../../../shared/ipc/errors';
import { can } from '../../../shared/permissions';
import { auditKey, headGenuine } from '../../db/auditChain';
import { readHeadOf } from '../../db/auditLog';
import type { Problem } from '../../db/backupFiles';
import { unwrapKey, type Wrap } from '../../db/keyring';
import { carryBackups, databaseOf, dropDatabase, openDatabase, PgBackupError, swapDatabases } from '../../db/pg/backup';
import { readDump } from '../../db/pg/dumpFile';
import { migratePostgres } from '../../db/pg/migrate';
import { recordAudit } from '../../kernel/audit';
import { openBranchStore } from '../../kernel/branchStore';
import { requireSession } from '../../kernel/authz';
import type { AppContext } from '../../kernel/context';
import type { BranchStore } from '../../kernel/store';
import { logout } from '../session/session';
import { witnessFileFor } from '../session/branch';
import { BackupError, backupError } from './backupErrors';
import { backupBeforeRestore } from './backups';
import { backupKeyOf, dumpProblem, restoreToScratch, toolsFor } from './branch';

/**
 * Restoring a branch server's backup (see docs/DECISIONS.md): the backup must open with this branch's key; the
 * current state is backed up and verified first; the backup is restored into a new database on the same server
 * and checked there; it is brought to this version's schema, takes the live database's list of backups and an
 * audit entry of the restore; then, with nobody else connected, the two databases swap names in one transaction
 * and the old one is dropped. Everyone signs in again.
 */

const fail = (ctx: AppContext, key: MessageKey, params: Record<string, string | number> = {}, code: AppError['code'] = 'IO', field?: string) => backupError(ctx, code, key, params, field);

const problemError = (ctx: AppContext, p: Problem, code: AppError['code'] = 'VALIDATION') => new BackupError(code, ctx.t(p.key, p.params), p.key, p.params);

/** The signed-in administrator confirms with their password, which must open their wrap of this branch's key. */
export async function authoriseBranch(ctx: AppContext, store: BranchStore, input: { username: string; password: string }): Promise<void> {
  const s = requireSession(ctx);
  if (!can(s.roles, 'settings.manage')) throw fail(ctx, 'backups.errors.notAdminNow', { user: s.username }, 'FORBIDDEN');
  if (s.username !== input.username) throw fail(ctx, 'backups.errors.otherUser', {}, 'FORBIDDEN', 'username');
  const row = await store.db.selectFrom('key_wraps').select('wrap').where('username', '=', input.username).executeTakeFirst();
  let key: Buffer | null = null;
  try {
    key = row ? unwrapKey(JSON.parse(row.wrap) as Wrap, input.password) : null;
  } catch {
    key = null;
  }
  const ok = !!key && key.equals(store.dataKey);
  key?.fill(0);
  if (!ok) throw fail(ctx, 'backups.errors.branchPassword', { user: input.username }, 'FORBIDDEN', 'password');
}

/** What a branch backup holds, from its authenticated header, after every segment has been read through. */
export async function inspectBranchBackup(ctx: AppContext, store: BranchStore, file: string): Promise<BackupInspection> {
  const path = resolve(file);
  const empty: BackupInspection = { file: path, ok: false, reason: null, needsRecoveryKey: false, foreign: false, size: 0, institution: null, branch: null, latestEntryAt: null, counts: null, tables: 0, rows: 0 };
  let key: Buffer | null = null;
  try {
    // This branch's key, or one a rotation retired since the backup was made.
    const opened = await backupKeyOf(store, path);
    key = opened.key;
    const h = opened.header;
    for await (const _ of readDump(path, key)) void _;
    const chainKey = auditKey(key);
    const genuine = !h.head || headGenuine(chainKey, h.head);
    chainKey.fill(0);
    if (!genuine) return { ...empty, reason: ctx.t('backups.problems.auditBroken', { id: h.head!.id }) };
    return {
      ...empty,
      ok: true,
      size: statSync(path).size,
      institution: h.institution,
      branch: h.branch,
      latestEntryAt: h.latestEntryAt,
      counts: { borrowers: h.tables.borrowers ?? 0, loans: h.tables.loans ?? 0, documents: h.documents.length, users: h.tables.users ?? 0, auditEntries: h.head?.count ?? 0 },
      tables: Object.keys(h.tables).length,
      rows: Object.values(h.tables).reduce((a, b) => a + b, 0),
    };
  } catch (e) {
    const p = dumpProblem(e, path);
    return { ...empty, reason: ctx.t(p.key, p.params) };
  } finally {
    key?.fill(0);
  }
}

/** Others connected to the branch database: the swap waits a moment for pools closing, then refuses. */
async function swapWhenAlone(target: BranchStore['target'], live: string, incoming: string, retired: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      await swapDatabases(target, live, incoming, retired);
      return;
    } catch (e) {
      if (!(e instanceof PgBackupError && e.kind === 'in-use') || tries >= 10) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export async function runBranchRestore(
  ctx: AppContext,
  store: BranchStore,
  input: { file: string; username: string },
  report: (phase: RestorePhase, done: number, total: number) => void,
): Promise<{ safetyCopy: string; foreign: boolean; documents: number }> {
  const file = resolve(input.file);
  // 1. It opens with this branch's key (another branch's backup does not) and is whole.
  report('verify', 0, 0);
  let backupKey: Buffer;
  try {
    // A backup from before a key rotation opens with the key it retired; it comes back under that key, with the
    // users and the recovery key it had then (as a single-PC store's older backup does).
    backupKey = (await backupKeyOf(store, file)).key;
    for await (const _ of readDump(file, backupKey)) void _;
  } catch (e) {
    throw problemError(ctx, dumpProblem(e, file));
  }
  const chainKey = auditKey(backupKey);
  backupKey.fill(0);
  const tools = await toolsFor(ctx, store);

  // 2. The current state, backed up and verified.
  report('safety', 0, 0);
  const safety = await backupBeforeRestore(ctx);
  if (safety.status !== 'verified') {
    // Why it failed (e.g. no CREATEDB to verify it, which the restore needs too) is said with it.
    const params = { dir: safety.file };
    throw new BackupError('IO', `${ctx.t('backups.errors.safetyFailed', params)} ${safety.reason ?? ''}`.trim(), 'backups.errors.safetyFailed', params);
  }

  // 3. The backup into a new database, checked against its header; kept for the swap.
  report('copy', 0, 0);
  const restored = await restoreToScratch(ctx, store, file, { keep: true, tools });
  if (restored.problem || !restored.scratch || !restored.header) {
    const p = restored.problem ?? { key: 'backups.problems.damaged' as const, params: { kind: '' } };
    if (p.key === 'backups.problems.pgNoCreatedb') throw fail(ctx, 'backups.errors.branchNoCreatedb', { detail: String(p.params.detail) });
    throw fail(ctx, 'backups.errors.backupBad', { reason: ctx.t(p.key, p.params) }, 'VALIDATION');
  }
  const scratch = restored.scratch;
  const live = databaseOf(store.target);
  const target = store.target;
  let swapped = false;
  try {
    // 4. This version's schema, the live list of backups, the restore's own audit entry.
    report('documents', 0, 0);
    // The restored chain goes on under its own key (the current one, or the one it had before a rotation).
    const conn = openDatabase(target, scratch, chainKey);
    try {
      await migratePostgres(conn.db);
      // The head of the chain being replaced: PCs that saw entries up to it are told why they are gone.
      const replaced = await readHeadOf(store.db);
      await conn.db.transaction().execute(async (trx) => {
        await carryBackups(store.db, trx);
        await recordAudit(trx, ctx.nowIso(), {
          actor: input.username,
          action: 'maintenance.restore',
          entity: 'store',
          entityId: store.server,
          detail: { from: file, safetyCopy: safety.file, documents: restored.header!.documents.length, replaced },
        });
      });
    } finally {
      await conn.close();
    }

    // 5. The swap: this PC signs out (its connections close), then the names change with nobody connected.
    // Refused, this PC is signed in again on the database as it was: nothing changed for anyone.
    report('replace', 0, 0);
    const session = ctx.session;
    const key = Buffer.from(store.dataKey);
    logout(ctx);
    try {
      await swapWhenAlone(target, live, scratch, `lk_retired_${randomBytes(6).toString('hex')}`);
    } catch (e) {
      try {
        ctx.store = await openBranchStore(target, key, witnessFileFor(ctx, key));
        ctx.session = session;
      } catch {
        // The server went away meanwhile: this PC stays signed out.
      }
      if (e instanceof PgBackupError && e.kind === 'in-use') throw fail(ctx, 'backups.errors.branchInUse', { who: e.detail.slice(0, 300) }, 'CONFLICT');
      if (e instanceof PgBackupError) throw fail(ctx, 'backups.errors.branchSwapFailed', { detail: e.detail.slice(0, 300) });
      throw e;
    } finally {
      key.fill(0);
    }
    swapped = true;
    report('done', 0, 0);
    return { safetyCopy: safety.file, foreign: false, documents: restored.header.documents.length };
  } finally {
    if (!swapped) await dropScratch(target, scratch, chainKey);
    chainKey.fill(0);
  }
}

/** Drops the scratch database through a connection of its own (this PC's store may be closed by now). */
async function dropScratch(target: BranchStore['target'], scratch: string, chainKey: Buffer): Promise<void> {
  const conn = openDatabase(target, databaseOf(target), chainKey);
  try {
    await dropDatabase(conn.db, scratch);
  } catch {
    // Left behind: named lk_verify_…, it holds nothing the live database does not.
  } finally {
    await conn.close();
  }
}
