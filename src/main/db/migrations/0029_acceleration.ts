import { sql, type Kysely } from 'kysely';

// 宣布贷款提前到期 as a loan change decided like an extension: the kind joins the CHECK (SQLite cannot alter one, so
// the table is rebuilt; nothing references it) and the grounds are kept with the application (JSON array of codes,
// shared/domain/acceleration.ts). `new_maturity` is the accelerated due date, set when it is approved.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE loan_changes_new (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      kind TEXT NOT NULL CHECK (kind IN ('extension','restructuring','write-off','acceleration')),
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
      created_at TEXT NOT NULL,
      grounds TEXT
    )`.execute(db);
  await sql`
    INSERT INTO loan_changes_new (id, loan_id, kind, applied_on, new_maturity, new_rate, new_method, reason, evidence, status, applicant,
      first_approver, first_at, first_comment, final_approver, final_at, final_comment, created_at)
    SELECT id, loan_id, kind, applied_on, new_maturity, new_rate, new_method, reason, evidence, status, applicant,
      first_approver, first_at, first_comment, final_approver, final_at, final_comment, created_at
    FROM loan_changes`.execute(db);
  await sql`DROP TABLE loan_changes`.execute(db);
  await sql`ALTER TABLE loan_changes_new RENAME TO loan_changes`.execute(db);
  await sql`CREATE INDEX loan_changes_loan ON loan_changes(loan_id, status)`.execute(db);
}
