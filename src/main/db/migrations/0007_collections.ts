import { sql, type Kysely } from 'kysely';

// Frozen: never edit a shipped migration; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE serial_counters (year INTEGER PRIMARY KEY, last INTEGER NOT NULL)`.execute(db);
  await sql`
    CREATE TABLE notices (
      id INTEGER PRIMARY KEY,
      serial TEXT NOT NULL UNIQUE,
      doc_type TEXT NOT NULL,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      addressee_kind TEXT NOT NULL,
      addressee_name TEXT NOT NULL,
      addressee_address TEXT NOT NULL,
      as_of TEXT NOT NULL,
      principal_fen INTEGER NOT NULL,
      interest_fen INTEGER NOT NULL,
      penalty_fen INTEGER NOT NULL,
      pay_by TEXT,
      batch_id TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('prepared','printed','void')),
      receipt_required INTEGER NOT NULL,
      receipt_status TEXT NOT NULL CHECK (receipt_status IN ('none','pending','returned')),
      signed_on TEXT,
      signed_by TEXT,
      delivery TEXT,
      tracking_no TEXT,
      scan_document_id INTEGER REFERENCES documents(id),
      registered_by TEXT,
      registered_at TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      printed_at TEXT
    )`.execute(db);
  await sql`CREATE INDEX notices_loan ON notices(loan_id, status)`.execute(db);
  await sql`CREATE INDEX notices_receipts ON notices(receipt_status, printed_at)`.execute(db);
  await sql`
    CREATE TABLE notice_templates (
      doc_type TEXT PRIMARY KEY,
      blocks TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE promises (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      promise_date TEXT NOT NULL,
      made_on TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE contacts (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      channel TEXT NOT NULL CHECK (channel IN ('call','visit','letter','message')),
      target TEXT NOT NULL,
      slot TEXT NOT NULL CHECK (slot IN ('morning','afternoon','evening')),
      outcome TEXT NOT NULL CHECK (outcome IN ('reached','promised','refused','wrong-number','no-answer','other')),
      note TEXT NOT NULL DEFAULT '',
      contacted_on TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX contacts_loan ON contacts(loan_id, contacted_on)`.execute(db);
  // Interruptions of the limitation period that are not already facts elsewhere (payments, receipts, promises).
  await sql`
    CREATE TABLE limitation_events (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      kind TEXT NOT NULL CHECK (kind IN ('extension-request','lawsuit','other-demand')),
      event_date TEXT NOT NULL,
      note TEXT NOT NULL,
      evidence_document_id INTEGER REFERENCES documents(id),
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
}
