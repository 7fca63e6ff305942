import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import { auditKey, headGenuine, signHead, type Head, type SignedHead } from '../db/auditChain';
import { headOnChainOf, readHeadOf, readKeyHistoryOf, walkChainOf } from '../db/auditLog';
import type { Database } from '../db/schema';
import { writeFileAtomic } from '../fs/atomic';

/**
 * The audit chain's head as this PC last saw it on the branch server, kept on this PC (in the user's app folder),
 * signed with the chain key. A head kept beside the chain on the server would vouch for nothing: someone who can
 * rewrite the server's tables could rewrite it too. Every PC that saw an entry keeps evidence of it, so cutting
 * the newest entries off the server is caught at any of them (`audit.verify`). It only moves forward along the
 * chain: a head the server no longer holds is left in place as evidence.
 */
/** The head as this PC saw it, and when (this PC's clock), both signed with the chain key. */
export interface WitnessHead extends SignedHead {
  seenAt?: string;
  seenMac?: string;
}

export interface Witness {
  read(): WitnessHead | null;
  write(head: WitnessHead): void;
  /** This PC's clock (the app's; a test's own). */
  now(): Date;
}

/** Where this PC keeps the witness of the branch whose chain key is `chainKey`: named by the key, not the address. */
export function witnessPath(dir: string, chainKey: Buffer): string {
  return join(dir, `branch-audit-head-${createHash('sha256').update(chainKey).digest('hex').slice(0, 16)}.json`);
}

/**
 * The chain key that signed `head`: the current one, or one retired by a key rotation (kept sealed in the
 * database, db/auditLog.ts). A witness this PC wrote before the branch's key was rotated was genuine when it was
 * written, and the rotated key is known only to key holders, so it still vouches for what this PC saw.
 */
export async function witnessSigner(db: Kysely<Database>, key: Buffer, head: SignedHead): Promise<Buffer | null> {
  if (headGenuine(key, head)) return key;
  for (const h of (await readKeyHistoryOf(db, key)).reverse()) {
    const old = auditKey(Buffer.from(h.dataKey, 'hex'));
    if (headGenuine(old, head)) return old;
    old.fill(0);
  }
  return null;
}

/**
 * A PC's first sign-in after a rotation: its witness is still in the file named by the retired key. The newest such
 * file is taken over (as it is, signed with the old key: `witnessSigner` accepts it); the next commit re-signs it.
 */
export async function carryWitness(db: Kysely<Database>, key: Buffer, file: string): Promise<void> {
  if (existsSync(file)) return;
  try {
    for (const h of (await readKeyHistoryOf(db, key)).reverse()) {
      const old = auditKey(Buffer.from(h.dataKey, 'hex'));
      const from = witnessPath(dirname(file), old);
      old.fill(0);
      if (existsSync(from)) {
        writeFileAtomic(file, readFileSync(from, 'utf8'));
        return;
      }
    }
  } catch {
    // No witness carried: this PC starts a new one, as on its first sign-in.
  }
}

export function fileWitness(file: string, now: () => Date = () => new Date()): Witness {
  return {
    read: () => {
      if (!existsSync(file)) return null;
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as WitnessHead;
      } catch {
        return null;
      }
    },
    write: (head) => writeFileAtomic(file, JSON.stringify(head, null, 2)),
    now,
  };
}

const seenMacOf = (key: Buffer, h: Head, seenAt: string) => createHmac('sha256', key).update(JSON.stringify(['seen', h.count, h.id, h.hash, seenAt])).digest('hex');

/** The head signed, with the moment this PC saw it. */
export function witnessHead(key: Buffer, h: Head, seenAt: string): WitnessHead {
  return { ...signHead(key, h), seenAt, seenMac: seenMacOf(key, h, seenAt) };
}

function seenGenuine(key: Buffer, h: WitnessHead): h is WitnessHead & { seenAt: string; seenMac: string } {
  if (typeof h.seenAt !== 'string' || typeof h.seenMac !== 'string') return false;
  const a = Buffer.from(seenMacOf(key, h, h.seenAt), 'hex');
  const b = Buffer.from(h.seenMac, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * An administrator's restore of a branch backup takes back, on purpose, entries that PCs had seen: its
 * `maintenance.restore` entry names the head it replaced (`replaced`). A witness is excused when this PC saw it
 * before the restore (its signed `seenAt` earlier than the entry's time) and no further along than the replaced
 * head. One seen after the restore is never excused, whatever its position: entries cut after a restore are
 * caught as before. A witness without a signed time (from before this rule) is not excused either. Asked only of
 * a chain that walks whole with the key, so that the restore entry is a key holder's, not the server's. The two
 * times come from two PCs' clocks; during a restore no other PC is connected, so they are minutes apart at least.
 */
export async function restoredPast(db: Kysely<Database>, key: Buffer, seen: WitnessHead): Promise<boolean> {
  if (!seenGenuine(key, seen)) return false;
  const rows = await db.selectFrom('audit_log').select(['at', 'detail']).where('action', '=', 'maintenance.restore').orderBy('id', 'desc').execute();
  return rows.some((r) => {
    const replaced = (JSON.parse(r.detail ?? '{}') as { replaced?: Head | null }).replaced;
    return !!replaced && seen.count <= replaced.count && seen.seenAt < r.at;
  });
}

/** Moves the witness on to the server's head, if the head it holds is still on the chain (or a restore took it back). Never throws. */
export async function advanceWitness(db: Kysely<Database>, key: Buffer, witness: Witness): Promise<void> {
  try {
    const head = await readHeadOf(db);
    if (!head) return;
    const prev = witness.read();
    if (prev && prev.count === head.count && prev.hash === head.hash) return;
    const signer = prev ? await witnessSigner(db, key, prev) : null;
    if (prev && !signer) return;
    if (prev && !(await headOnChainOf(db, prev))) {
      // Off the chain: evidence, unless a restore took it back (rare, so the whole walk is affordable here).
      const walk = await walkChainOf(db, key);
      if (walk.problem || !(await restoredPast(db, signer!, prev))) return;
    }
    witness.write(witnessHead(key, head, witness.now().toISOString()));
  } catch {
    // The witness stays where it was; the next commit or sign-in moves it on.
  }
}
