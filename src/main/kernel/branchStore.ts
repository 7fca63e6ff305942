import type { DatabaseConnection } from 'kysely';
import { copyFileSync, existsSync } from 'node:fs';
import { auditKey } from '../db/auditChain';
import { AuditKeyPlugin } from '../db/auditLog';
import { readKeyState } from '../db/branchKeyring';
import { keyCheck } from '../db/keyring';
import { openPostgres, poolConfig, PostgresError, type PostgresTarget } from '../db/pg/connect';
import { migratePostgres } from '../db/pg/migrate';
import { advanceWitness, carryWitness, fileWitness } from './branchWitness';
import type { BranchStore } from './store';

/** The settings key of an unfinished key rotation on the branch server (features/keys/branchRotation.ts). */
export const ROTATION_SETTING = 'keys.rotation';


/**
 * Opens the branch's PostgreSQL database with the branch's data key: brings its schema up to date (Kysely's
 * migration lock keeps two PCs starting at once from migrating twice) and gives the same services the same
 * Kysely. The chain key rides on the connection (db/auditLog.ts), and every write transaction takes the writer
 * lock (db/pg/writer.ts).
 *
 * Every write transaction then checks, under that lock, that this PC's key is still the branch's: after a key
 * rotation, a PC that signed in before it holds the old key in memory, and anything it wrote would be sealed and
 * chained under a key the branch no longer uses (audit entries that break the chain, documents nobody can open).
 * It is refused instead, with "sign in again"; so is every other PC's write while a rotation is under way.
 */
export async function openBranchStore(target: PostgresTarget, dataKey: Buffer, witnessFile: string | null = null, now?: () => Date): Promise<BranchStore> {
  if (dataKey.length !== 32) throw new Error('a data key is 32 bytes');
  const config = poolConfig(target);
  const locale = target.locale ?? 'zh-CN';
  // After each commit (this PC's or, seen through it, others' before it) the witness follows, one update at a time.
  let following: Promise<void> = Promise.resolve();
  let store: BranchStore | null = null;
  const sessions = new Set<number>();
  const follow = () => {
    const s = store;
    if (!s?.witness) return;
    const witness = s.witness;
    following = following.then(() => advanceWitness(s.db, s.auditKey, witness));
  };
  const guard = async (conn: DatabaseConnection) => {
    const s = store;
    // Not yet open (the migrations run before), or a branch being set up (no keyring yet): nothing to compare.
    if (!s) return;
    const row = await readKeyState(conn, ROTATION_SETTING);
    if (row?.key_check && row.key_check !== s.keyCheck) throw new PostgresError('CONFLICT', 'errors.branchKeyRotated', {}, locale);
    if (row?.rotation && row.phase !== 'confirm' && row.rotation !== s.rotation?.id) throw new PostgresError('CONFLICT', 'errors.branchRotationUnderWay', {}, locale);
  };
  const base = openPostgres(target, {
    afterCommit: follow,
    afterLock: guard,
    sessionOpened: (pid) => sessions.add(pid),
    sessionClosed: (pid) => sessions.delete(pid),
  });
  const key = Buffer.from(dataKey);
  const macKey = auditKey(dataKey);
  let guarded: BranchStore['db'];
  try {
    // Migrations first, with the check off: the settings table may not be there yet.
    await migratePostgres(base);
    guarded = base.withPlugin(new AuditKeyPlugin(macKey));
    if (witnessFile) await carryWitness(guarded, macKey, witnessFile);
  } catch (e) {
    await base.destroy();
    throw e;
  }
  store = {
    kind: 'branch',
    server: `${config.host}:${config.port}/${config.database}`,
    target: { ...target },
    db: guarded,
    dataKey: key,
    auditKey: macKey,
    keyCheck: keyCheck(key),
    rotation: null,
    witness: witnessFile ? fileWitness(witnessFile, now) : null,
    witnessFile,
    ownSessions: () => [...sessions],
    afterCommit: follow,
    settled: () => following,
    keyRetired: async () => {
      const row = await guarded.getExecutor().provideConnection((conn) => readKeyState(conn, ROTATION_SETTING));
      return !!row?.key_check && row.key_check !== store?.keyCheck;
    },
    close: () => {
      // The witness catches up before the keys are wiped and the pool goes.
      void following.then(() => {
        key.fill(0);
        macKey.fill(0);
        return base.destroy();
      });
    },
  };
  follow();
  return store;
}

/**
 * After a key rotation's last transaction, the rotating PC goes on under the new key: the data key and the chain
 * key change in place (the connection's plugin holds the same buffer), and the witness moves to the file named by
 * the new key, carried over as it is (signed with the old key until the next commit re-signs it).
 */
export async function rekeyBranchStore(store: BranchStore, newKey: Buffer, witnessFile: string | null): Promise<void> {
  if (newKey.length !== 32) throw new Error('a data key is 32 bytes');
  await store.settled();
  store.dataKey.set(newKey);
  store.auditKey.set(auditKey(newKey));
  store.keyCheck = keyCheck(newKey);
  if (store.witnessFile && witnessFile && witnessFile !== store.witnessFile) {
    try {
      if (existsSync(store.witnessFile) && !existsSync(witnessFile)) copyFileSync(store.witnessFile, witnessFile);
    } catch {
      // This PC starts a new witness.
    }
    store.witness = fileWitness(witnessFile, store.witness?.now);
    store.witnessFile = witnessFile;
  }
}
