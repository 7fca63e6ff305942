import { sql, type Kysely } from 'kysely';

// Frozen. Further disbursements under a contract (分次放款). The first one is the loan's own start date and
// principal at creation; `loans.principal_fen` is what has been drawn, `contract_amount_fen` the ceiling
// (NULL: the contract amount was drawn in full at once).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE loans ADD COLUMN contract_amount_fen INTEGER`.execute(db);
  await sql`
    CREATE TABLE loan_drawdowns (
      id INTEGER PRIMARY KEY,
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      drawn_on TEXT NOT NULL,
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      voucher_no TEXT NOT NULL,
      schedule_version INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX loan_drawdowns_loan ON loan_drawdowns(loan_id)`.execute(db);
}
