import { sql, type Kysely } from 'kysely';

// Frozen: never edit a shipped migration; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE doc_types (
      code TEXT PRIMARY KEY,
      name_zh TEXT NOT NULL,
      name_en TEXT NOT NULL,
      sort INTEGER NOT NULL,
      active INTEGER NOT NULL DEFAULT 1,
      updated_by TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  // Required document types per product and stage.
  await sql`
    CREATE TABLE checklist_rules (
      product TEXT NOT NULL CHECK (product IN ('credit','guarantee','mortgage','pledge','factoring')),
      stage TEXT NOT NULL CHECK (stage IN ('disbursement','inspection','payoff')),
      doc_type TEXT NOT NULL,
      PRIMARY KEY (product, stage, doc_type)
    ) WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE file_locations (
      loan_id INTEGER PRIMARY KEY REFERENCES loans(id),
      room TEXT NOT NULL,
      cabinet TEXT NOT NULL,
      shelf TEXT NOT NULL,
      box TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE file_loans (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      borrower_user TEXT NOT NULL,
      purpose TEXT NOT NULL,
      lent_on TEXT NOT NULL,
      due_back TEXT NOT NULL,
      lent_by TEXT NOT NULL,
      returned_on TEXT,
      received_by TEXT,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX file_loans_one_out ON file_loans(loan_id) WHERE returned_on IS NULL`.execute(db);
  await sql`
    CREATE TABLE destruction_lists (
      id INTEGER PRIMARY KEY,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      reason TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('proposed','approved-once','approved','rejected','destroyed')),
      first_approver TEXT, first_at TEXT,
      second_approver TEXT, second_at TEXT,
      destroyed_by TEXT, destroyed_at TEXT
    )`.execute(db);
  await sql`
    CREATE TABLE destruction_items (
      list_id INTEGER NOT NULL REFERENCES destruction_lists(id),
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      PRIMARY KEY (list_id, loan_id)
    ) WITHOUT ROWID`.execute(db);
  await sql`
    CREATE TABLE imported_archives (
      id INTEGER PRIMARY KEY,
      file_name TEXT NOT NULL,
      institution TEXT NOT NULL,
      exported_at TEXT NOT NULL,
      exported_by TEXT NOT NULL,
      manifest TEXT NOT NULL,
      imported_by TEXT NOT NULL,
      imported_at TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE imported_files (
      archive_id INTEGER NOT NULL REFERENCES imported_archives(id),
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      size INTEGER NOT NULL,
      content BLOB NOT NULL,
      PRIMARY KEY (archive_id, path)
    )`.execute(db);
}
