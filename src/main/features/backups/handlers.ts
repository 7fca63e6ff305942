import { dailyBatchSettled } from '../../jobs/dailyBatch';
import type { Handlers } from '../../kernel/dispatch';
import { backupNow, backupSettings, backupStatus, listBackups, saveBackupSettings } from './backups';
import { inspectBackup, restoreStatus, startRestore } from './restore';

export const backupsHandlers: Handlers<
  'backups.status' | 'backups.list' | 'backups.settings' | 'backups.saveSettings' | 'backups.create' | 'backups.inspect' | 'backups.restoreStart' | 'backups.restoreStatus'
> = {
  'backups.status': (ctx) => backupStatus(ctx),
  'backups.list': (ctx) => listBackups(ctx),
  'backups.settings': (ctx) => backupSettings(ctx),
  'backups.saveSettings': (ctx, input) => saveBackupSettings(ctx, input),
  'backups.create': (ctx, input) => backupNow(ctx, input),
  'backups.inspect': (ctx, input) => inspectBackup(ctx, input),
  // A restore replaces the database: the batch's worker, on its own connection, finishes first.
  'backups.restoreStart': async (ctx, input) => {
    await dailyBatchSettled(ctx);
    return startRestore(ctx, input);
  },
  'backups.restoreStatus': (ctx, input) => restoreStatus(ctx, input),
};
