import type { Kysely } from 'kysely';
import { AppError } from '../../shared/ipc/errors';
import type { Database } from '../db/schema';
import type { AppContext } from './context';

/**
 * A decision on something that someone else has decided meanwhile, at another PC (or in another window): the
 * page the user acted on was stale. Refused with who did what and when, so that the user knows why and reloads.
 * Callers check before their transaction (the common case) and again in it, with an update guarded by the state
 * they read, so that two people deciding at the same moment cannot both succeed.
 */
export type StaleOutcome = 'approved' | 'rejected' | 'first-approved' | 'withdrawn' | 'changed';

export async function staleDecision(ctx: AppContext, db: Kysely<Database>, by: string | null, at: string | null, outcome: StaleOutcome): Promise<AppError> {
  const user = by ? await db.selectFrom('users').select('display_name').where('username', '=', by).executeTakeFirst() : undefined;
  const who = user ? `${user.display_name}（${by}）` : (by ?? '-');
  // Shown in China time, as the business day is.
  const when = at ? new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '-';
  return new AppError('CONFLICT', ctx.t('errors.staleDecision', { who, when, outcome: ctx.t(`errors.staleOutcome.${outcome}`) }));
}

/** The word for a decided row's status. */
export function outcomeOf(status: string): StaleOutcome {
  return status === 'approved' || status === 'rejected' || status === 'first-approved' || status === 'withdrawn' ? status : 'changed';
}
