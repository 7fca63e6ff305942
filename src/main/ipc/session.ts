import type { Handlers } from './register';
import { changePassword, heartbeat, lock, login, logout, recover, unlock } from '../services/session';

export const sessionHandlers: Handlers<
  'session.login' | 'session.logout' | 'session.lock' | 'session.unlock' | 'session.heartbeat' | 'session.changePassword' | 'session.recover'
> = {
  'session.login': (ctx, input) => login(ctx, input),
  'session.logout': (ctx) => logout(ctx),
  'session.lock': (ctx) => lock(ctx),
  'session.unlock': (ctx, input) => unlock(ctx, input),
  'session.heartbeat': (ctx) => heartbeat(ctx),
  'session.changePassword': (ctx, input) => changePassword(ctx, input),
  'session.recover': (ctx, input) => recover(ctx, input),
};
