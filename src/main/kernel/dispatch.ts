import type { z } from 'zod';
import { allows } from '../../shared/ipc/access';
import { access, contract, type Channel, type Output } from '../../shared/ipc/contract';
import { AppError, type Result } from '../../shared/ipc/errors';
import { can } from '../../shared/permissions';
import type { AppContext } from './context';
import { requireSession } from './authz';
import { fieldIssues } from './validate';

export type Handler<C extends Channel> = (ctx: AppContext, input: z.output<(typeof contract)[C]>) => Promise<Output<C>> | Output<C>;
export type Handlers<C extends Channel> = { [K in C]: Handler<K> };

export type Dispatch = (channel: string, input: unknown) => Promise<Result<unknown>>;

export interface Logger {
  error(message: string, err?: unknown): void;
}

/**
 * A feature's veto on calls while it holds the store (a restore replacing it, a key rotation under way): the refusal, or
 * nothing. The features hand theirs to the dispatcher, so the kernel knows none of them. `beforeAccess` guards run before
 * the session and permission checks (a restore leaves no session to check), the others after.
 */
export interface Guard {
  beforeAccess?: boolean;
  check(ctx: AppContext, channel: Channel): AppError | undefined;
}

const consoleLogger: Logger = { error: (m, e) => console.error(m, e) };

/**
 * The one path every call takes, from Electron IPC or the test bridge:
 * known channel → zod validation → the features' guards and the channel's declaration (session, permission) → handler → Result envelope.
 * Handlers keep their finer checks (an officer's own loans and borrowers, maker and checker).
 */
export function createDispatcher(ctx: AppContext, handlers: Handlers<Channel>, log: Logger = consoleLogger, guards: readonly Guard[] = []): Dispatch {
  const before = guards.filter((g) => g.beforeAccess);
  const after = guards.filter((g) => !g.beforeAccess);
  return async (channel, raw) => {
    if (!Object.hasOwn(contract, channel)) return fail('NOT_FOUND', ctx.t('errors.unknownChannel'));
    const ch = channel as Channel;
    const parsed = contract[ch].safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      return { ok: false, error: { code: 'VALIDATION', message: ctx.t('validation.invalidInput'), issues: fieldIssues(ctx, parsed.error) } };
    }
    for (const g of before) {
      const refused = g.check(ctx, ch);
      if (refused) return fail(refused.code, refused.message);
    }
    try {
      const rule = access[ch];
      if (rule.who !== 'public') {
        const s = requireSession(ctx);
        if (!allows(rule, (p) => can(s.roles, p))) throw new AppError('FORBIDDEN', ctx.t('errors.forbidden'));
      }
      for (const g of after) {
        const refused = g.check(ctx, ch);
        if (refused) throw refused;
      }
      const handler = handlers[ch] as Handler<Channel>;
      return { ok: true, value: await handler(ctx, parsed.data as never) };
    } catch (caught) {
      const e = await explainFailure(ctx, caught);
      if (e instanceof AppError) {
        return { ok: false, error: { code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}), ...(e.ref ? { ref: e.ref } : {}) } };
      }
      log.error(`[ipc] ${ch} failed`, e);
      return fail('INTERNAL', ctx.t('errors.internal'));
    }
  };
}

/**
 * On the branch server, a PC that signed in before a key rotation holds the old key: its writes are refused by the
 * store, but a document re-sealed under the new key would fail to open as if it were damaged. An I/O failure is
 * therefore checked against the branch's key first, and named for what it is: sign in again. Background jobs
 * (an archive export) word their failures through this too.
 */
export async function explainFailure(ctx: AppContext, e: unknown): Promise<unknown> {
  const store = ctx.store;
  if (!(e instanceof AppError) || e.code !== 'IO' || store?.kind !== 'branch') return e;
  const retired = await store.keyRetired().catch(() => false);
  return retired ? new AppError('CONFLICT', ctx.t('errors.branchKeyRotated')) : e;
}

function fail(code: AppError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
