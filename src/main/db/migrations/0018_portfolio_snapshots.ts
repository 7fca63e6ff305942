import { sql, type Kysely } from 'kysely';

// Frozen. Month-end (and on-demand) portfolio snapshots (月末快照): one header per snapshot and one row per loan on
// the books that day, as computed then. Neither is ever updated or deleted (triggers): a supervisor's re-snapshot
// of a past date is a new header that names the one it replaces (`supersedes`, unique, so versions never fork),
// and the newest of a date is the one in force. `activity` holds the period's figures (write-offs, recoveries,
// promises, receipts, inspections, open warnings) as JSON, taken with the loans. `provision_held` records the
// loan-loss provision actually booked for a date (贷款损失准备余额), newest entry in force, append-only too.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE portfolio_snapshots (
      id INTEGER PRIMARY KEY,
      as_of TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('month-end', 'on-demand')),
      supersedes INTEGER UNIQUE REFERENCES portfolio_snapshots(id),
      reason TEXT,
      taken_at TEXT NOT NULL,
      taken_by TEXT NOT NULL,
      provision_rates TEXT NOT NULL,
      activity TEXT NOT NULL,
      loans INTEGER NOT NULL,
      balance_fen INTEGER NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX portfolio_snapshots_as_of ON portfolio_snapshots(as_of)`.execute(db);
  await sql`
    CREATE TABLE portfolio_snapshot_loans (
      snapshot_id INTEGER NOT NULL REFERENCES portfolio_snapshots(id),
      loan_id INTEGER NOT NULL,
      contract_no TEXT NOT NULL,
      kind TEXT NOT NULL,
      borrower_id INTEGER NOT NULL,
      borrower_name TEXT NOT NULL,
      officer TEXT NOT NULL,
      product TEXT NOT NULL,
      industry TEXT NOT NULL,
      start_date TEXT NOT NULL,
      maturity_date TEXT NOT NULL,
      principal_fen INTEGER NOT NULL,
      balance_fen INTEGER NOT NULL,
      dpd INTEGER NOT NULL,
      bucket TEXT NOT NULL,
      level TEXT NOT NULL,
      overdue_principal_fen INTEGER NOT NULL,
      overdue_interest_fen INTEGER NOT NULL,
      penalty_fen INTEGER NOT NULL,
      provision_rate_bp INTEGER NOT NULL,
      provision_fen INTEGER NOT NULL,
      PRIMARY KEY (snapshot_id, loan_id)
    )`.execute(db);
  await sql`
    CREATE TABLE provision_held (
      id INTEGER PRIMARY KEY,
      as_of TEXT NOT NULL,
      held_fen INTEGER NOT NULL,
      note TEXT NOT NULL,
      entered_by TEXT NOT NULL,
      entered_at TEXT NOT NULL
    )`.execute(db);
  for (const t of ['portfolio_snapshots', 'portfolio_snapshot_loans', 'provision_held']) {
    await sql.raw(`CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END`).execute(db);
  }
}
