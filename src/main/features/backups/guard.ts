import type { Channel } from '../../../shared/ipc/contract';
import { AppError } from '../../../shared/ipc/errors';
import type { Guard } from '../../kernel/dispatch';
import { restoreRunning } from './restore';

const OPEN_DURING_RESTORE: ReadonlySet<Channel> = new Set<Channel>(['backups.restoreStatus', 'app.info', 'app.setLocale', 'session.heartbeat']);

/** While a restore replaces the store, nothing else may read or write it (checked before the session: there may be none). */
export const restoreGuard: Guard = {
  beforeAccess: true,
  check: (ctx, channel) => (restoreRunning(ctx) && !OPEN_DURING_RESTORE.has(channel) ? new AppError('CONFLICT', ctx.t('backups.errors.restoreRunning')) : undefined),
};
