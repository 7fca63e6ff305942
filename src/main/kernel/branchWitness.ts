import { existsSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { headGenuine, signHead, type Head, type SignedHead } from '../db/auditChain';
import { headOnChainOf, readHeadOf, walkChainOf } from '../db/auditLog';
import type { Database } from '../db/schema';
import { writeFileAtomic } from '../fs/atomic';

/**
 * The audit chain's head as this PC last saw it on the branch server, kept on this PC (in the user's app folder),
 * signed with the chain key. A head kept beside the chain on the server would vouch for nothing: someone who can
 * rewrite the server's tables could rewrite it too. Every PC that saw an entry keeps evidence of it, so cutting
 * the newest entries off the server is caught at any of them (`audit.verify`). It only moves forward along the
 * chain: a head the server no longer holds is left in place as evidence.
 */
export interface Witness {
  read(): SignedHead | null;
  write(head: SignedHead): void;
}

export function fileWitness(file: string): Witness {
  return {
    read: () => {
      if (!existsSync(file)) return null;
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as SignedHead;
      } catch {
        return null;
      }
    },
    write: (head) => writeFileAtomic(file, JSON.stringify(head, null, 2)),
  };
}

/**
 * An administrator's restore of a branch backup takes back, on purpose, entries that PCs had seen: its
 * `maintenance.restore` entry names the head it replaced (`replaced`). A witness no further along than that head
 * saw the chain before the restore, and is excused; one further along saw entries made after it, and is not. Asked
 * only of a chain that walks whole with the key, so that the restore entry is a key holder's, not the server's.
 */
export async function restoredPast(db: Kysely<Database>, seen: Head): Promise<boolean> {
  const rows = await db.selectFrom('audit_log').select('detail').where('action', '=', 'maintenance.restore').orderBy('id', 'desc').execute();
  return rows.some((r) => {
    const replaced = (JSON.parse(r.detail ?? '{}') as { replaced?: Head | null }).replaced;
    return !!replaced && seen.count <= replaced.count;
  });
}

/** Moves the witness on to the server's head, if the head it holds is still on the chain (or a restore took it back). Never throws. */
export async function advanceWitness(db: Kysely<Database>, key: Buffer, witness: Witness): Promise<void> {
  try {
    const head = await readHeadOf(db);
    if (!head) return;
    const prev = witness.read();
    if (prev && prev.count === head.count && prev.hash === head.hash) return;
    if (prev && !headGenuine(key, prev)) return;
    if (prev && !(await headOnChainOf(db, prev))) {
      // Off the chain: evidence, unless a restore took it back (rare, so the whole walk is affordable here).
      const walk = await walkChainOf(db, key);
      if (walk.problem || !(await restoredPast(db, prev))) return;
    }
    witness.write(signHead(key, head));
  } catch {
    // The witness stays where it was; the next commit or sign-in moves it on.
  }
}
