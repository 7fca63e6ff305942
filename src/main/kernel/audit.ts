import type { Transaction } from 'kysely';
import type { AuditCheck, ChainHead } from '../../shared/ipc/audit';
import { headGenuine, headOnChain, walkChain, type AuditInput, type SignedHead } from '../db/auditChain';
import { appendAudit, headOnChainOf, walkChainOf } from '../db/auditLog';
import { readKeyring } from '../db/keyring';
import type { Database } from '../db/schema';
import type { LocalStore, Store } from './store';
import { restoredPast, witnessSigner } from './branchWitness';

export type { AuditInput };

/**
 * Appends one entry to the chain, inside the transaction that makes the change (BEGIN IMMEDIATE, so writers
 * queue). The statement reads the head and computes the HMAC itself; the triggers of migration 0016 refuse an
 * entry that does not follow the head, so the chain cannot fork.
 */
export async function recordAudit(trx: Transaction<Database>, at: string, input: AuditInput): Promise<void> {
  await appendAudit(trx, at, input);
}

const shown = (h: { count: number; hash: string } | null): ChainHead | null => (h ? { count: h.count, hash: h.hash } : null);

/**
 * The chain on its own (every link and HMAC), then against the head kept outside: that head must be genuine
 * and be this chain's entry number `count`. The database may be ahead of it only by entries that chain on
 * from it (a head update lost in a crash); behind it, or off it, is tampering or a restored older copy.
 */
export function checkAuditChain(store: LocalStore, outside: SignedHead | null): AuditCheck {
  const walk = walkChain(store, store.auditKey);
  const base = { count: walk.count, head: shown(walk.head), outside: shown(outside), kept: 'keyring' as const, lag: 0, legacyForks: walk.legacyForks };
  if (walk.problem) return { ...base, ok: false, problem: walk.problem, brokenAt: walk.brokenAt };
  const fail = (problem: AuditCheck['problem']): AuditCheck => ({ ...base, ok: false, problem, brokenAt: null });
  if (!outside) return { ...base, ok: true, problem: null, brokenAt: null };
  if (!headGenuine(store.auditKey, outside)) return fail('headForged');
  if (outside.count > walk.count) return fail('headAhead');
  if (!headOnChain(store, outside)) return fail('headOffChain');
  return { ...base, ok: true, problem: null, brokenAt: null, lag: walk.count - outside.count };
}

export function outsideHead(store: LocalStore): SignedHead | null {
  const kr = readKeyring(store.dir);
  return kr.kind === 'ok' ? kr.keyring.auditHead : null;
}

export async function verifyAuditChain(store: Store): Promise<AuditCheck> {
  if (store.kind === 'branch') {
    // The branch server's chain, walked with the key the server never sees, against the head this PC last saw
    // there (kernel/branchWitness.ts): entries cut off the server after this PC saw them show as `headAhead`.
    await store.settled();
    const outside = store.witness?.read() ?? null;
    const walk = await walkChainOf(store.db, store.auditKey);
    const base = { count: walk.count, head: shown(walk.head), outside: shown(outside), kept: 'witness' as const, lag: 0, legacyForks: walk.legacyForks };
    if (walk.problem) return { ...base, ok: false, problem: walk.problem, brokenAt: walk.brokenAt };
    const fail = (problem: AuditCheck['problem']): AuditCheck => ({ ...base, ok: false, problem, brokenAt: null });
    if (!outside) return { ...base, ok: true, problem: null, brokenAt: null };
    // Signed with the current chain key, or with one a key rotation retired since this PC saw the head.
    const signer = await witnessSigner(store.db, store.auditKey, outside);
    if (!signer) return fail('headForged');
    if (!(await headOnChainOf(store.db, outside))) {
      // The entries this PC saw were taken back by an administrator's restore, which the chain records.
      if (await restoredPast(store.db, signer, outside)) return { ...base, ok: true, problem: null, brokenAt: null };
      return fail(outside.count > walk.count ? 'headAhead' : 'headOffChain');
    }
    return { ...base, ok: true, problem: null, brokenAt: null, lag: walk.count - outside.count };
  }
  return checkAuditChain(store, outsideHead(store));
}
