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

/** Appends one entry after the current head, in main (see above). */
export async function appendAuditInMain(trx: Transaction<Database>, at: string, input: AuditInput): Promise<void> {
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
  await trx.insertInto('audit_log').values({ ...row, hash: entryMac(keyOf(trx), row) }).execute();
}

async function readKeyHistoryOf(db: Kysely<Database>): Promise<RetiredKey[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY_HISTORY).executeTakeFirst();
  try {
    return row ? (JSON.parse(row.value) as RetiredKey[]) : [];
  } catch {
    return [];
  }
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
    const history = await readKeyHistoryOf(trx);
    const keys = [...history.sort((a, b) => a.epoch - b.epoch).map((h) => auditKey(Buffer.from(h.dataKey, 'hex'))), key];
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
