import { sql, type Kysely } from 'kysely';

// Frozen: never edit a shipped migration; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // Extension (展期), restructuring (重组) and write-off (核销) requests, each decided by others than the applicant.
  await sql`
    CREATE TABLE loan_changes (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      kind TEXT NOT NULL CHECK (kind IN ('extension','restructuring','write-off')),
      applied_on TEXT NOT NULL,
      new_maturity TEXT,
      new_rate TEXT,
      new_method TEXT,
      reason TEXT NOT NULL,
      evidence TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL CHECK (status IN ('pending','first-approved','approved','rejected')),
      applicant TEXT NOT NULL,
      first_approver TEXT, first_at TEXT, first_comment TEXT,
      final_approver TEXT, final_at TEXT, final_comment TEXT,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX loan_changes_loan ON loan_changes(loan_id, status)`.execute(db);
  // Money recovered after a write-off (账销案存): kept apart from the repayments of the live loan.
  await sql`
    CREATE TABLE recoveries (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      paid_on TEXT NOT NULL,
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      note TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`ALTER TABLE loans ADD COLUMN observation_until TEXT`.execute(db);
  await sql`ALTER TABLE loans ADD COLUMN written_off_on TEXT`.execute(db);
}
