import { sql, type Kysely } from 'kysely';

// Frozen: never edit a shipped migration; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // One store of documents for every feature: inspection photos, receipt scans, archive files.
  await sql`
    CREATE TABLE documents (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER REFERENCES loans(id),
      borrower_id INTEGER REFERENCES borrowers(id),
      doc_type TEXT NOT NULL,
      file_name TEXT NOT NULL,
      mime TEXT NOT NULL,
      size INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      content BLOB NOT NULL,
      replaces_id INTEGER REFERENCES documents(id),
      removed_at TEXT,
      removed_by TEXT,
      removed_reason TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX documents_loan ON documents(loan_id)`.execute(db);

  await sql`
    CREATE TABLE calendar_years (
      year INTEGER PRIMARY KEY,
      holidays TEXT NOT NULL,
      workdays TEXT NOT NULL,
      source TEXT NOT NULL,
      imported_by TEXT NOT NULL,
      imported_at TEXT NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE inspections (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      kind TEXT NOT NULL CHECK (kind IN ('first','routine','pre-maturity','special')),
      due_date TEXT NOT NULL,
      reason TEXT NOT NULL,
      warning_id INTEGER,
      status TEXT NOT NULL CHECK (status IN ('planned','done','cancelled')),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX inspections_loan ON inspections(loan_id, due_date)`.execute(db);
  await sql`CREATE INDEX inspections_due ON inspections(status, due_date)`.execute(db);

  await sql`
    CREATE TABLE inspection_reports (
      id INTEGER PRIMARY KEY,
      inspection_id INTEGER NOT NULL REFERENCES inspections(id),
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      form TEXT NOT NULL CHECK (form IN ('first','post')),
      version INTEGER NOT NULL,
      previous_id INTEGER REFERENCES inspection_reports(id),
      status TEXT NOT NULL CHECK (status IN ('draft','submitted','returned','signed','accepted','superseded')),
      visit_date TEXT NOT NULL,
      data TEXT NOT NULL,
      officer TEXT NOT NULL,
      report_due TEXT NOT NULL,
      submitted_at TEXT,
      review_due TEXT,
      reviewer TEXT,
      reviewed_at TEXT,
      review_comment TEXT,
      accepted_by TEXT,
      accepted_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX inspection_reports_loan ON inspection_reports(loan_id)`.execute(db);
  await sql`
    CREATE TABLE report_attachments (
      report_id INTEGER NOT NULL REFERENCES inspection_reports(id),
      document_id INTEGER NOT NULL REFERENCES documents(id),
      caption TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (report_id, document_id)
    )`.execute(db);
  await sql`
    CREATE TABLE report_events (
      id INTEGER PRIMARY KEY,
      report_id INTEGER NOT NULL REFERENCES inspection_reports(id),
      step TEXT NOT NULL,
      by_user TEXT NOT NULL,
      at TEXT NOT NULL,
      comment TEXT NOT NULL DEFAULT ''
    )`.execute(db);

  await sql`
    CREATE TABLE warning_signals (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL UNIQUE,
      category TEXT NOT NULL CHECK (category IN ('borrower','guarantor','collateral','factoring')),
      name_zh TEXT NOT NULL,
      name_en TEXT NOT NULL,
      level TEXT NOT NULL CHECK (level IN ('light','medium','serious')),
      auto_rule TEXT,
      active INTEGER NOT NULL DEFAULT 1,
      updated_by TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE warnings (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      signal_id INTEGER NOT NULL REFERENCES warning_signals(id),
      source TEXT NOT NULL CHECK (source IN ('auto','manual')),
      level TEXT NOT NULL,
      detail TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('raised','planned','feedback','confirmed','cleared','escalated')),
      owner TEXT NOT NULL,
      raised_by TEXT NOT NULL,
      raised_at TEXT NOT NULL,
      plan TEXT, plan_by TEXT, plan_at TEXT, plan_due TEXT,
      feedback TEXT, feedback_by TEXT, feedback_at TEXT,
      confirmed_by TEXT, confirmed_at TEXT,
      closed_note TEXT, closed_by TEXT, closed_at TEXT
    )`.execute(db);
  await sql`CREATE INDEX warnings_loan ON warnings(loan_id, status)`.execute(db);

  await sql`
    CREATE TABLE work_log (
      id INTEGER PRIMARY KEY,
      borrower_id INTEGER NOT NULL REFERENCES borrowers(id),
      loan_id INTEGER REFERENCES loans(id),
      entry_date TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('call','visit','finding','message','other')),
      content TEXT NOT NULL,
      author TEXT NOT NULL,
      created_at TEXT NOT NULL,
      comment_due TEXT NOT NULL,
      supervisor_comment TEXT,
      commented_by TEXT,
      commented_at TEXT
    )`.execute(db);
  await sql`CREATE INDEX work_log_borrower ON work_log(borrower_id, entry_date)`.execute(db);
}
