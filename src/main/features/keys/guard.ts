import type { Guard } from '../../kernel/dispatch';
import { AppError } from '../../../shared/ipc/errors';
import { rotationBlocks } from './rotation';

/** A key rotation under way: documents may be under either key, so only the keys page and the session work. */
export const rotationGuard: Guard = {
  check: (ctx, channel) => (rotationBlocks(ctx, channel) ? new AppError('CONFLICT', ctx.t('errors.rotationUnfinished')) : undefined),
};
