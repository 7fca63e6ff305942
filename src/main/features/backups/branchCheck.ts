import { resolve } from 'node:path';
import { auditKey, headGenuine } from '../../db/auditChain';
import { headOnChainOf, readHeadOf } from '../../db/auditLog';
import type { BackupCheck, BackupProblem } from '../../db/backupHead';
import { readDump, type DumpHeader } from '../../db/pg/dumpFile';
import { backupKeyOf } from './branch';
import type { BranchStore } from '../../kernel/store';

/**
 * `check --backup` on the branch server: a sealed backup kept elsewhere (a USB stick, another PC) is a witness of
 * the chain as it was. Its head is in the header, sealed with the branch's key; the whole file is read through, so
 * a copy altered anywhere says so; then the live chain must still hold that head, at the same place. What the
 * single-PC store's `checkAgainstBackup` (db/backupHead.ts) does with a copy of the SQLite file.
 */
export async function checkAgainstServerBackup(store: BranchStore, target: string): Promise<BackupCheck> {
  const file = resolve(target);
  const result = (problem: BackupProblem | null, header: DumpHeader | null = null): BackupCheck => ({
    file,
    takenAt: header?.madeAt ?? null,
    head: header?.head ? { count: header.head.count, hash: header.head.hash } : null,
    ok: problem === null,
    problem,
  });
  // A backup from before a key rotation is sealed, and its head signed, under the key that rotation retired.
  let opened: { key: Buffer; header: DumpHeader };
  try {
    opened = await backupKeyOf(store, file);
  } catch {
    return result('unreadable');
  }
  const { key, header } = opened;
  const chainKey = auditKey(key);
  try {
    if (header.head && !headGenuine(chainKey, header.head)) return result('forged', header);
    try {
      for await (const _ of readDump(file, key)) void _;
    } catch {
      return result('copyAltered', header);
    }
  } finally {
    key.fill(0);
    chainKey.fill(0);
  }
  const h = header.head;
  // An empty chain at the backup: any live chain holds it.
  if (!h) return result(null, header);
  const live = await readHeadOf(store.db);
  if ((live?.count ?? 0) < h.count) return result('liveBehind', header);
  if (!(await headOnChainOf(store.db, h))) return result('liveOffChain', header);
  return result(null, header);
}
