import { AppError } from '../../shared/ipc/errors';
import type { AppContext } from './context';
import type { LocalStore, Store } from './store';

/**
 * What services need of an open store, apart from opening it: store.ts re-exports these. A module of its own so
 * that the daily batch's worker thread (jobs/batchWorker.ts) does not load the migrations, the folder lock and the
 * keyring with them (its start is part of the batch's time).
 */

export function requireStore(ctx: AppContext): Store {
  if (!ctx.store) throw new AppError('LOCKED', ctx.t('errors.notLoggedIn'));
  return ctx.store;
}

/**
 * The open store when it is the single-PC one. What still works only there (the keyring file, document files,
 * backups of the SQLite file, key rotation, the batch's worker thread) asks for it here, so that on the
 * branch server it is refused with a clear message instead of failing half-way; the types show which code that is.
 */
export function requireLocalStore(ctx: AppContext): LocalStore {
  return localOnly(ctx, requireStore(ctx));
}

export function localOnly(ctx: Pick<AppContext, 't'>, store: Store): LocalStore {
  if (store.kind !== 'local') throw new AppError('RULE_VIOLATION', ctx.t('errors.branchUnsupported'));
  return store;
}
