import { CompiledQuery, type Transaction } from 'kysely';
import type { AuditCheck, AuditEntry, ChainHead } from '../../shared/ipc/audit';
import { AppError } from '../../shared/ipc/errors';
import { APPEND_SQL, appendParams, headGenuine, headOnChain, readHead, walkChain, type AuditInput, type SignedHead } from '../db/auditChain';
import { keyringPath, readKeyring } from '../db/keyring';
import { forceAuditHead } from './auditHead';
import type { Database } from '../db/schema';
import type { AppContext } from './context';
import { requirePermission } from './session';
import { requireStore, type Store } from './store';

export type { AuditInput };

/**
 * Appends one entry to the chain, inside the transaction that makes the change (BEGIN IMMEDIATE, so writers
 * queue). The statement reads the head and computes the HMAC itself; the triggers of migration 0016 refuse an
 * entry that does not follow the head, so the chain cannot fork.
 */
export async function recordAudit(trx: Transaction<Database>, at: string, input: AuditInput): Promise<void> {
  if (!trx.isTransaction) throw new Error('an audit entry must be written in the transaction that makes the change');
  await trx.executeQuery(CompiledQuery.raw(APPEND_SQL, appendParams(at, input)));
}

const shown = (h: { count: number; hash: string } | null): ChainHead | null => (h ? { count: h.count, hash: h.hash } : null);

/**
 * The chain on its own (every link and HMAC), then against the head kept outside: that head must be genuine
 * and be this chain's entry number `count`. The database may be ahead of it only by entries that chain on
 * from it (a head update lost in a crash); behind it, or off it, is tampering or a restored older copy.
 */
export function checkAuditChain(store: Store, outside: SignedHead | null): AuditCheck {
  const walk = walkChain(store.sqlite, store.auditKey);
  const base = { count: walk.count, head: shown(walk.head), outside: shown(outside), lag: 0, legacyForks: walk.legacyForks };
  if (walk.problem) return { ...base, ok: false, problem: walk.problem, brokenAt: walk.brokenAt };
  const fail = (problem: AuditCheck['problem']): AuditCheck => ({ ...base, ok: false, problem, brokenAt: null });
  if (!outside) return { ...base, ok: true, problem: null, brokenAt: null };
  if (!headGenuine(store.auditKey, outside)) return fail('headForged');
  if (outside.count > walk.count) return fail('headAhead');
  if (!headOnChain(store.sqlite, outside)) return fail('headOffChain');
  return { ...base, ok: true, problem: null, brokenAt: null, lag: walk.count - outside.count };
}

export function outsideHead(store: Store): SignedHead | null {
  const kr = readKeyring(store.dir);
  return kr.kind === 'ok' ? kr.keyring.auditHead : null;
}

export async function verifyAuditChain(store: Store): Promise<AuditCheck> {
  return checkAuditChain(store, outsideHead(store));
}

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
  const walk = walkChain(store.sqlite, store.auditKey);
  if (walk.problem) throw new AppError('RULE_VIOLATION', ctx.t('errors.auditChainBroken', { id: walk.brokenAt ?? '?' }));
  const previous = outsideHead(store);
  await store.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.nowIso(), {
      actor: s.username,
      action: 'audit.reanchor',
      entity: 'audit',
      entityId: 'audit_log',
      reason: input.reason,
      detail: { previous: previous && { count: previous.count, id: previous.id, hash: previous.hash }, database: readHead(store.sqlite) },
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
