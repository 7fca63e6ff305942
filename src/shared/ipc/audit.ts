import { z } from 'zod';
import { empty } from './fields';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  reason: string | null;
  detail: string;
}

export interface AuditCheck {
  ok: boolean;
  count: number;
  /** Id of the first entry whose hash does not match, when `ok` is false. */
  brokenAt: number | null;
}

export const auditChannels = {
  'audit.list': z.object({ limit: z.number().int().min(1).max(500), offset: z.number().int().min(0).max(1e9) }).strict(),
  'audit.verify': empty,
};

export interface AuditOutputs {
  'audit.list': { total: number; entries: AuditEntry[] };
  'audit.verify': AuditCheck;
}
