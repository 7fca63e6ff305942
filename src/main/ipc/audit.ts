import type { Handlers } from './register';
import { listAudit, verifyAudit } from '../services/audit';

export const auditHandlers: Handlers<'audit.list' | 'audit.verify'> = {
  'audit.list': (ctx, input) => listAudit(ctx, input),
  'audit.verify': (ctx) => verifyAudit(ctx),
};
