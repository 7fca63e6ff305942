import { auditKey } from '../db/auditChain';
import { AuditKeyPlugin } from '../db/auditLog';
import { openPostgres, poolConfig, type PostgresTarget } from '../db/pg/connect';
import { migratePostgres } from '../db/pg/migrate';
import { advanceWitness, fileWitness } from './branchWitness';
import type { BranchStore } from './store';

/**
 * Opens the branch's PostgreSQL database with the branch's data key: brings its schema up to date (Kysely's
 * migration lock keeps two PCs starting at once from migrating twice) and gives the same services the same
 * Kysely. The chain key rides on the connection (db/auditLog.ts), and every write transaction takes the writer
 * lock (db/pg/writer.ts). Signing in on the server (the wraps in `key_wraps`) is not built yet: the caller brings
 * the data key.
 */
export async function openBranchStore(target: PostgresTarget, dataKey: Buffer, witnessFile: string | null = null, now?: () => Date): Promise<BranchStore> {
  if (dataKey.length !== 32) throw new Error('a data key is 32 bytes');
  const config = poolConfig(target);
  const witness = witnessFile ? fileWitness(witnessFile, now) : null;
  // After each commit (this PC's or, seen through it, others' before it) the witness follows, one update at a time.
  let following: Promise<void> = Promise.resolve();
  let store: BranchStore | null = null;
  const follow = () => {
    if (!witness || !store) return;
    const s = store;
    following = following.then(() => advanceWitness(s.db, s.auditKey, witness));
  };
  const base = openPostgres(target, { afterCommit: follow });
  try {
    await migratePostgres(base);
  } catch (e) {
    await base.destroy();
    throw e;
  }
  const key = Buffer.from(dataKey);
  const macKey = auditKey(dataKey);
  store = {
    kind: 'branch',
    server: `${config.host}:${config.port}/${config.database}`,
    target: { ...target },
    db: base.withPlugin(new AuditKeyPlugin(macKey)),
    dataKey: key,
    auditKey: macKey,
    witness,
    afterCommit: follow,
    settled: () => following,
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
