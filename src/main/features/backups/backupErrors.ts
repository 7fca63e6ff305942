import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MessageKey } from '../../../shared/i18n';
import { AppError, type ErrorCode } from '../../../shared/ipc/errors';
import type { AppContext } from '../../kernel/context';

type Params = Record<string, string | number>;

/** An error whose message key and parameters are kept, so the list of backups can word it in the reader's language. */
export class BackupError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly key: MessageKey,
    readonly params: Params,
    field?: string,
  ) {
    super(code, message, field ? [{ path: field, message }] : undefined);
  }
}

export function backupError(ctx: AppContext, code: ErrorCode, key: MessageKey, params: Params = {}, field?: string): BackupError {
  return new BackupError(code, ctx.t(key, params), key, params, field);
}

/** The error's system code: Node's errno name, or SQLite's extended result code. */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Says why writing `file` failed, in words a user can act on: the folder (a USB stick) went away, the disk is
 * full, it cannot be written, or the drive reported an error. An AppError (a document's file missing) stays.
 */
export function backupWriteError(ctx: AppContext, e: unknown, file: string): AppError {
  if (e instanceof AppError) return e;
  const dir = dirname(file);
  const code = errorCode(e);
  if (!existsSync(dir)) return backupError(ctx, 'IO', 'backups.errors.folderGone', { dir });
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return backupError(ctx, 'IO', 'backups.errors.diskFull', { dir });
  if (['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PERM'].includes(code)) return backupError(ctx, 'IO', 'backups.errors.notWritable', { dir });
  if (code === 'EIO' || code === 'ENXIO' || code === 'ENODEV' || code.startsWith('SQLITE_IOERR')) return backupError(ctx, 'IO', 'backups.errors.deviceError', { dir });
  return backupError(ctx, 'IO', 'backups.errors.writeFailed', { file });
}
