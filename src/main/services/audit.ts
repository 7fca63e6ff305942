import type { AuditCheck, AuditEntry, ChainHead } from '../../shared/ipc/audit';
import { AppError } from '../../shared/ipc/errors';
import { readHead, walkChain, type SignedHead } from '../db/auditChain';
import { keyringPath } from '../db/keyring';
import { outsideHead, recordAudit, verifyAuditChain } from '../kernel/audit';
import { forceAuditHead } from '../kernel/auditHead';
import { requirePermission } from '../kernel/authz';
import type { AppContext } from '../kernel/context';
import { requireStore } from '../kernel/store';

/** The audit channels: verify the chain, list it, and re-anchor the head after a deliberate restore. */
export async function verifyAudit(ctx: AppContext): Promise<AuditCheck> {
  requirePermission(ctx, 'audit.verify');
  return verifyAuditChain(requireStore(ctx));
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

/**
 * After a deliberate restore of an older copy the head outside is ahead of the database, and `check` says so,
 * as it must: that is what truncation looks like. An administrator accepts it here. An entry records the head
 * being replaced (so the chain itself shows it), then the keyring takes the database's head. A chain that is
 * broken in itself is refused: re-anchoring does not paper over an altered entry.
 */
export async function reanchorAudit(ctx: AppContext, input: { reason: string }): Promise<ChainHead> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const walk = walkChain(store, store.auditKey);
  if (walk.problem) throw new AppError('RULE_VIOLATION', ctx.t('errors.auditChainBroken', { id: walk.brokenAt ?? '?' }));
  const previous = outsideHead(store);
  await store.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.nowIso(), {
      actor: s.username,
      action: 'audit.reanchor',
      entity: 'audit',
      entityId: 'audit_log',
      reason: input.reason,
      detail: { previous: previous && { count: previous.count, id: previous.id, hash: previous.hash }, database: readHead(store) },
    }),
  );
  let head: SignedHead | null;
  try {
    head = forceAuditHead(store);
  } catch {
    throw new AppError('IO', ctx.t('errors.keyringWrite', { file: keyringPath(store.dir) }));
  }
  if (!head) throw new AppError('IO', ctx.t('errors.keyringDamaged', { file: keyringPath(store.dir) }));
  return { count: head.count, hash: head.hash };
}
