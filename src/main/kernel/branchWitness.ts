import { existsSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { headGenuine, signHead, type SignedHead } from '../db/auditChain';
import { headOnChainOf, readHeadOf } from '../db/auditLog';
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

/** Moves the witness on to the server's head, if the head it holds is still on the chain. Never throws. */
export async function advanceWitness(db: Kysely<Database>, key: Buffer, witness: Witness): Promise<void> {
  try {
    const head = await readHeadOf(db);
    if (!head) return;
    const prev = witness.read();
    if (prev && prev.count === head.count && prev.hash === head.hash) return;
    if (prev && (!headGenuine(key, prev) || !(await headOnChainOf(db, prev)))) return;
    witness.write(signHead(key, head));
  } catch {
    // The witness stays where it was; the next commit or sign-in moves it on.
  }
}
