import { sql, type Kysely } from 'kysely';

// Frozen. Safe money posting (issue #16):
// - `repayments.excess`: what a payment does with money beyond what has fallen due on its date: 'credit' (held as
//   溢收款, meeting later instalments on their due dates) or 'settle' (early settlement). Payments recorded before
//   this migration are 'advance': they keep the allocation they had (on to later instalments, interest included),
//   so upgrading never re-allocates the past.
// - `repayments.fee_fen`: the prepayment fee fixed when a settlement was posted.
// - `repayment_reversals`: a reversal proposed with its reason waits for a second person's approval; only an
//   approved one adds the reversing row to `repayments`.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE repayments ADD COLUMN excess TEXT NOT NULL DEFAULT 'credit' CHECK (excess IN ('advance', 'credit', 'settle'))`.execute(db);
  await sql`ALTER TABLE repayments ADD COLUMN fee_fen INTEGER NOT NULL DEFAULT 0 CHECK (fee_fen >= 0)`.execute(db);
  await sql`UPDATE repayments SET excess = 'advance'`.execute(db);
  await sql`
    CREATE TABLE repayment_reversals (
      id INTEGER PRIMARY KEY,
      repayment_id INTEGER NOT NULL REFERENCES repayments(id),
      loan_id INTEGER NOT NULL REFERENCES loans(id),
      reason TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
      proposed_by TEXT NOT NULL,
      proposed_at TEXT NOT NULL,
      decided_by TEXT,
      decided_at TEXT,
      decision_comment TEXT
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX repayment_reversals_one_pending ON repayment_reversals(repayment_id) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX repayment_reversals_loan ON repayment_reversals(loan_id)`.execute(db);
}
