import { sql, type Transaction } from 'kysely';
import { DEMO_TABLES, DEMO_TABLES_WITHOUT_ID, type DemoInserts, type DemoTable } from '../demoBulk';
import type { Database } from '../schema';

/**
 * The demo generator's rows on the branch server (demo/generate.ts `demoSteps`). The generator is synchronous and
 * needs each row's id at once (a loan's schedule refers to it), so ids are given here, counting on from the
 * largest in each table, and the rows wait in memory until `flush` sends them, a few thousand a statement. All of
 * it runs inside one write transaction, which holds the writer lock (pg/writer.ts): nobody else takes an id in
 * between. `finish` moves each table's identity past the ids given, so later inserts do not collide.
 */
export interface DemoRowBuffer {
  ins: DemoInserts;
  flush(): Promise<void>;
  finish(): Promise<void>;
}

// PostgreSQL binds at most 65,535 parameters a statement; the widest demo table has 17 columns.
const PARAMS = 60_000;

export async function demoRowBuffer(trx: Transaction<Database>): Promise<DemoRowBuffer> {
  const next = new Map<DemoTable, number>();
  const rows = new Map<DemoTable, Record<string, unknown>[]>();
  for (const t of DEMO_TABLES) {
    rows.set(t, []);
    if (DEMO_TABLES_WITHOUT_ID.includes(t)) continue;
    const r = await sql<{ n: string | number }>`SELECT coalesce(max(id), 0) AS n FROM ${sql.table(t)}`.execute(trx);
    next.set(t, Number(r.rows[0].n) + 1);
  }
  const insert = (t: DemoTable) => (row: object) => {
    const kept = rows.get(t)!;
    if (!next.has(t)) {
      kept.push({ ...row });
      return 0;
    }
    const id = next.get(t)!;
    next.set(t, id + 1);
    kept.push({ id, ...row });
    return id;
  };
  const ins = Object.fromEntries(DEMO_TABLES.map((t) => [t, insert(t)])) as unknown as DemoInserts;
  return {
    ins,
    async flush() {
      for (const t of DEMO_TABLES) {
        const kept = rows.get(t)!;
        if (kept.length === 0) continue;
        const per = Math.max(1, Math.floor(PARAMS / Object.keys(kept[0]).length));
        for (let i = 0; i < kept.length; i += per) await trx.insertInto(t).values(kept.slice(i, i + per) as never).execute();
        rows.set(t, []);
      }
    },
    async finish() {
      for (const t of next.keys()) {
        await sql`SELECT setval(pg_get_serial_sequence(${t}, 'id'), (SELECT coalesce(max(id), 0) + 1 FROM ${sql.table(t)}), false)`.execute(trx);
      }
    },
  };
}
