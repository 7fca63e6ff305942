import type { Handlers } from '../../kernel/dispatch';
import { dailyBatchSettled, startDailyBatch } from '../../jobs/dailyBatch';
import type { AppContext } from '../../kernel/context';
import { autoBackupAfterSignIn, settleBackups } from '../backups/backups';
import { monthEndsAfterSignIn, monthEndsSettled } from '../managementReports/snapshots';
import { changePassword, heartbeat, lock, login, logout, recover, unlock } from './session';

/**
 * Once a sign-in, unlock or recovery has succeeded, and after it has been answered: the day's batch, then the
 * day's automatic backup (each only if not done today). Neither can fail the sign-in.
 */
async function thenDailyWork<T>(ctx: AppContext, signIn: Promise<T>): Promise<T> {
  const r = await signIn;
  void startDailyBatch(ctx);
  autoBackupAfterSignIn(ctx);
  // Missing month-end portfolio snapshots are taken in the background too.
  void monthEndsAfterSignIn(ctx);
  return r;
}

export const sessionHandlers: Handlers<
  'session.login' | 'session.logout' | 'session.lock' | 'session.unlock' | 'session.heartbeat' | 'session.changePassword' | 'session.recover'
> = {
  'session.login': (ctx, input) => thenDailyWork(ctx, login(ctx, input)),
  // A batch, a backup or month-end snapshots still under way finish before the store closes.
  'session.logout': async (ctx) => {
    await dailyBatchSettled(ctx);
    await monthEndsSettled(ctx);
    await settleBackups(ctx);
    return logout(ctx);
  },
  'session.lock': (ctx) => lock(ctx),
  'session.unlock': (ctx, input) => thenDailyWork(ctx, unlock(ctx, input)),
  'session.heartbeat': (ctx) => heartbeat(ctx),
  'session.changePassword': (ctx, input) => changePassword(ctx, input),
  'session.recover': (ctx, input) => thenDailyWork(ctx, recover(ctx, input)),
};
