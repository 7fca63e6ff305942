import type { Handlers } from '../../kernel/dispatch';
import { listAudit, verifyAudit } from './audit';
import * as lists from '../listExport/listExports';

export const auditHandlers: Handlers<'audit.list' | 'audit.verify' | 'audit.exportXlsx'> = {
  'audit.list': (ctx, input) => listAudit(ctx, input),
  'audit.verify': (ctx) => verifyAudit(ctx),
  'audit.exportXlsx': (ctx, input) => lists.exportAudit(ctx, input),
};
