import { APPEND_SQL, appendParams, readHead, type AuditInput, type Head } from './auditChain';
import { driverOf, openSqlite, type Connection, type Sqlite } from './open';

/**
 * Maintenance on the database file: SQLite's integrity check, VACUUM INTO copies, and the edits made to such a
 * copy (bytes put back inline, its audit head stamped) before it is renamed into place. SQLite specifics only.
 */

/** SQLite's own integrity check: 'ok', or its findings joined by '; '. */
export function integrityCheck(c: Connection): string {
  return (driverOf(c).pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
}

/** An encrypted, consistent copy of the whole database (VACUUM INTO keeps the key). */
export function vacuumInto(c: Connection, file: string): void {
  driverOf(c).prepare('VACUUM INTO ?').run(file);
}

/** Opens a fresh copy (just written by `vacuumInto`) as a single file: no WAL beside it. */
function openCopy(file: string, key: Buffer): Sqlite {
  const db = openSqlite(file, key, { create: false });
  db.pragma('journal_mode=DELETE');
  return db;
}

/**
 * Puts file-backed bytes back into a copy's rows, in one transaction: documents by id, imported files by archive
 * and path. `bytes` is asked for each row in turn (and may throw: the copy is then left to the caller to remove).
 */
export function inlineIntoCopy(
  file: string,
  key: Buffer,
  documents: { id: number; bytes: () => Buffer }[],
  imported: { archiveId: number; path: string; bytes: () => Buffer }[],
): void {
  const db = openCopy(file, key);
  try {
    const put = db.prepare('UPDATE documents SET content = ?, file_ref = NULL WHERE id = ?');
    const putImported = db.prepare('UPDATE imported_files SET content = ?, file_ref = NULL WHERE archive_id = ? AND path = ?');
    db.exec('BEGIN');
    for (const d of documents) put.run(d.bytes(), d.id);
    for (const f of imported) putImported.run(f.bytes(), f.archiveId, f.path);
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

/** Writes a setting into a copy, computed from the copy's own audit head (exactly what VACUUM INTO took). */
export function stampCopy(file: string, key: Buffer, settingKey: string, value: (head: Head | null) => string): void {
  const db = openCopy(file, key);
  try {
    const head = readHead(db);
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(settingKey, value(head));
  } finally {
    db.close();
  }
}

/** Opens a copy for editing (a restore's working copy): a single file, no WAL. */
export function openCopyForEdit(file: string, key: Buffer): Sqlite {
  return openCopy(file, key);
}

/**
 * The edits a restore makes to its working copy, in one transaction (`begin` … `commit`) that the caller holds
 * open across its own awaits: documents moved out to the file store, the key wraps, the list of backups, settings
 * and the restore's audit entry.
 */
export function restoreEdits(c: Connection) {
  const db = driverOf(c);
  const putDoc = db.prepare(`UPDATE documents SET content = x'', file_ref = ?, crc32 = ? WHERE id = ?`);
  const putImported = db.prepare(`UPDATE imported_files SET content = x'', file_ref = ? WHERE archive_id = ? AND path = ?`);
  return {
    begin: () => void db.exec('BEGIN'),
    commit: () => void db.exec('COMMIT'),
    documentToFile: (id: number, ref: string, crc: number) => void putDoc.run(ref, crc, id),
    importedToFile: (archiveId: number, path: string, ref: string) => void putImported.run(ref, archiveId, path),
    replaceWraps(wraps: Record<string, unknown>): void {
      db.prepare('DELETE FROM key_wraps').run();
      const putWrap = db.prepare('INSERT INTO key_wraps (username, wrap) VALUES (?, ?)');
      for (const [u, w] of Object.entries(wraps)) putWrap.run(u, JSON.stringify(w));
    },
    replaceBackups(rows: Record<string, unknown>[]): void {
      db.prepare('DELETE FROM backups').run();
      for (const row of rows) {
        const cols = Object.keys(row);
        db.prepare(`INSERT INTO backups (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((k) => row[k]));
      }
    },
    deleteSetting: (key: string) => void db.prepare('DELETE FROM settings WHERE key = ?').run(key),
    putSetting: (key: string, value: string) => void db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value),
    appendAudit: (at: string, input: AuditInput) => void db.prepare(APPEND_SQL).run(appendParams(at, input)),
  };
}

// ---------- reading a backup's copy (a bare connection) ----------

export function userIn(c: Connection, username: string): { roles: string; disabled: number } | undefined {
  return driverOf(c).prepare('SELECT roles, disabled FROM users WHERE username = ?').get(username) as { roles: string; disabled: number } | undefined;
}

export function usersIn(c: Connection): { username: string; disabled: number }[] {
  return driverOf(c).prepare('SELECT username, disabled FROM users').all() as { username: string; disabled: number }[];
}

export function keyWrapsIn(c: Connection): { username: string; wrap: string }[] {
  return driverOf(c).prepare('SELECT username, wrap FROM key_wraps').all() as { username: string; wrap: string }[];
}

/** A table's row count; the table is one of ours, named by the caller, never by input. */
export function rowCount(c: Connection, table: string): number {
  return (driverOf(c).prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** A setting's stored (JSON) text, or undefined. */
export function settingText(c: Connection, key: string): string | undefined {
  return (driverOf(c).prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function latestAuditAt(c: Connection): string | null {
  return (driverOf(c).prepare('SELECT max(at) AS at FROM audit_log').get() as { at: string | null }).at;
}

/** Every row of the list of backups, as stored. */
export function backupRows(c: Connection): Record<string, unknown>[] {
  return driverOf(c).prepare('SELECT * FROM backups ORDER BY id').all() as Record<string, unknown>[];
}

/** Reads the users table once: throws when the database cannot be read with the key. */
export function probeUsers(c: Connection): void {
  driverOf(c).prepare('SELECT count(*) FROM users').get();
}

/** Folds the WAL back into the database file and empties it. */
export function walCheckpoint(c: Connection): void {
  driverOf(c).pragma('wal_checkpoint(TRUNCATE)');
}
