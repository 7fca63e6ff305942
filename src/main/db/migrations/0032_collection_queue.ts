import { sql, type Kysely } from 'kysely';

// A collector's queue: overdue loans assigned to a user with the collector role. One current assignment per loan
// (ended_at null); ended ones stay as the record of who worked the loan when.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE collection_assignments (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      collector TEXT NOT NULL,
      assigned_by TEXT NOT NULL,
      assigned_at TEXT NOT NULL,
      ended_at TEXT,
      ended_by TEXT
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX collection_assignments_current ON collection_assignments(loan_id) WHERE ended_at IS NULL`.execute(db);
  await sql`CREATE INDEX collection_assignments_collector ON collection_assignments(collector, ended_at)`.execute(db);
}
