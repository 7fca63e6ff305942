import type { Handlers } from './register';
import { confirmPendingRecoveryKey, keysStatus, newRecoveryKey, pendingRecoveryKeyPdf, startRotation } from '../services/rotation';
import { appInfo } from '../services/setup';

export const keysHandlers: Handlers<'keys.status' | 'keys.rotate' | 'keys.newRecoveryKey' | 'keys.recoveryKeyPdf' | 'keys.confirmRecoveryKey'> = {
  'keys.status': (ctx) => keysStatus(ctx),
  'keys.rotate': (ctx, input) => startRotation(ctx, { resetLegacyUsers: input.resetLegacyUsers }),
  'keys.newRecoveryKey': (ctx) => newRecoveryKey(ctx),
  'keys.recoveryKeyPdf': (ctx) => pendingRecoveryKeyPdf(ctx),
  'keys.confirmRecoveryKey': (ctx) => confirmPendingRecoveryKey(ctx, () => appInfo(ctx)),
};
