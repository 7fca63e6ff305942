import { sql, type Kysely } from 'kysely';
import { pinyinColumns } from '../pinyin';

// Borrowers' names in pinyin, beside the name: lists sort by pinyin and search finds "shangguan" or "sgm".
// Existing rows are filled here; from now on every write of a name writes these too (db/pinyin.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE borrowers ADD COLUMN name_pinyin TEXT NOT NULL DEFAULT ''`.execute(db);
  await sql`ALTER TABLE borrowers ADD COLUMN name_initials TEXT NOT NULL DEFAULT ''`.execute(db);
  const rows = await sql<{ id: number; name: string }>`SELECT id, name FROM borrowers`.execute(db);
  for (const r of rows.rows) {
    const p = pinyinColumns(r.name);
    await sql`UPDATE borrowers SET name_pinyin = ${p.name_pinyin}, name_initials = ${p.name_initials} WHERE id = ${r.id}`.execute(db);
  }
  await sql`CREATE INDEX borrowers_pinyin ON borrowers(name_pinyin)`.execute(db);
}
