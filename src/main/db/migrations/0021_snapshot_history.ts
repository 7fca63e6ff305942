import { sql, type Kysely } from 'kysely';

// Frozen. What a month-end snapshot could not replay from the recorded history, per loan (comma-separated:
// `schedule` — a schedule version without a recorded date; `rate` — the rate before a restructuring not
// recorded; `restructuring` — whether the loan was non-performing before an earlier restructuring). Empty: all
// recorded. Rows taken before this column have '' and used today's schedule and officer.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE portfolio_snapshot_loans ADD COLUMN history_gaps TEXT NOT NULL DEFAULT ''`.execute(db);
}
