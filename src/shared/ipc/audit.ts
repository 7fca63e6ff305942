import { z } from 'zod';
import { empty } from './fields';
import { reads, type AccessOf } from './access';

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

/** Who may call each channel, and whether it writes (see access.ts). */
export const auditAccess = {
  'audit.list': reads('audit.verify'),
  'audit.verify': reads('audit.verify'),
} satisfies AccessOf<typeof auditChannels>;

export interface AuditOutputs {
  'audit.list': { total: number; entries: AuditEntry[] };
  'audit.verify': AuditCheck;
}
