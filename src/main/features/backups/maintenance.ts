import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { AuditCheck } from '../../../shared/ipc/audit';
import { AppError } from '../../../shared/ipc/errors';
import { GENESIS, signHead } from '../../db/auditChain';
import { listStoredFiles } from '../../db/fileStore';
import { readKeyring } from '../../db/keyring';
import { writeRecoveryFile } from '../../db/recoveryKey';
import { appliedMigrations, pendingMigrations } from '../../db/migrate';
import { inlineIntoCopy, integrityCheck, stampCopy, vacuumInto } from '../../db/maintenance';
import { recordAudit, verifyAuditChain } from '../../kernel/audit';
import { BACKUP_HEAD_KEY, checkAgainstBackup, type BackupCheck } from '../../db/backupHead';
import { backupWriteError } from './backupErrors';
import { SYSTEM_ACTOR } from '../../domain/batch';
import type { AppContext } from '../../kernel/context';
import { requirePermission } from '../../kernel/authz';
import { documentChunks } from '../documents/documents';
import { requireLocalStore, type LocalStore } from '../../kernel/store';

export interface CheckReport {
  integrity: string;
  audit: AuditCheck;
  pendingMigrations: string[];
  /** Document and imported files the database names but the data folder lacks; files no row names (left by a rolled-back save). */
  documentFiles: { missing: string[]; unreferenced: number };
  /** Each backup named: does the live chain still hold the head it recorded? */
  backups: BackupCheck[];
  ok: boolean;
}

/** Every row whose bytes are in the file store: documents, and files of imported packages (named by their path). */
async function fileBackedRows(store: LocalStore): Promise<{ file_name: string; file_ref: string | null }[]> {
  const docs = await store.db.selectFrom('documents').select(['file_name', 'file_ref']).where('file_ref', 'is not', null).execute();
  const imported = await store.db.selectFrom('imported_files').select(['path as file_name', 'file_ref']).where('file_ref', 'is not', null).execute();
  return [...docs, ...imported];
}

async function checkDocumentFiles(store: LocalStore): Promise<CheckReport['documentFiles']> {
  const rows = await fileBackedRows(store);
  const present = new Set(listStoredFiles(store.files.dir));
  const named = new Set(rows.map((r) => r.file_ref!));
  return {
    missing: rows.filter((r) => !present.has(r.file_ref!)).map((r) => `${r.file_name} (${r.file_ref})`),
    unreferenced: [...present].filter((f) => !named.has(f)).length,
  };
}

/** SQLite's own integrity check, the audit chain (and the heads kept outside), and whether every migration has run. */
export async function runChecks(ctx: AppContext, opts: { backups?: string[] } = {}): Promise<CheckReport> {
  requirePermission(ctx, 'audit.verify');
  const store = requireLocalStore(ctx);
  const integrity = integrityCheck(store);
  const audit = await verifyAuditChain(store);
  const pending = pendingMigrations(await appliedMigrations(store.db));
  const documentFiles = await checkDocumentFiles(store);
  const backups = (opts.backups ?? []).map((f) => checkAgainstBackup(store, f));
  const ok = integrity === 'ok' && audit.ok && pending.length === 0 && documentFiles.missing.length === 0 && backups.every((b) => b.ok);
  return { integrity, audit, pendingMigrations: pending, documentFiles, backups, ok };
}

/**
 * Puts the bytes of file-backed documents and imported files back into the copy's rows, so a backup is one
 * self-contained encrypted file that opens anywhere with the same key. A missing or damaged file fails the backup.
 */
async function inlineStoredFiles(ctx: AppContext, store: LocalStore, copy: string): Promise<void> {
  const rows = await store.db.selectFrom('documents').select(['id', 'file_name', 'file_ref']).where('file_ref', 'is not', null).orderBy('id').execute();
  const imported = await store.db.selectFrom('imported_files').select(['archive_id', 'path', 'file_ref']).where('file_ref', 'is not', null).orderBy('archive_id').orderBy('path').execute();
  if (rows.length === 0 && imported.length === 0) return;
  inlineIntoCopy(
    copy,
    store.dataKey,
    rows.map((r) => ({ id: r.id, bytes: () => Buffer.concat([...documentChunks(ctx, store, { ...r, content: Buffer.alloc(0) })]) })),
    imported.map((r) => ({ archiveId: r.archive_id, path: r.path, bytes: () => Buffer.concat([...documentChunks(ctx, store, { file_name: r.path, file_ref: r.file_ref, content: Buffer.alloc(0) })]) })),
  );
}

/**
 * Writes the copy's own audit head (read from the copy, so it is exactly what VACUUM INTO took) into the copy's
 * settings, signed with the chain's key. It travels with the file and survives a restore; `check --backup`
 * then holds the live chain against it.
 */
function stampHead(store: LocalStore, copy: string, takenAt: string): void {
  stampCopy(copy, store.dataKey, BACKUP_HEAD_KEY, (head) => JSON.stringify({ ...signHead(store.auditKey, head ?? { count: 0, id: 0, hash: GENESIS }), takenAt }));
}

/**
 * An encrypted, consistent, self-contained copy (VACUUM INTO keeps the key) written under a temp name, then renamed.
 * `system`: the automatic backups main makes on its own (at the day's first sign-in, on quit), which no
 * signed-in user's permission governs; never reachable from a channel.
 */
export async function backupTo(ctx: AppContext, target: string, opts: { system?: boolean } = {}): Promise<{ file: string }> {
  const actor = opts.system ? SYSTEM_ACTOR : requirePermission(ctx, 'settings.manage').username;
  const store = requireLocalStore(ctx);
  const file = resolve(target);
  if (existsSync(file)) throw new AppError('CONFLICT', ctx.t('errors.backupExists', { file }));
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    vacuumInto(store, tmp);
    await inlineStoredFiles(ctx, store, tmp);
    stampHead(store, tmp, ctx.nowIso());
    const fd = openSync(tmp, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
    // The recovery key's wrap beside the copy (the copy itself is encrypted with the key it wraps), so the
    // recovery key opens the copy on any machine: `dataKeyFromRecoveryKey(key, file)`.
    const kr = readKeyring(store.dir);
    if (kr.kind === 'ok' && kr.keyring.recovery) writeRecoveryFile(`${file}.recovery.json`, kr.keyring.keyCheck, kr.keyring.recovery);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The drive is gone: nothing is left under the final name either way.
    }
    throw backupWriteError(ctx, e, file);
  }
  await store.db.transaction().execute((trx) => recordAudit(trx, ctx.nowIso(), { actor, action: 'maintenance.backup', entity: 'store', entityId: store.file, detail: { to: file } }));
  return { file };
}
