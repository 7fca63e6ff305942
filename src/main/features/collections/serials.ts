import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema';

/**
 * The next notice serial of a year, `YYYY-<prefix>-NNNNNN`, one counter per year across every notice type.
 * Taken inside the transaction that records the notice: a rolled-back print consumes nothing. Read and
 * written with no other writer in between: on SQLite by BEGIN IMMEDIATE, on the branch server by the writer
 * lock that every write transaction takes first (db/pg/writer.ts).
 */
export const formatSerial = (year: number, prefix: string, n: number) => `${year}-${prefix}-${String(n).padStart(6, '0')}`;

/** The year's counter as it stands: the serials a print would take next, if nobody prints first. */
export async function lastSerial(db: Kysely<Database>, year: number): Promise<number> {
  return (await db.selectFrom('serial_counters').select('last').where('year', '=', year).executeTakeFirst())?.last ?? 0;
}

export async function nextSerial(trx: Transaction<Database>, year: number, prefix: string): Promise<string> {
  const row = await trx.selectFrom('serial_counters').select('last').where('year', '=', year).executeTakeFirst();
  const next = (row?.last ?? 0) + 1;
  await trx.insertInto('serial_counters').values({ year, last: next }).onConflict((oc) => oc.column('year').doUpdateSet({ last: next })).execute();
  return formatSerial(year, prefix, next);
}
