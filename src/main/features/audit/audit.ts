import { sql } from 'kysely';
import type { AuditCheck, AuditEntry, AuditFilters, ChainHead } from '../../../shared/ipc/audit';
import { AppError } from '../../../shared/ipc/errors';
import { readHead, walkChain, type SignedHead } from '../../db/auditChain';
import { witnessHead } from '../../kernel/branchWitness';
import { readHeadOf, walkChainOf } from '../../db/auditLog';
import { keyringPath } from '../../db/keyring';
import { containsText, jsonNumber } from '../../db/dialect';
import { outsideHead, recordAudit, verifyAuditChain } from '../../kernel/audit';
import { forceAuditHead } from '../../kernel/auditHead';
import { requirePermission } from '../../kernel/authz';
import type { AppContext } from '../../kernel/context';
import { requireLocalStore, requireStore, type BranchStore, type Store } from '../../kernel/store';

/** The audit channels: verify the chain, list it, and re-anchor the head after a deliberate restore. */
export async function verifyAudit(ctx: AppContext): Promise<AuditCheck> {
  requirePermission(ctx, 'audit.verify');
  return verifyAuditChain(requireStore(ctx));
}

/** The instant a business date (Beijing time, UTC+8) starts, as the log records instants. */
const dayStarts = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The log narrowed by the page's filters, in SQL. */
function filtered(db: Store['db'], f: AuditFilters) {
  let q = db.selectFrom('audit_log as a');
  if (f.actor) q = q.where('a.actor', '=', f.actor);
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.from) q = q.where('a.at', '>=', dayStarts(f.from));
  if (f.to) q = q.where('a.at', '<', dayStarts(nextDay(f.to)));
  if (f.contractNo) {
    const text = f.contractNo;
    const loans = db.selectFrom('loans').where((eb) => containsText(eb.ref('contract_no'), text));
    // The loan's own entries, and those about something of the loan that name it in their detail.
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('a.entity', '=', 'loan'), eb('a.entity_id', 'in', loans.select(sql<string>`CAST(id AS TEXT)`.as('id')))]),
        eb(jsonNumber(eb.ref('a.detail'), 'loanId'), 'in', loans.select('id')),
      ]),
    );
  }
  return q;
}

/** The loan an entry is about: its entity, or a loanId in its detail. */
function loanOf(entity: string, entityId: string, detail: string): number | null {
  if (entity === 'loan') return /^\d+$/.test(entityId) ? Number(entityId) : null;
  try {
    const d = JSON.parse(detail) as { loanId?: unknown };
    return typeof d?.loanId === 'number' && Number.isSafeInteger(d.loanId) ? d.loanId : null;
  } catch {
    return null;
  }
}

export async function listAudit(ctx: AppContext, input: AuditFilters & { limit: number; offset: number }): Promise<{ total: number; entries: AuditEntry[] }> {
  requirePermission(ctx, 'audit.verify');
  const { db } = requireStore(ctx);
  const total = (await filtered(db, input).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const rows = await filtered(db, input).selectAll('a').orderBy('a.id', 'desc').limit(input.limit).offset(input.offset).execute();
  // The records named in words: loans by contract number, borrowers by name, users by display name.
  const loanIds = [...new Set(rows.map((r) => loanOf(r.entity, r.entity_id, r.detail)).filter((x): x is number => x !== null))];
  const borrowerIds = [...new Set(rows.filter((r) => r.entity === 'borrower' && /^\d+$/.test(r.entity_id)).map((r) => Number(r.entity_id)))];
  const usernames = [...new Set(rows.filter((r) => r.entity === 'user').map((r) => r.entity_id))];
  const contracts = new Map(loanIds.length ? (await db.selectFrom('loans').select(['id', 'contract_no']).where('id', 'in', loanIds).execute()).map((l) => [l.id, l.contract_no]) : []);
  const borrowers = new Map(borrowerIds.length ? (await db.selectFrom('borrowers').select(['id', 'name']).where('id', 'in', borrowerIds).execute()).map((b) => [b.id, b.name]) : []);
  const users = new Map(usernames.length ? (await db.selectFrom('users').select(['username', 'display_name']).where('username', 'in', usernames).execute()).map((u) => [u.username, u.display_name || u.username]) : []);
  return {
    total,
    entries: rows.map((r) => {
      const loanId = loanOf(r.entity, r.entity_id, r.detail);
      const subject =
        r.entity === 'borrower' ? (borrowers.get(Number(r.entity_id)) ?? null) : r.entity === 'user' ? (users.get(r.entity_id) ?? null) : loanId !== null ? (contracts.get(loanId) ?? null) : null;
      return {
        id: r.id,
        at: r.at,
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        reason: r.reason,
        detail: r.detail,
        subject,
        loanId: loanId !== null && contracts.has(loanId) ? loanId : null,
      };
    }),
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
  const any = requireStore(ctx);
  if (any.kind === 'branch') return reanchorBranch(ctx, any, s.username, input.reason);
  const store = requireLocalStore(ctx);
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

/** On the branch server: this PC's witness of the head is set to the server's chain as it is now, recorded in it. */
async function reanchorBranch(ctx: AppContext, store: BranchStore, actor: string, reason: string): Promise<ChainHead> {
  const walk = await walkChainOf(store.db, store.auditKey);
  if (walk.problem) throw new AppError('RULE_VIOLATION', ctx.t('errors.auditChainBroken', { id: walk.brokenAt ?? '?' }));
  if (!store.witness) throw new AppError('RULE_VIOLATION', ctx.t('errors.branchUnsupported'));
  await store.settled();
  const previous = store.witness.read();
  await store.db.transaction().execute((trx) =>
    recordAudit(trx, ctx.nowIso(), {
      actor,
      action: 'audit.reanchor',
      entity: 'audit',
      entityId: 'audit_log',
      reason,
      detail: { previous: previous && { count: previous.count, id: previous.id, hash: previous.hash }, database: walk.head, witness: 'this PC' },
    }),
  );
  await store.settled();
  const head = await readHeadOf(store.db);
  if (!head) throw new AppError('IO', ctx.t('errors.branchKeyringDamaged'));
  store.witness.write(witnessHead(store.auditKey, head, store.witness.now().toISOString()));
  return { count: head.count, hash: head.hash };
}
