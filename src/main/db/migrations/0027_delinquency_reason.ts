import { sql, type Kysely } from 'kysely';

// 逾期原因 on the contact that learnt it (shared/domain/delinquency.ts). Null on older contacts and on those that
// reached no one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE contacts ADD COLUMN reason TEXT CHECK (reason IS NULL OR reason IN ('business-difficulty','income-loss','illness-accident','dispute','wilful','death-missing','other'))`.execute(db);
}
