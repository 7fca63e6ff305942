import type { Handlers } from './register';
import { autoBackupAfterSignIn, settleBackups } from '../services/backups';
import { monthEndsAfterSignIn } from '../features/managementReports/snapshots';
import { changePassword, heartbeat, lock, login, logout, recover, unlock } from '../services/session';
import type { AppContext } from '../services/context';

/** The day's automatic backup starts after a sign-in, unlock or recovery has been answered, never before. */
async function thenBackup<T>(ctx: AppContext, signIn: Promise<T>): Promise<T> {
  const r = await signIn;
  autoBackupAfterSignIn(ctx);
  // Missing month-end portfolio snapshots are taken in the background too.
  void monthEndsAfterSignIn(ctx);
  return r;
}

export const sessionHandlers: Handlers<
  'session.login' | 'session.logout' | 'session.lock' | 'session.unlock' | 'session.heartbeat' | 'session.changePassword' | 'session.recover'
> = {
  'session.login': (ctx, input) => thenBackup(ctx, login(ctx, input)),
  // A backup still being written or verified finishes before the store closes.
  'session.logout': async (ctx) => {
    await settleBackups(ctx);
    return logout(ctx);
  },
  'session.lock': (ctx) => lock(ctx),
  'session.unlock': (ctx, input) => thenBackup(ctx, unlock(ctx, input)),
  'session.heartbeat': (ctx) => heartbeat(ctx),
  'session.changePassword': (ctx, input) => changePassword(ctx, input),
  'session.recover': (ctx, input) => thenBackup(ctx, recover(ctx, input)),
};
