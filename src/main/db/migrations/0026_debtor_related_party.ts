import { sql, type Kysely } from 'kysely';

// Whether an account debtor (应收账款债务人) is a related party (关联方) of the company: the 205号 limit on
// related-party debtors (≤ 40 % of the factoring risk assets) is checked against it. Existing debtors are not.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE debtors ADD COLUMN related_party INTEGER NOT NULL DEFAULT 0`.execute(db);
}
