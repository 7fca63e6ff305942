import { sql, type Kysely } from 'kysely';

// Frozen. The CRC-32 of a document's plain bytes, computed when it is stored: the archive export's inner zip
// needs it in the entry's header, before the bytes, and would otherwise decrypt the document twice. NULL for
// documents stored before this column (they keep the two reads).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE documents ADD COLUMN crc32 INTEGER`.execute(db);
}
