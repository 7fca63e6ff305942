import type { Permission } from '../permissions';

/**
 * Who may call a channel:
 * - `'public'`: anyone, with or without a session (first-run setup, login, the app's own state);
 * - `'signed-in'`: any user with an unlocked session, whatever their roles;
 * - a list of permissions: a signed-in user holding at least one of them.
 */
export type Caller = 'public' | 'signed-in' | readonly [Permission, ...Permission[]];

/**
 * The data an officer's call is limited to, beyond the permission: the handler refuses a loan the officer
 * does not hold (and everything hanging off it: reports, notices, documents…), or a borrower they do not
 * manage. Other business roles see the branch. The dispatcher leaves this to the handler; the role × channel
 * test calls every scoped channel as one officer on another officer's records.
 */
export type Scope = 'loan' | 'borrower';

/** What a channel declares beside its schema; main's dispatcher enforces `who` before the handler runs. */
export interface Access {
  who: Caller;
  /** Whether a call changes stored data (database, files, keyring, config). A read leaves them as they were. */
  write: boolean;
  scope?: Scope;
}

/** One permission, or several of which any one suffices; or `'public'` / `'signed-in'`. */
type Who = Permission | readonly [Permission, ...Permission[]] | 'public' | 'signed-in';

function declare(who: Who, write: boolean, scope?: Scope): Access {
  const caller: Caller = who === 'public' || who === 'signed-in' ? who : typeof who === 'string' ? [who as Permission] : (who as Caller);
  return scope ? { who: caller, write, scope } : { who: caller, write };
}

/** A channel that only reads. */
export const reads = (who: Who, scope?: Scope): Access => declare(who, false, scope);
/** A channel that changes stored data. */
export const writes = (who: Who, scope?: Scope): Access => declare(who, true, scope);

/** One declaration for each channel of a feature: `satisfies AccessOf<typeof xChannels>` fails on a missing or unknown channel. */
export type AccessOf<Channels> = { readonly [K in keyof Channels]: Access };

/** Whether a user with these permissions may call a channel so declared (the session itself is checked apart). */
export function allows(a: Access, has: (p: Permission) => boolean): boolean {
  return a.who === 'public' || a.who === 'signed-in' || a.who.some(has);
}
