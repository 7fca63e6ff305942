import { sql, type Kysely } from 'kysely';

// Frozen: never edit a shipped migration; add a new one.
// Indexes for the warning loop, the work log and today's work: each list reads a few rows, not the whole table.
export async function up(db: Kysely<any>): Promise<void> {
  // The batch's check for an open warning of a signal on a loan reads the index alone.
  await sql`CREATE INDEX warnings_loan_signal ON warnings(loan_id, signal_id, status)`.execute(db);
  // An owner's warnings to handle.
  await sql`CREATE INDEX warnings_owner ON warnings(owner, status)`.execute(db);
  // Open warnings by step and level: those awaiting confirmation, the serious ones.
  await sql`CREATE INDEX warnings_status ON warnings(status, level)`.execute(db);
  // A warning's special inspection.
  await sql`CREATE INDEX inspections_warning ON inspections(warning_id) WHERE warning_id IS NOT NULL`.execute(db);
  // Entries still waiting for the supervisor's comment, by due date.
  await sql`CREATE INDEX work_log_uncommented ON work_log(comment_due) WHERE supervisor_comment IS NULL`.execute(db);
}
