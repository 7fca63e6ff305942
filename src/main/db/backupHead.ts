import BetterSqlite from 'better-sqlite3-multiple-ciphers';
import { resolve } from 'node:path';
import type { ChainHead } from '../../shared/ipc/audit';
import { auditKey, headGenuine, headOnChain, readKeyHistory, walkChain, type SignedHead } from './auditChain';
import { applyKey, driverOf } from './open';
import type { LocalStore } from '../kernel/store';

/** The settings key under which a backup copy carries its own audit head (written by `backupTo`). */
export const BACKUP_HEAD_KEY = 'backup.auditHead';

/**
 * `unreadable`: not a copy of this store (or damaged); `noHead`: made before heads were recorded;
 * `forged`: its head was not written with the key; `copyAltered`: the copy's own chain no longer verifies or
 * holds its head; `liveBehind`: the live database has fewer entries than the copy had; `liveOffChain`: the
 * live chain has a different entry where the copy's head was (rewritten since the backup).
 */
export type BackupProblem = 'unreadable' | 'noHead' | 'forged' | 'copyAltered' | 'liveBehind' | 'liveOffChain';

export interface BackupCheck {
  file: string;
  takenAt: string | null;
  head: ChainHead | null;
  ok: boolean;
  problem: BackupProblem | null;
}

/** Holds the live chain against the head a backup copy recorded: the copy kept elsewhere is the witness. */
export function checkAgainstBackup(store: LocalStore, target: string): BackupCheck {
  const file = resolve(target);
  const result = (problem: BackupProblem | null, h: (SignedHead & { takenAt?: string }) | null = null): BackupCheck => ({
    file,
    takenAt: h?.takenAt ?? null,
    head: h ? { count: h.count, hash: h.hash } : null,
    ok: problem === null,
    problem,
  });
  // A backup made before a key rotation is under a retired key, which the database keeps.
  const keys = [store.dataKey, ...readKeyHistory(store).reverse().map((k) => Buffer.from(k.dataKey, 'hex'))];
  let copy: BetterSqlite.Database | null = null;
  let row: { value: string } | undefined;
  let copyKey: Buffer | null = null;
  for (const key of keys) {
    let db: BetterSqlite.Database;
    try {
      db = new BetterSqlite(file, { readonly: true, fileMustExist: true });
    } catch {
      return result('unreadable');
    }
    try {
      applyKey(db, key);
      row = db.prepare('SELECT value FROM settings WHERE key = ?').get(BACKUP_HEAD_KEY) as { value: string } | undefined;
      copy = db;
      copyKey = auditKey(key);
      break;
    } catch {
      db.close();
    }
  }
  if (!copy || !copyKey) return result('unreadable');
  try {
    if (!row) return result('noHead');
    const h = JSON.parse(row.value) as SignedHead & { takenAt?: string };
    if (!headGenuine(copyKey, h)) return result('forged', h);
    if (walkChain(copy, copyKey).problem || !headOnChain(copy, h)) return result('copyAltered', h);
    const live = (driverOf(store).prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    if (live < h.count) return result('liveBehind', h);
    if (!headOnChain(store, h)) return result('liveOffChain', h);
    return result(null, h);
  } finally {
    copy.close();
  }
}
