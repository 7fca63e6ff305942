import BetterSqlite from 'better-sqlite3-multiple-ciphers';
import { auditKey, entryMac, GENESIS, type ChainRow } from '../../src/main/db/auditChain';
import { applyKey, type Sqlite } from '../../src/main/db/open';

/** What a reviewer holding the data key can do: open the file with the bare driver, no app code in between. */
export function rawOpen(file: string, dataKey: Buffer): Sqlite {
  const db = new BetterSqlite(file);
  applyKey(db, dataKey);
  db.pragma('busy_timeout=5000');
  return db;
}

export function dropAuditTriggers(db: Sqlite): void {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'audit_scheme')`).all() as { name: string }[];
  for (const { name } of names) db.exec(`DROP TRIGGER ${name}`);
}

/** Rewrites every entry's prev_hash and HMAC in place, as someone with the key would after editing one. */
export function recomputeChain(db: Sqlite, dataKey: Buffer): void {
  const key = auditKey(dataKey);
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as ChainRow[];
  const put = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
  // The unique index on prev_hash would trip over the half-rewritten chain; the attacker drops it too.
  db.exec('DROP INDEX IF EXISTS audit_log_prev_hash');
  let prev = GENESIS;
  db.transaction(() => {
    for (const r of rows) {
      const hash = entryMac(key, { ...r, prev_hash: prev });
      put.run(prev, hash, r.id);
      prev = hash;
    }
  })();
}
