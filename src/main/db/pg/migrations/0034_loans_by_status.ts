import { sql, type Kysely } from 'kysely';

// Twin of ../../migrations/0034_loans_by_status.ts. The loan list counts the loans of a status on every page; with
// their ids in an index of their own the count is a merge of two index-only scans.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX loans_by_status ON loans(status, id)`.execute(db);
}
