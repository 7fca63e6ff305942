import type { z } from 'zod';
import { allows } from '../../shared/ipc/access';
import { access, contract, type Channel, type Output } from '../../shared/ipc/contract';
import { AppError, type Result } from '../../shared/ipc/errors';
import { can } from '../../shared/permissions';
import type { AppContext } from '../kernel/context';
import { rotationBlocks } from '../services/rotation';
import { restoreRunning } from '../services/restore';
import { requireSession } from '../kernel/authz';
import { fieldIssues } from './validate';

export type Handler<C extends Channel> = (ctx: AppContext, input: z.output<(typeof contract)[C]>) => Promise<Output<C>> | Output<C>;
export type Handlers<C extends Channel> = { [K in C]: Handler<K> };

export type Dispatch = (channel: string, input: unknown) => Promise<Result<unknown>>;

export interface Logger {
  error(message: string, err?: unknown): void;
}

const OPEN_DURING_RESTORE: ReadonlySet<Channel> = new Set<Channel>(['backups.restoreStatus', 'app.info', 'app.setLocale', 'session.heartbeat']);

const consoleLogger: Logger = { error: (m, e) => console.error(m, e) };

/**
 * The one path every call takes, from Electron IPC or the test bridge:
 * known channel → zod validation → the channel's declaration (session, permission) → service → Result envelope.
 * Handlers keep their finer checks (an officer's own loans and borrowers, maker and checker).
 */
export function createDispatcher(ctx: AppContext, handlers: Handlers<Channel>, log: Logger = consoleLogger): Dispatch {
  return async (channel, raw) => {
    if (!Object.hasOwn(contract, channel)) return fail('NOT_FOUND', ctx.t('errors.unknownChannel'));
    const ch = channel as Channel;
    const parsed = contract[ch].safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      return { ok: false, error: { code: 'VALIDATION', message: ctx.t('validation.invalidInput'), issues: fieldIssues(ctx, parsed.error) } };
    }
    // While a restore replaces the store, nothing else may read or write it.
    if (restoreRunning(ctx) && !OPEN_DURING_RESTORE.has(ch)) return fail('CONFLICT', ctx.t('backups.errors.restoreRunning'));
    try {
      const rule = access[ch];
      if (rule.who !== 'public') {
        const s = requireSession(ctx);
        if (!allows(rule, (p) => can(s.roles, p))) throw new AppError('FORBIDDEN', ctx.t('errors.forbidden'));
      }
      // A key rotation under way: documents may be under either key, so only the keys page and the session work.
      if (rotationBlocks(ctx, ch)) throw new AppError('CONFLICT', ctx.t('errors.rotationUnfinished'));
      const handler = handlers[ch] as Handler<Channel>;
      return { ok: true, value: await handler(ctx, parsed.data as never) };
    } catch (e) {
      if (e instanceof AppError) {
        return { ok: false, error: { code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}), ...(e.ref ? { ref: e.ref } : {}) } };
      }
      log.error(`[ipc] ${ch} failed`, e);
      return fail('INTERNAL', ctx.t('errors.internal'));
    }
  };
}

function fail(code: AppError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
