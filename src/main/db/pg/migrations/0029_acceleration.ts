import { sql, type Kysely } from 'kysely';

// Twin of ../../migrations/0029_acceleration.ts: the acceleration kind and its grounds.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE loan_changes DROP CONSTRAINT loan_changes_kind_check`.execute(db);
  await sql`ALTER TABLE loan_changes ADD CONSTRAINT loan_changes_kind_check CHECK (kind IN ('extension','restructuring','write-off','acceleration'))`.execute(db);
  await sql`ALTER TABLE loan_changes ADD COLUMN grounds text`.execute(db);
}
