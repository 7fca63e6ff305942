import { dailyBatchSettled } from '../../jobs/dailyBatch';
import type { Handlers } from '../../kernel/dispatch';
import { backupNow, backupSettings, backupStatus, listBackups, saveBackupSettings } from './backups';
import { inspectBackup, restoreStatus, startRestore } from './restore';
import { moveFromApp, moveProgress, switchToServer } from './moveToServer';

export const backupsHandlers: Handlers<
  'backups.status' | 'backups.list' | 'backups.settings' | 'backups.saveSettings' | 'backups.create' | 'backups.inspect' | 'backups.restoreStart' | 'backups.restoreStatus' | 'backups.moveToServer' | 'backups.moveStatus' | 'backups.switchToServer'
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
  // Reads the store while the batch may be writing: it finishes first, so the copy is of one settled state.
  'backups.moveToServer': async (ctx, input) => {
    await dailyBatchSettled(ctx);
    return moveFromApp(ctx, input);
  },
  'backups.moveStatus': (ctx) => moveProgress(ctx),
  'backups.switchToServer': (ctx, input) => switchToServer(ctx, input),
};
