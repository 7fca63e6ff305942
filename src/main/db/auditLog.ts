import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { CompiledQuery, PostgresAdapter, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type Transaction, type UnknownRow } from 'kysely';
import { APPEND_SQL, appendParams, auditKey, ChainWalker, entryMac, GENESIS, KEY_HISTORY, type AuditInput, type ChainFields, type ChainProblem, type ChainRow, type ChainWalk, type Head, type RetiredKey, type Scheme } from './auditChain';
import type { Database } from './schema';

/**
 * The audit chain through Kysely, for the branch server (and any store): SQLite computes each entry's HMAC in
 * the appending statement with a function registered on its connection (auditChain.ts); PostgreSQL must never
 * see the key, so here main reads the head and computes the HMAC itself. That is safe because every write
 * transaction on the branch server holds the one writer lock from its BEGIN (pg/writer.ts): no other entry can
 * be appended between the read and the insert. The unique index on prev_hash and the at-head trigger refuse a
 * fork even without the lock.
 */

/** Carries the chain key of a branch connection, so that `appendAudit(trx, …)` finds it from any transaction. */
export class AuditKeyPlugin implements KyselyPlugin {
  constructor(readonly key: Buffer) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export function isPostgres(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function keyOf(db: Kysely<Database>): Buffer {
  const plugin = db.getExecutor().plugins.find((p): p is AuditKeyPlugin => p instanceof AuditKeyPlugin);
  if (!plugin) throw new Error('this connection carries no audit key');
  return plugin.key;
}

/** Appends one entry after the current head, in main (see above); under `key`, else the connection's chain key. */
export async function appendAuditInMain(trx: Transaction<Database>, at: string, input: AuditInput, key: Buffer = keyOf(trx)): Promise<void> {
  const tip = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const row: ChainFields = {
    at,
    actor: input.actor,
    action: input.action,
    entity: input.entity,
    entity_id: input.entityId,
    reason: input.reason ?? null,
    detail: JSON.stringify(input.detail ?? {}),
    prev_hash: tip?.hash ?? GENESIS,
  };
  await trx.insertInto('audit_log').values({ ...row, hash: entryMac(key, row) }).execute();
}

/**
 * The retired data keys on the branch server. SQLite keeps `keys.history` as a JSON array inside its encrypted
 * file; the PostgreSQL database is not encrypted by us, so there the array is sealed (AES-256-GCM) under a key
 * derived from the current chain key, and re-sealed under the next one at each rotation. The chain key rather
 * than the data key itself: it is what every reader of the chain holds (this plugin, a restored backup's check),
 * it never leaves main's memory either, and it comes from the data key alone, so nobody without the current data
 * key reads an old one.
 */
interface SealedHistory {
  format: 'loankeeper-key-history';
  version: 1;
  iv: string;
  tag: string;
  data: string;
}

const HISTORY_INFO = 'loankeeper key history v1';

function historyKey(chainKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', chainKey, Buffer.alloc(0), HISTORY_INFO, 32));
}

/** The settings value of `keys.history` on the branch server: the retired keys sealed under `chainKey`. */
export function sealKeyHistory(chainKey: Buffer, history: RetiredKey[]): string {
  const key = historyKey(chainKey);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(KEY_HISTORY, 'ascii'));
  const data = Buffer.concat([c.update(JSON.stringify(history), 'utf8'), c.final()]);
  key.fill(0);
  const sealed: SealedHistory = { format: 'loankeeper-key-history', version: 1, iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
  return JSON.stringify(sealed);
}

/** The retired keys of a `keys.history` value: an array as SQLite keeps it, or sealed; null when it does not open with `chainKey`. */
export function openKeyHistory(chainKey: Buffer, value: string): RetiredKey[] | null {
  try {
    const parsed = JSON.parse(value) as RetiredKey[] | SealedHistory;
    if (Array.isArray(parsed)) return parsed;
    if (parsed.format !== 'loankeeper-key-history' || parsed.version !== 1) return null;
    const key = historyKey(chainKey);
    try {
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(parsed.iv, 'base64'));
      d.setAAD(Buffer.from(KEY_HISTORY, 'ascii'));
      d.setAuthTag(Buffer.from(parsed.tag, 'base64'));
      return JSON.parse(Buffer.concat([d.update(Buffer.from(parsed.data, 'base64')), d.final()]).toString('utf8')) as RetiredKey[];
    } finally {
      key.fill(0);
    }
  } catch {
    return null;
  }
}

/**
 * The retired keys, oldest first, through the chain key (`chainKey`, else the one this connection carries). A
 * sealed history that does not open reads as none: the chain's older stretches then fail to verify, which is what
 * should be said of them.
 */
export async function readKeyHistoryOf(db: Kysely<Database>, chainKey: Buffer = keyOf(db)): Promise<RetiredKey[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY_HISTORY).executeTakeFirst();
  if (!row) return [];
  return (openKeyHistory(chainKey, row.value) ?? []).sort((a, b) => a.epoch - b.epoch);
}

/**
 * The chain's head: the newest entry and how many entries there are, in one statement, so both are of one moment
 * (outside a transaction, two statements could fall either side of another PC's commit, and pair a count with
 * an entry it does not belong to: a head that is on no chain).
 */
export async function readHeadOf(db: Kysely<Database>): Promise<Head | null> {
  const tip = await db
    .selectFrom('audit_log')
    .select((eb) => ['id', 'hash', eb.selectFrom('audit_log').select((e) => e.fn.countAll<number>().as('c')).as('n')])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!tip) return null;
  return { count: Number(tip.n), id: tip.id, hash: tip.hash };
}

const PAGE = 5000;

/** walkChain of auditChain.ts over Kysely, in pages of rows by id, in one read transaction (one snapshot). */
export async function walkChainOf(db: Kysely<Database>, key: Buffer): Promise<ChainWalk> {
  // Read only: on the branch server, one snapshot without the writer lock (pg/writer.ts).
  return db.transaction().setAccessMode('read only').execute(async (trx) => {
    const history = await readKeyHistoryOf(trx, key);
    const keys = [...history.map((h) => auditKey(Buffer.from(h.dataKey, 'hex'))), key];
    const scheme = ((await trx.selectFrom('audit_scheme').select(['legacy_count as legacyCount', 'legacy_last_id as legacyLastId']).executeTakeFirst()) ?? null) as Scheme | null;
    const walker = new ChainWalker(keys, scheme);
    const broken = async (problem: ChainProblem, id: number | null): Promise<ChainWalk> => {
      const head = await readHeadOf(trx);
      return { count: head?.count ?? 0, head, problem, brokenAt: id, legacyForks: walker.legacyForks };
    };
    for (let after = -1; ; ) {
      const rows = (await trx.selectFrom('audit_log').selectAll().where('id', '>', after).orderBy('id').limit(PAGE).execute()) as ChainRow[];
      for (const r of rows) {
        const problem = walker.feed(r);
        if (problem) return broken(problem, r.id);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
    const end = walker.finish();
    if (end.problem) return broken(end.problem, null);
    return { count: end.head?.count ?? 0, head: end.head, problem: null, brokenAt: null, legacyForks: walker.legacyForks };
  });
}

/** Appends one entry through Kysely, inside the transaction that makes the change (see kernel/audit.ts). */
export async function appendAudit(trx: Transaction<Database>, at: string, input: AuditInput): Promise<void> {
  if (!trx.isTransaction) throw new Error('an audit entry must be written in the transaction that makes the change');
  if (isPostgres(trx)) return appendAuditInMain(trx, at, input);
  await trx.executeQuery(CompiledQuery.raw(APPEND_SQL, appendParams(at, input)));
}

/** Whether `h` is this chain's entry number `h.count` (headOnChain of auditChain.ts over Kysely). */
export async function headOnChainOf(db: Kysely<Database>, h: Head): Promise<boolean> {
  const r = await db.selectFrom('audit_log').select('hash').where('id', '=', h.id).executeTakeFirst();
  if (!r || r.hash !== h.hash) return false;
  const { n } = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '<=', h.id).executeTakeFirstOrThrow();
  return Number(n) === h.count;
}
