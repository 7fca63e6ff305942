import { headGenuine, readHead, signHead, type SignedHead } from '../db/auditChain';
import { chainAfter, inTransaction, readTransaction } from '../db/connection';
import { readKeyring, writeKeyring } from '../db/keyring';
import type { LocalStore } from './store';

/**
 * The audit head kept outside the database, in the keyring. It is written only after a commit, from what is
 * committed, so it may lag the database (a crash after the commit) but is never ahead of it. It only moves
 * forward along the chain: a recorded head the database no longer holds is evidence and is left in place.
 */
export function advancedHead(store: LocalStore, from: SignedHead | null): SignedHead | null {
  const { auditKey } = store;
  // Inside a transaction the tip may still roll back.
  if (inTransaction(store)) return from;
  if (!from) {
    const head = readTransaction(store, () => readHead(store));
    return head ? signHead(auditKey, head) : null;
  }
  if (!headGenuine(auditKey, from)) return from;
  const moved = chainAfter(store, from);
  return moved ? signHead(auditKey, { count: from.count + moved.added, id: moved.tip.id, hash: moved.tip.hash }) : from;
}

/** After a commit that appended, and when the store opens (catching up after a crash). Never throws: a lag is allowed. */
export function syncAuditHead(store: LocalStore): void {
  try {
    const kr = readKeyring(store.dir);
    if (kr.kind !== 'ok') return;
    const next = advancedHead(store, kr.keyring.auditHead);
    if (next === kr.keyring.auditHead) return;
    kr.keyring.auditHead = next;
    writeKeyring(store.dir, kr.keyring);
  } catch {
    // The head stays behind; the next commit or the next start moves it on.
  }
}

/** Records the database's current head whatever the keyring held: only for an administrator's re-anchoring. */
export function forceAuditHead(store: LocalStore): SignedHead | null {
  const kr = readKeyring(store.dir);
  if (kr.kind !== 'ok') return null;
  const head = readHead(store);
  kr.keyring.auditHead = head ? signHead(store.auditKey, head) : null;
  writeKeyring(store.dir, kr.keyring);
  return kr.keyring.auditHead;
}
