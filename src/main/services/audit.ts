import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AuditCheck, AuditEntry } from '../../shared/ipc/audit';
import type { Database } from '../db/schema';
import type { AppContext } from './context';
import { requirePermission } from './session';
import { requireStore } from './store';

const GENESIS = '0'.repeat(64);

export interface AuditInput {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  reason?: string | null;
  detail?: unknown;
}

interface Hashable {
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  detail: string;
  prev_hash: string;
}

function hashOf(r: Hashable): string {
  const fields = [r.prev_hash, r.at, r.actor, r.action, r.entity, r.entity_id, r.reason ?? '', r.detail];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Appends one entry to the hash chain; call inside the transaction that makes the change. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, at: string, input: AuditInput): Promise<void> {
  const last = await db.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const row: Hashable = {
    at,
    actor: input.actor,
    action: input.action,
    entity: input.entity,
    entity_id: input.entityId,
    reason: input.reason ?? null,
    detail: JSON.stringify(input.detail ?? {}),
    prev_hash: last?.hash ?? GENESIS,
  };
  await db
    .insertInto('audit_log')
    .values({ ...row, hash: hashOf(row) })
    .execute();
}

/** Recomputes the chain; the first entry whose link or hash is wrong is reported. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditCheck> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('id', 'asc').execute();
  let prev = GENESIS;
  for (const r of rows) {
    if (r.prev_hash !== prev || hashOf(r) !== r.hash) return { ok: false, count: rows.length, brokenAt: r.id };
    prev = r.hash;
  }
  return { ok: true, count: rows.length, brokenAt: null };
}

export async function verifyAudit(ctx: AppContext): Promise<AuditCheck> {
  requirePermission(ctx, 'audit.verify');
  return verifyAuditChain(requireStore(ctx).db);
}

export async function listAudit(ctx: AppContext, input: { limit: number; offset: number }): Promise<{ total: number; entries: AuditEntry[] }> {
  requirePermission(ctx, 'audit.verify');
  const { db } = requireStore(ctx);
  const total = (await db.selectFrom('audit_log').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(input.limit).offset(input.offset).execute();
  return {
    total,
    entries: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      reason: r.reason,
      detail: r.detail,
    })),
  };
}
