import { sql, type Kysely } from 'kysely';

// Twin of ../../migrations/0027_delinquency_reason.ts: 逾期原因 on the contact that learnt it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE contacts ADD COLUMN reason text CHECK (reason IS NULL OR reason IN ('business-difficulty','income-loss','illness-accident','dispute','wilful','death-missing','other'))`.execute(db);
}
