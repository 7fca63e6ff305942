import { sql, type Kysely } from 'kysely';

// 诉讼案件: the case a transfer to legal (loan_events 'legal-transfer') opens, with its asset preservations (财产保全),
// the costs advanced for it and what was recovered through it. Deadlines (enforcement application, preservation
// end) are computed from the dates, never stored. One open case per loan.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE legal_cases (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      transfer_event_id INTEGER NOT NULL REFERENCES loan_events(id),
      court TEXT NOT NULL DEFAULT '',
      case_no TEXT NOT NULL DEFAULT '',
      filed_on TEXT,
      hearing_on TEXT,
      outcome TEXT CHECK (outcome IS NULL OR outcome IN ('judgment','mediation','withdrawn')),
      outcome_on TEXT,
      judgment_fen INTEGER CHECK (judgment_fen IS NULL OR judgment_fen >= 0),
      performance_due TEXT,
      enforcement_applied_on TEXT,
      enforcement_case_no TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
      closed_on TEXT,
      close_note TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX legal_cases_one_open ON legal_cases(loan_id) WHERE status = 'open'`.execute(db);
  await sql`
    CREATE TABLE legal_preservations (
      id INTEGER PRIMARY KEY,
      case_id INTEGER NOT NULL REFERENCES legal_cases(id),
      what TEXT NOT NULL,
      ruling_no TEXT NOT NULL DEFAULT '',
      from_date TEXT NOT NULL,
      until_date TEXT NOT NULL,
      released_on TEXT,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      CHECK (until_date >= from_date)
    )`.execute(db);
  await sql`CREATE INDEX legal_preservations_case ON legal_preservations(case_id)`.execute(db);
  await sql`
    CREATE TABLE legal_costs (
      id INTEGER PRIMARY KEY,
      case_id INTEGER NOT NULL REFERENCES legal_cases(id),
      kind TEXT NOT NULL CHECK (kind IN ('court_fee','lawyer','preservation_guarantee','other')),
      amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
      paid_on TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX legal_costs_case ON legal_costs(case_id)`.execute(db);
  await sql`
    CREATE TABLE legal_recoveries (
      id INTEGER PRIMARY KEY,
      case_id INTEGER NOT NULL REFERENCES legal_cases(id),
      source TEXT NOT NULL CHECK (source IN ('enforcement','settlement','guarantor','collateral_sale','other')),
      amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
      received_on TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX legal_recoveries_case ON legal_recoveries(case_id)`.execute(db);
  // 责任认定 and 处置方案 of a non-performing loan: proposed by its officer, decided by a supervisor (maker–checker).
  await sql`
    CREATE TABLE npl_plans (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      accountability TEXT NOT NULL,
      method TEXT NOT NULL CHECK (method IN ('litigation','settlement','collateral_disposal','guarantor','transfer','restructuring','write_off','other')),
      plan TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
      proposed_by TEXT NOT NULL,
      proposed_at TEXT NOT NULL,
      decided_by TEXT,
      decided_at TEXT,
      decision_comment TEXT
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX npl_plans_one_pending ON npl_plans(loan_id) WHERE status = 'pending'`.execute(db);
}
