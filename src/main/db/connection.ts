import { APPEND_SQL, appendParams, legacyDigest, readScheme, readTip, SCHEME_SWITCH, type AuditInput } from './auditChain';
import { driverOf, type Connection } from './open';

/**
 * What the store does with its connection beyond queries: SQLite specifics (PRAGMAs, BEGIN IMMEDIATE on the
 * driver, the exclusive locking mode, rekeying) that the kernel asks for by name.
 */

export function inTransaction(c: Connection): boolean {
  return driverOf(c).inTransaction;
}

export function isOpen(c: Connection): boolean {
  return driverOf(c).open;
}

export function closeConnection(c: Connection): void {
  const sqlite = driverOf(c);
  if (sqlite.open) sqlite.close();
}

/**
 * Re-encrypts the database under `newKey` (SQLite3 Multiple Ciphers' `PRAGMA rekey`, one transaction through the
 * WAL: a crash leaves it wholly under one key or the other).
 */
export function rekeyConnection(c: Connection, newKey: Buffer): void {
  driverOf(c).pragma(`rekey="x'${newKey.toString('hex')}'"`);
}

/**
 * Takes the database for this connection alone (SQLite's exclusive locking mode, held until released): fails with
 * "database is locked" while another window or command has it open, and keeps others out until released.
 */
export function lockExclusive(c: Connection): void {
  const sqlite = driverOf(c);
  sqlite.pragma('locking_mode=EXCLUSIVE');
  try {
    sqlite.exec('BEGIN IMMEDIATE; CREATE TEMP TABLE IF NOT EXISTS lk_exclusive(x); DROP TABLE lk_exclusive; COMMIT');
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    sqlite.pragma('locking_mode=NORMAL');
    throw e;
  }
}

export function unlockExclusive(c: Connection): void {
  const sqlite = driverOf(c);
  if (!sqlite.open) return;
  sqlite.pragma('locking_mode=NORMAL');
  // The lock is given up at the next access.
  sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
}

/** Runs `fn` on the driver in one BEGIN IMMEDIATE transaction (synchronous: `fn` must not await). */
export function immediateTransaction<T>(c: Connection, fn: () => T): T {
  return driverOf(c).transaction(fn).immediate();
}

/** Runs `fn` in one deferred read transaction, so that its statements see one snapshot. */
export function readTransaction<T>(c: Connection, fn: () => T): T {
  return driverOf(c).transaction(fn).deferred();
}

/** Appends an audit entry from inside a driver transaction (the change it records is in the same one). */
export function appendAuditRaw(c: Connection, at: string, input: AuditInput): void {
  const sqlite = driverOf(c);
  if (!sqlite.inTransaction) throw new Error('an audit entry must be written in the transaction that makes the change');
  sqlite.prepare(APPEND_SQL).run(appendParams(at, input));
}

/**
 * After migration 0016, the first entry under the HMAC key seals the legacy (plain SHA-256) entries: it links to
 * the last one and carries a digest of them all, so none can be rewritten later without the key. Used on the
 * store and on a restored backup's copy; the connection must have the chain's MAC function registered.
 */
export function sealLegacyChain(c: Connection, at: string): void {
  const sqlite = driverOf(c);
  const scheme = readScheme(sqlite);
  if (!scheme || scheme.legacyCount === 0) return;
  sqlite
    .transaction(() => {
      const tip = readTip(sqlite);
      if (tip && tip.id > scheme.legacyLastId) return; // sealed already (an earlier start, or another process)
      const digest = legacyDigest(sqlite, scheme.legacyLastId);
      const input = { actor: 'system', action: SCHEME_SWITCH, entity: 'audit', entityId: 'audit_log', detail: { legacyCount: scheme.legacyCount, legacyDigest: digest, scheme: 'hmac-sha256' } };
      sqlite.prepare(APPEND_SQL).run(appendParams(at, input));
    })
    .immediate();
}

/**
 * How far the chain has moved on from a recorded entry, in one read transaction (the count and the tip from the
 * same snapshot: another process may commit between two bare statements). Null when the entry is no longer
 * there (or has another hash) or nothing follows it.
 */
export function chainAfter(c: Connection, from: { id: number; hash: string }): { added: number; tip: { id: number; hash: string } } | null {
  const sqlite = driverOf(c);
  return sqlite
    .transaction(() => {
      const at = sqlite.prepare('SELECT hash FROM audit_log WHERE id = ?').get(from.id) as { hash: string } | undefined;
      if (!at || at.hash !== from.hash) return null;
      const { n } = sqlite.prepare('SELECT count(*) AS n FROM audit_log WHERE id > ?').get(from.id) as { n: number };
      const tip = readTip(sqlite);
      return n === 0 || !tip ? null : { added: n, tip };
    })
    .deferred();
}
