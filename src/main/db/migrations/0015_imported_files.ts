import { sql, type Kysely } from 'kysely';

// Frozen. Imported files keep their bytes in an encrypted file beside the database (db/fileStore.ts), as
// documents do since 0011; `content` stays empty for them. Rows from before keep their BLOB and are read from it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE imported_files ADD COLUMN file_ref TEXT`.execute(db);
}
