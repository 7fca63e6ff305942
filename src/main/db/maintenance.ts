import { readHead, type Head } from './auditChain';
import { driverOf, openSqlite, type Connection } from './open';

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
function openCopy(file: string, key: Buffer) {
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
