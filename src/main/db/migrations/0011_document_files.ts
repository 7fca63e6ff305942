import { sql, type Kysely } from 'kysely';

// Frozen. New documents keep their bytes in an encrypted file beside the database (db/fileStore.ts);
// `content` stays empty for them. Older rows keep their BLOB and are read from it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE documents ADD COLUMN file_ref TEXT`.execute(db);
}
