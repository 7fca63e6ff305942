import { sql, type Kysely } from 'kysely';

// Frozen. Each loan keeps the allocation order it was made with, so changing the setting never
// re-allocates past repayments.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE loans ADD COLUMN allocation_order TEXT NOT NULL DEFAULT '["penalty","interest","principal"]'`.execute(db);
}
