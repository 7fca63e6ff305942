import { auditKey } from '../db/auditChain';
import { AuditKeyPlugin } from '../db/auditLog';
import { openPostgres, poolConfig, type PostgresTarget } from '../db/pg/connect';
import { migratePostgres } from '../db/pg/migrate';
import type { BranchStore } from './store';

/**
 * Opens the branch's PostgreSQL database with the branch's data key: brings its schema up to date (Kysely's
 * migration lock keeps two PCs starting at once from migrating twice) and gives the same services the same
 * Kysely. The chain key rides on the connection (db/auditLog.ts), and every write transaction takes the writer
 * lock (db/pg/writer.ts). Signing in on the server (the wraps in `key_wraps`) is not built yet: the caller brings
 * the data key.
 */
export async function openBranchStore(target: PostgresTarget, dataKey: Buffer): Promise<BranchStore> {
  if (dataKey.length !== 32) throw new Error('a data key is 32 bytes');
  const config = poolConfig(target);
  const base = openPostgres(target);
  try {
    await migratePostgres(base);
  } catch (e) {
    await base.destroy();
    throw e;
  }
  const key = Buffer.from(dataKey);
  const macKey = auditKey(dataKey);
  return {
    kind: 'branch',
    server: `${config.host}:${config.port}/${config.database}`,
    target: { ...target },
    db: base.withPlugin(new AuditKeyPlugin(macKey)),
    dataKey: key,
    auditKey: macKey,
    afterCommit: () => {},
    close: () => {
      key.fill(0);
      macKey.fill(0);
      void base.destroy();
    },
  };
}
