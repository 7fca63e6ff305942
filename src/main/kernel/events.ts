import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { AppContext } from './context';
import type { Store } from './store';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * What one feature announces and others react to, instead of importing each other: the daily batch does not know
 * that inspections are re-planned or warnings detected after it; it says what happened. Handlers run in the
 * caller's transaction (`db`) when there is one, so a reaction commits with the change or not at all.
 */
export interface KernelEvents {
  /** Loans whose effective class moved: the daily batch, an approved manual class. */
  'loans.classChanged': { ctx: AppContext; db: Db; loanIds: number[] };
  /** A borrower's customer tier changed; `loanIds` are its active loans. */
  'borrowers.tierChanged': { ctx: AppContext; db: Db; borrowerId: number; loanIds: number[] };
  /** The daily batch stored every active loan's status as of `asOf` (committed). */
  'batch.statusesStored': { ctx: AppContext; store: Store; asOf: string; actor: string };
  /** Serious warnings were raised (by hand or by the batch's detection), inside `db`'s transaction. */
  'warnings.seriousRaised': { ctx: AppContext; db: Db; warnings: { id: number; loanId: number }[] };
  /** A contact just recorded meets the 3-3-3 loss-of-contact rule, inside `db`'s transaction. */
  'contacts.lostContact': { ctx: AppContext; db: Db; loanId: number; owner: string; actor: string; progress: { numbers: number; slots: number; attempts: number }; lastOn: string };
  /** A debtor's payment reached the factoring seller instead of the collection account, inside `db`'s transaction. */
  'factoring.misdirectedPayment': { ctx: AppContext; db: Db; loanId: number; owner: string; actor: string; invoiceNo: string; debtor: string; amountFen: number; paidOn: string };
  /** A receivable was diluted (a credit note, a return) or disputed, inside `db`'s transaction. */
  'factoring.diluted': { ctx: AppContext; db: Db; loanId: number; owner: string; actor: string; kind: 'credit-note' | 'return' | 'dispute'; invoiceNo: string; debtor: string; amountFen: number; on: string };
}

export type EventName = keyof KernelEvents;
type Handler<E extends EventName> = (payload: KernelEvents[E]) => Promise<void> | void;

const handlers = new Map<EventName, Handler<never>[]>();

/** Subscribes a reaction; returns a function that removes it. Reactions run in the order they were subscribed. */
export function on<E extends EventName>(event: E, handler: Handler<E>): () => void {
  const list = (handlers.get(event) ?? []) as Handler<E>[];
  list.push(handler);
  handlers.set(event, list as Handler<never>[]);
  return () => {
    const i = list.indexOf(handler);
    if (i >= 0) list.splice(i, 1);
  };
}

/**
 * Runs every reaction to `event`, one after the other, and fails with the first that fails (the caller's
 * transaction then rolls back). An event nobody listens to is a wiring mistake, not a quiet no-op: each process
 * subscribes the reactions once (`src/main/reactions.ts`) before it handles a call.
 */
export async function emit<E extends EventName>(event: E, payload: KernelEvents[E]): Promise<void> {
  const list = handlers.get(event) as Handler<E>[] | undefined;
  if (!list || list.length === 0) throw new Error(`no reaction subscribed to ${event}: import src/main/reactions.ts first`);
  for (const h of list.slice()) await h(payload);
}
