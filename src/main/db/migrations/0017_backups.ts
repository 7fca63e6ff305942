import { sql, type Kysely } from 'kysely';

// Frozen. One row per backup the app made or tried to make (by hand, at the day's first sign-in, on quit,
// before a restore): where it went, its size, and the result of reading it back and comparing it with the
// store. `reason` is a message key with its parameters (JSON), worded in the reader's language when listed.
// `change_mark` is the last audit entry (other than sign-ins and backups) the copy holds, so a backup on quit
// is skipped when nothing changed. `removed_at`: the file was deleted as older than the generations kept.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE backups (
      id INTEGER PRIMARY KEY,
      trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'signin', 'quit', 'before-restore')),
      file TEXT NOT NULL,
      made_at TEXT NOT NULL,
      made_by TEXT NOT NULL,
      size INTEGER,
      status TEXT NOT NULL CHECK (status IN ('verified', 'failed')),
      stage TEXT CHECK (stage IN ('write', 'verify')),
      reason TEXT,
      tables INTEGER,
      rows INTEGER,
      documents INTEGER,
      change_mark INTEGER NOT NULL DEFAULT 0,
      removed_at TEXT
    )`.execute(db);
  await sql`CREATE INDEX backups_made_at ON backups(made_at)`.execute(db);
}
