import { sql, type Kysely } from 'kysely';

// Frozen. Forms' working copies (shared/ipc/drafts.ts): one per user and form, replaced on every save. They
// hold personal data, hence here in the encrypted database. Not audited: a draft records nothing; what the
// form finally saves is audited by its own channel.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE drafts (
    username TEXT NOT NULL,
    form_key TEXT NOT NULL,
    draft_values TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (username, form_key)
  )`.execute(db);
}
