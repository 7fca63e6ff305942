import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { can, type Role } from '../../../shared/permissions';
import { isLegacyWrap, type Wrap } from '../../db/keyring';
import type { KeysStatus } from '../../../shared/ipc/keys';
import type { AppContext } from '../../kernel/context';
import type { Store } from '../../kernel/store';

/**
 * What a rotation of the data key does the same way on both stores (rotation.ts for one PC, branchRotation.ts for
 * the branch server): the journal's copy of the new key, sealed under a key derived from the old one, so that
 * whoever signs in next with the old key can reach the new one and finish; the users a rotation cannot re-seal;
 * the test hook that stops it at a named point.
 */
export type SealedNext = { iv: string; tag: string; data: string };

const JOURNAL_INFO = 'loankeeper rotation journal v1';

function journalKek(oldKey: Buffer, id: string): Buffer {
  return Buffer.from(hkdfSync('sha256', oldKey, Buffer.from(id, 'ascii'), JOURNAL_INFO, 32));
}

export function sealNext(oldKey: Buffer, id: string, next: Buffer): SealedNext {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', journalKek(oldKey, id), iv);
  const data = Buffer.concat([c.update(next), c.final()]);
  return { iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export function openNext(oldKey: Buffer, j: { id: string; next: SealedNext | null }): Buffer | null {
  if (!j.next) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', journalKek(oldKey, j.id), Buffer.from(j.next.iv, 'base64'));
    d.setAuthTag(Buffer.from(j.next.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(j.next.data, 'base64')), d.final()]);
  } catch {
    return null;
  }
}

export const isAdmin = (roles: string) => can(JSON.parse(roles) as Role[], 'settings.manage');

/** Test hook: throws at a named point, as a crash there would stop the work (`file:N` after N files, `batch:N` after N batches on the server, `rekeyed`, `committed`). */
export const rotationFaults = { at: null as string | null };

export function fault(point: string): void {
  if (rotationFaults.at === point) {
    rotationFaults.at = null;
    throw new Error(`simulated crash at ${point}`);
  }
}

/** Active users with no wrap of the data key: they cannot sign in until an administrator resets their password. */
export async function usersWithoutKey(store: Store): Promise<string[]> {
  const users = await store.db.selectFrom('users').leftJoin('key_wraps', 'key_wraps.username', 'users.username').select(['users.username', 'key_wraps.wrap']).where('users.disabled', '=', 0).orderBy('users.username').execute();
  return users.filter((u) => !u.wrap).map((u) => u.username);
}

/** Active users whose entry is of the old kind (password wraps the data key): a rotation cannot re-seal it. */
export async function legacyUsers(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('key_wraps')
    .innerJoin('users', 'users.username', 'key_wraps.username')
    .select(['key_wraps.username', 'key_wraps.wrap'])
    .where('users.disabled', '=', 0)
    .orderBy('key_wraps.username')
    .execute();
  return rows.filter((r) => isLegacyWrap(JSON.parse(r.wrap) as Wrap)).map((r) => r.username);
}

/** A rotation as its store's journal records it (only the server's journal counts the files done). */
export interface RecordedRotation {
  id: string;
  phase: 'files' | 'database' | 'confirm';
  total: number;
  done: number | null;
  damaged: string[];
}

/**
 * What `keys.status` shows, from what each store reads its own way: the single PC's keyring and journal files,
 * or the server's rows. This PC's job, when it has one, is fresher than the journal. A job of this PC's that failed
 * shows as failed, except on the server once the keys have switched (`confirm`): there it is history.
 */
export async function keysStatusOf(
  ctx: AppContext,
  store: Store,
  p: { recovery: { id: string } | null; history: { retiredAt: string; rotationId: string }[]; journal: RecordedRotation | null; failedAfterSwitch: boolean },
): Promise<KeysStatus> {
  const last = p.history.length ? p.history[p.history.length - 1] : null;
  const j = p.journal;
  const job = ctx.rotationJob;
  const failed = job?.phase === 'failed' && (p.failedAfterSwitch || j?.phase !== 'confirm');
  return {
    recoveryKind: p.recovery ? 'wrapped' : 'legacy',
    recoveryKeyId: p.recovery?.id ?? null,
    epoch: p.history.length,
    lastRotation: last ? { at: last.retiredAt, id: last.rotationId } : null,
    legacyUsers: await legacyUsers(store),
    usersWithoutKey: await usersWithoutKey(store),
    rotation:
      j || job?.phase === 'failed'
        ? {
            id: j?.id ?? job!.id,
            phase: failed ? 'failed' : j!.phase,
            running: !!job && job.phase !== 'done' && job.phase !== 'failed',
            total: job?.total ?? j?.total ?? 0,
            done: job?.done ?? j?.done ?? 0,
            damaged: job?.damaged ?? j?.damaged ?? [],
            error: job?.error ?? null,
          }
        : null,
    pendingRecoveryKey: ctx.pendingRecovery?.key ?? null,
  };
}
