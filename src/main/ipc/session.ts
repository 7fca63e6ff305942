import type { Handlers } from './register';
import { dailyBatchSettled, startDailyBatch } from '../jobs/dailyBatch';
import type { AppContext } from '../kernel/context';
import { changePassword, heartbeat, lock, login, logout, recover, unlock } from '../services/session';

/** The day's batch starts once a sign-in, unlock or recovery has succeeded; it runs after the answer. */
async function thenDailyBatch<T>(ctx: AppContext, signIn: Promise<T>): Promise<T> {
  const r = await signIn;
  void startDailyBatch(ctx);
  return r;
}

export const sessionHandlers: Handlers<
  'session.login' | 'session.logout' | 'session.lock' | 'session.unlock' | 'session.heartbeat' | 'session.changePassword' | 'session.recover'
> = {
  'session.login': (ctx, input) => thenDailyBatch(ctx, login(ctx, input)),
  // A batch under way finishes before the store closes.
  'session.logout': async (ctx) => {
    await dailyBatchSettled(ctx);
    return logout(ctx);
  },
  'session.lock': (ctx) => lock(ctx),
  'session.unlock': (ctx, input) => thenDailyBatch(ctx, unlock(ctx, input)),
  'session.heartbeat': (ctx) => heartbeat(ctx),
  'session.changePassword': (ctx, input) => changePassword(ctx, input),
  'session.recover': (ctx, input) => thenDailyBatch(ctx, recover(ctx, input)),
};
