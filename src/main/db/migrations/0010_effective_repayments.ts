import { sql, type Kysely } from 'kysely';

// Frozen. The payments that count: neither reversed nor reversals themselves. One definition for every query.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE VIEW effective_repayments AS
    SELECT r.* FROM repayments r
    WHERE r.reversal_of IS NULL AND NOT EXISTS (SELECT 1 FROM repayments x WHERE x.reversal_of = r.id)`.execute(db);
}
