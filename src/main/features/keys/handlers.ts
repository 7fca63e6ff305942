import type { Handlers } from '../../kernel/dispatch';
import { dailyBatchSettled } from '../../jobs/dailyBatch';
import { confirmPendingRecoveryKey, keysStatus, newRecoveryKey, pendingRecoveryKeyPdf, startRotation } from './rotation';
import { appInfo } from '../app/setup';

export const keysHandlers: Handlers<'keys.status' | 'keys.rotate' | 'keys.newRecoveryKey' | 'keys.recoveryKeyPdf' | 'keys.confirmRecoveryKey'> = {
  'keys.status': (ctx) => keysStatus(ctx),
  // The batch's worker holds its own connection while it runs; the rotation, which needs the database alone, waits for it.
  'keys.rotate': async (ctx, input) => {
    await dailyBatchSettled(ctx);
    return startRotation(ctx, { resetLegacyUsers: input.resetLegacyUsers });
  },
  'keys.newRecoveryKey': (ctx) => newRecoveryKey(ctx),
  'keys.recoveryKeyPdf': (ctx) => pendingRecoveryKeyPdf(ctx),
  'keys.confirmRecoveryKey': (ctx) => confirmPendingRecoveryKey(ctx, () => appInfo(ctx)),
};
