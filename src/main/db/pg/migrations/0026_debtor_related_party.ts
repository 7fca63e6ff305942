import { sql, type Kysely } from 'kysely';

// Twin of ../../migrations/0026_debtor_related_party.ts: account debtors' related-party flag (0/1).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE debtors ADD COLUMN related_party bigint NOT NULL DEFAULT 0`.execute(db);
}
