import { CompiledQuery, type DatabaseConnection, type Kysely, type Transaction } from 'kysely';
import type { Keyring, KeyringState } from './keyring';
import type { Database } from './schema';

/**
 * The branch server's keyring: the same document as a single-PC store's keyring.json (users' wraps of the data
 * key, the recovery wrap, failed sign-ins, the key check), kept in the branch database because every PC signs in
 * against it. Its wraps are mirrored in `key_wraps` as on one PC. Written only inside a write transaction, so two
 * PCs counting failed sign-ins at once do not lose a count (db/pg/writer.ts). It holds no head of the audit chain:
 * a head kept beside the chain it vouches for would vouch for nothing.
 */
export const BRANCH_KEYRING_SETTING = 'branch.keyring';

export async function readBranchKeyring(db: Kysely<Database>): Promise<KeyringState> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', BRANCH_KEYRING_SETTING).executeTakeFirst();
  if (!row) return { kind: 'missing' };
  try {
    const parsed = JSON.parse(row.value) as Keyring;
    if (parsed.format !== 'loankeeper-keyring' || parsed.version !== 1 || typeof parsed.users !== 'object' || typeof parsed.keyCheck !== 'string') return { kind: 'damaged', reason: 'format' };
    parsed.attempts ??= {};
    parsed.disabled ??= [];
    parsed.recovery ??= null;
    parsed.auditHead = null;
    return { kind: 'ok', keyring: parsed };
  } catch (e) {
    return { kind: 'damaged', reason: (e as Error).message };
  }
}

export async function writeBranchKeyring(trx: Transaction<Database>, keyring: Keyring): Promise<void> {
  const value = JSON.stringify({ ...keyring, auditHead: null });
  await trx
    .insertInto('settings')
    .values({ key: BRANCH_KEYRING_SETTING, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

/**
 * What every write transaction on the branch server reads right after the writer lock (kernel/branchStore.ts): the
 * key check of the branch's keyring and the key rotation's journal (`rotationSetting`), if any. One short statement
 * per write (a few per second at most on a branch), on the transaction's own connection.
 */
export async function readKeyState(conn: DatabaseConnection, rotationSetting: string): Promise<{ key_check: string | null; rotation: string | null; phase: string | null } | undefined> {
  const r = await conn.executeQuery<{ key_check: string | null; rotation: string | null; phase: string | null }>(
    CompiledQuery.raw(
      `SELECT (SELECT value FROM settings WHERE key = $1)::json->>'keyCheck' AS key_check,
        (SELECT value FROM settings WHERE key = $2)::json->>'id' AS rotation,
        (SELECT value FROM settings WHERE key = $2)::json->>'phase' AS phase`,
      [BRANCH_KEYRING_SETTING, rotationSetting],
    ),
  );
  return r.rows[0];
}
