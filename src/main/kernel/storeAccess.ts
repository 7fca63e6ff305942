import { AppError } from '../../shared/ipc/errors';
import type { AppContext } from './context';
import type { Store } from './store';

/**
 * What services need of an open store, apart from opening it: store.ts re-exports these. A module of its own so
 * that the daily batch's worker thread (jobs/batchWorker.ts) does not load the migrations, the folder lock and the
 * keyring with them (its start is part of the batch's time).
 */

export function requireStore(ctx: AppContext): Store {
  if (!ctx.store) throw new AppError('LOCKED', ctx.t('errors.notLoggedIn'));
  return ctx.store;
}
