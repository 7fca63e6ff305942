import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../shared/ipc/errors';
import { appliedMigrations, pendingMigrations } from '../db/migrate';
import { recordAudit, verifyAuditChain } from './audit';
import type { AppContext } from './context';
import { requirePermission } from './session';
import { requireStore } from './store';

export interface CheckReport {
  integrity: string;
  audit: { ok: boolean; count: number; brokenAt: number | null };
  pendingMigrations: string[];
  ok: boolean;
}

/** SQLite's own integrity check, the audit hash chain, and whether every migration has run. */
export async function runChecks(ctx: AppContext): Promise<CheckReport> {
  requirePermission(ctx, 'audit.verify');
  const store = requireStore(ctx);
  const rows = store.sqlite.pragma('integrity_check') as { integrity_check: string }[];
  const integrity = rows.map((r) => r.integrity_check).join('; ');
  const audit = await verifyAuditChain(store.db);
  const pending = pendingMigrations(await appliedMigrations(store.db));
  return { integrity, audit, pendingMigrations: pending, ok: integrity === 'ok' && audit.ok && pending.length === 0 };
}

/** An encrypted, consistent copy (VACUUM INTO keeps the key) written under a temp name, then renamed. */
export async function backupTo(ctx: AppContext, target: string): Promise<{ file: string }> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const file = resolve(target);
  if (existsSync(file)) throw new AppError('CONFLICT', ctx.t('errors.backupExists', { file }));
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    store.sqlite.prepare('VACUUM INTO ?').run(tmp);
    const fd = openSync(tmp, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
    throw new AppError('IO', ctx.t('errors.backupFailed', { file }));
  }
  await recordAudit(store.db, ctx.nowIso(), { actor: s.username, action: 'maintenance.backup', entity: 'store', entityId: store.file, detail: { to: file } });
  return { file };
}
