import { sql, type Kysely } from 'kysely';

// Frozen: never edit a shipped migration; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE borrowers (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('person','enterprise')),
      name TEXT NOT NULL,
      id_number TEXT NOT NULL UNIQUE,
      phone TEXT NOT NULL DEFAULT '',
      address TEXT NOT NULL DEFAULT '',
      employer TEXT NOT NULL DEFAULT '',
      legal_rep TEXT NOT NULL DEFAULT '',
      industry TEXT NOT NULL DEFAULT '',
      registered_capital_fen INTEGER,
      tier TEXT NOT NULL CHECK (tier IN ('good','normal','risk')),
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE VIRTUAL TABLE borrowers_fts USING fts5(name, id_number, phone, content='borrowers', content_rowid='id', tokenize='trigram')`.execute(db);
  await sql`CREATE TRIGGER borrowers_ai AFTER INSERT ON borrowers BEGIN
    INSERT INTO borrowers_fts(rowid, name, id_number, phone) VALUES (new.id, new.name, new.id_number, new.phone); END`.execute(db);
  await sql`CREATE TRIGGER borrowers_ad AFTER DELETE ON borrowers BEGIN
    INSERT INTO borrowers_fts(borrowers_fts, rowid, name, id_number, phone) VALUES ('delete', old.id, old.name, old.id_number, old.phone); END`.execute(db);
  await sql`CREATE TRIGGER borrowers_au AFTER UPDATE ON borrowers BEGIN
    INSERT INTO borrowers_fts(borrowers_fts, rowid, name, id_number, phone) VALUES ('delete', old.id, old.name, old.id_number, old.phone);
    INSERT INTO borrowers_fts(rowid, name, id_number, phone) VALUES (new.id, new.name, new.id_number, new.phone); END`.execute(db);

  await sql`
    CREATE TABLE guarantors (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('person','enterprise')),
      name TEXT NOT NULL,
      id_number TEXT NOT NULL UNIQUE,
      phone TEXT NOT NULL DEFAULT '',
      address TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE loans (
      id INTEGER PRIMARY KEY,
      contract_no TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('loan','factoring')),
      borrower_id INTEGER NOT NULL REFERENCES borrowers(id),
      product TEXT NOT NULL,
      principal_fen INTEGER NOT NULL CHECK (principal_fen > 0),
      annual_rate TEXT NOT NULL,
      penalty_uplift TEXT NOT NULL,
      term_months INTEGER NOT NULL,
      method TEXT NOT NULL,
      purpose TEXT NOT NULL DEFAULT '',
      start_date TEXT NOT NULL,
      maturity_date TEXT NOT NULL,
      guarantee_modes TEXT NOT NULL,
      officer TEXT NOT NULL REFERENCES users(username),
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','closed','written-off')),
      schedule_version INTEGER NOT NULL DEFAULT 1,
      restructured INTEGER NOT NULL DEFAULT 0,
      npl_before_restructure INTEGER NOT NULL DEFAULT 0,
      extended INTEGER NOT NULL DEFAULT 0,
      closed_on TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX loans_borrower ON loans(borrower_id)`.execute(db);
  await sql`CREATE INDEX loans_officer ON loans(officer, status)`.execute(db);

  await sql`
    CREATE TABLE schedule_rows (
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      version INTEGER NOT NULL,
      period INTEGER NOT NULL,
      due_date TEXT NOT NULL,
      principal_fen INTEGER NOT NULL,
      interest_fen INTEGER NOT NULL,
      PRIMARY KEY (loan_id, version, period)
    ) WITHOUT ROWID`.execute(db);

  await sql`
    CREATE TABLE repayments (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      paid_on TEXT NOT NULL,
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      source TEXT NOT NULL DEFAULT 'borrower' CHECK (source IN ('borrower','debtor','buyback','import')),
      receivable_id INTEGER,
      note TEXT NOT NULL DEFAULT '',
      reversal_of INTEGER REFERENCES repayments(id),
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX repayments_loan ON repayments(loan_id, paid_on)`.execute(db);
  await sql`CREATE UNIQUE INDEX repayments_one_reversal ON repayments(reversal_of) WHERE reversal_of IS NOT NULL`.execute(db);

  await sql`
    CREATE TABLE loan_guarantees (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      guarantor_id INTEGER NOT NULL REFERENCES guarantors(id),
      guarantee_type TEXT NOT NULL CHECK (guarantee_type IN ('general','joint')),
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      period_end TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (loan_id, guarantor_id)
    )`.execute(db);

  await sql`
    CREATE TABLE collateral (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      kind TEXT NOT NULL CHECK (kind IN ('mortgage','pledge')),
      type TEXT NOT NULL,
      description TEXT NOT NULL,
      owner TEXT NOT NULL,
      registration_authority TEXT NOT NULL DEFAULT '',
      registration_no TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE collateral_valuations (
      id INTEGER PRIMARY KEY,
      collateral_id INTEGER NOT NULL REFERENCES collateral(id),
      value_fen INTEGER NOT NULL CHECK (value_fen > 0),
      valued_on TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE certificates (
      id INTEGER PRIMARY KEY,
      collateral_id INTEGER NOT NULL REFERENCES collateral(id),
      cert_no TEXT NOT NULL,
      cert_type TEXT NOT NULL,
      custody TEXT NOT NULL CHECK (custody IN ('vault','lent','returned')),
      updated_at TEXT NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE loan_events (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      event_date TEXT NOT NULL,
      kind TEXT NOT NULL,
      detail TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX loan_events_loan ON loan_events(loan_id, event_date)`.execute(db);

  await sql`
    CREATE TABLE classifications (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      level TEXT NOT NULL,
      floor_level TEXT NOT NULL,
      floor_reasons TEXT NOT NULL,
      reason TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('system','pending','approved','rejected')),
      proposed_by TEXT NOT NULL,
      proposed_at TEXT NOT NULL,
      decided_by TEXT,
      decided_at TEXT,
      decision_comment TEXT
    )`.execute(db);
  await sql`CREATE INDEX classifications_loan ON classifications(loan_id, id)`.execute(db);

  await sql`
    CREATE TABLE loan_status (
      loan_id INTEGER PRIMARY KEY REFERENCES loans(id),
      as_of TEXT NOT NULL,
      balance_fen INTEGER NOT NULL,
      dpd INTEGER NOT NULL,
      bucket TEXT NOT NULL,
      overdue_principal_fen INTEGER NOT NULL,
      overdue_interest_fen INTEGER NOT NULL,
      penalty_fen INTEGER NOT NULL,
      oldest_unpaid TEXT,
      floor_level TEXT NOT NULL,
      floor_reasons TEXT NOT NULL,
      level TEXT NOT NULL
    )`.execute(db);

  await sql`
    CREATE TABLE factoring_terms (
      loan_id INTEGER PRIMARY KEY REFERENCES loans(id),
      recourse INTEGER NOT NULL,
      financing_ratio TEXT NOT NULL,
      fee_fen INTEGER NOT NULL DEFAULT 0
    )`.execute(db);
  await sql`
    CREATE TABLE debtors (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      credit_code TEXT NOT NULL UNIQUE,
      address TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE receivables (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      seller_id INTEGER NOT NULL REFERENCES borrowers(id),
      debtor_id INTEGER NOT NULL REFERENCES debtors(id),
      invoice_no TEXT NOT NULL,
      invoice_amount_fen INTEGER NOT NULL CHECK (invoice_amount_fen > 0),
      invoice_date TEXT NOT NULL,
      due_date TEXT NOT NULL,
      UNIQUE (seller_id, invoice_no)
    )`.execute(db);
  await sql`
    CREATE TABLE receivable_payments (
      id INTEGER PRIMARY KEY,
      receivable_id INTEGER NOT NULL REFERENCES receivables(id),
      kind TEXT NOT NULL CHECK (kind IN ('debtor','buyback')),
      paid_on TEXT NOT NULL,
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      repayment_id INTEGER NOT NULL REFERENCES repayments(id),
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
}
