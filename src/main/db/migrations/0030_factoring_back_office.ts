import { sql, type Kysely } from 'kysely';

// The factoring back office: a limit per account debtor (null: none set); each receivable's confirmation by the
// debtor (确权: none, by its receipt of the assignment notice, or by a signed confirmation) with its date and
// evidence, and when it was added to its financing (null: with the financing, before 0030); the collection account (回款账户) of each financing; and the receivables' adjustments (dilution:
// credit notes, returns, disputes and their resolution; and payments that reached the seller instead of the
// account), append-only like the other money records.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE debtors ADD COLUMN limit_fen INTEGER CHECK (limit_fen IS NULL OR limit_fen >= 0)`.execute(db);
  await sql`ALTER TABLE receivables ADD COLUMN confirmation TEXT NOT NULL DEFAULT 'none' CHECK (confirmation IN ('none','receipt','signed'))`.execute(db);
  await sql`ALTER TABLE receivables ADD COLUMN confirmed_on TEXT`.execute(db);
  await sql`ALTER TABLE receivables ADD COLUMN confirmation_note TEXT NOT NULL DEFAULT ''`.execute(db);
  await sql`ALTER TABLE receivables ADD COLUMN added_at TEXT`.execute(db);
  await sql`ALTER TABLE factoring_terms ADD COLUMN collection_bank TEXT NOT NULL DEFAULT ''`.execute(db);
  await sql`ALTER TABLE factoring_terms ADD COLUMN collection_account_name TEXT NOT NULL DEFAULT ''`.execute(db);
  await sql`ALTER TABLE factoring_terms ADD COLUMN collection_account_no TEXT NOT NULL DEFAULT ''`.execute(db);
  await sql`
    CREATE TABLE receivable_adjustments (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      receivable_id INTEGER NOT NULL REFERENCES receivables(id),
      kind TEXT NOT NULL CHECK (kind IN ('credit-note','return','dispute','dispute-resolved','misdirected')),
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      adjusted_on TEXT NOT NULL,
      reason TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX receivable_adjustments_receivable ON receivable_adjustments(receivable_id)`.execute(db);
  for (const op of ['UPDATE', 'DELETE']) {
    await sql.raw(`CREATE TRIGGER receivable_adjustments_no_${op.toLowerCase()} BEFORE ${op} ON receivable_adjustments BEGIN SELECT RAISE(ABORT, 'receivable_adjustments is append-only'); END`).execute(db);
  }
}
