import { resolve } from 'node:path';
import { headGenuine } from '../../db/auditChain';
import { headOnChainOf, readHeadOf } from '../../db/auditLog';
import type { BackupCheck, BackupProblem } from '../../db/backupHead';
import { readDump, readDumpHeader, type DumpHeader } from '../../db/pg/dumpFile';
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
  let header: DumpHeader;
  try {
    header = readDumpHeader(file, store.dataKey);
  } catch {
    return result('unreadable');
  }
  const h = header.head;
  if (h && !headGenuine(store.auditKey, h)) return result('forged', header);
  try {
    for await (const _ of readDump(file, store.dataKey)) void _;
  } catch {
    return result('copyAltered', header);
  }
  // An empty chain at the backup: any live chain holds it.
  if (!h) return result(null, header);
  const live = await readHeadOf(store.db);
  if ((live?.count ?? 0) < h.count) return result('liveBehind', header);
  if (!(await headOnChainOf(store.db, h))) return result('liveOffChain', header);
  return result(null, header);
}
