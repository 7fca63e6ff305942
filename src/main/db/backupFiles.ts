import BetterSqlite from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { MessageKey } from '../../shared/i18n';
import { readEncryptedFile } from './fileStore';
import { MIGRATIONS } from './migrations';
import { applyKey, driverOf, type Connection, type Sqlite } from './open';
import { auditKey, headGenuine, headOnChain, walkChain, type SignedHead } from './auditChain';
import { BACKUP_HEAD_KEY } from './backupHead';

/**
 * Reading backup files: opening one read-only with a key (never changing a byte of it), the facts of a
 * database (row counts per table, its documents), hashing document bytes, and comparing two sets of facts.
 * Nothing here knows of sessions or the open store.
 */

export interface Problem {
  key: MessageKey;
  params: Record<string, string | number>;
}

const problem = (key: MessageKey, params: Record<string, string | number> = {}): Problem => ({ key, params });

/** Why a file did not open as a backup. `wrong-key`: it is encrypted with another key, or it is not a database. */
export class BackupOpenError extends Error {
  constructor(
    readonly kind: 'missing' | 'not-a-file' | 'empty' | 'not-backup' | 'plain-sqlite' | 'incomplete' | 'wrong-key' | 'damaged' | 'not-loankeeper',
    readonly detail = '',
  ) {
    super(kind);
  }

  problem(file: string): Problem {
    const keys: Record<BackupOpenError['kind'], MessageKey> = {
      missing: 'backups.problems.missing',
      'not-a-file': 'backups.problems.notAFile',
      empty: 'backups.problems.empty',
      'not-backup': 'backups.problems.notBackup',
      'plain-sqlite': 'backups.problems.plainSqlite',
      incomplete: 'backups.problems.incomplete',
      'wrong-key': 'backups.problems.wrongKey',
      damaged: 'backups.problems.damaged',
      'not-loankeeper': 'backups.problems.notLoanKeeper',
    };
    return problem(keys[this.kind], { file, kind: this.detail });
  }
}

/** SQLCipher v4's page size: an encrypted database is a whole number of pages. */
const PAGE = 4096;

const SIGNATURES: [string, number[]][] = [
  ['ZIP', [0x50, 0x4b, 0x03, 0x04]],
  ['PDF', [0x25, 0x50, 0x44, 0x46]],
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['Office', [0xd0, 0xcf, 0x11, 0xe0]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf]],
  ['RAR', [0x52, 0x61, 0x72, 0x21]],
  ['GZIP', [0x1f, 0x8b]],
  ['LKF1', [0x4c, 0x4b, 0x46, 0x31]],
];

/** Refuses what cannot be a backup before any key is tried: a folder, an empty file, a known other format, a cut-off file. */
function precheck(file: string): void {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new BackupOpenError('not-a-file');
    size = st.size;
  } catch (e) {
    if (e instanceof BackupOpenError) throw e;
    throw new BackupOpenError('missing');
  }
  if (size === 0) throw new BackupOpenError('empty');
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'SQLite format 3\0') throw new BackupOpenError('plain-sqlite');
  const known = SIGNATURES.find(([, sig]) => sig.every((b, i) => head[i] === b));
  if (known) throw new BackupOpenError('not-backup', known[0]);
  if (size % PAGE !== 0) throw new BackupOpenError('incomplete');
}

const LOANKEEPER_TABLES = ['users', 'settings', 'audit_log', 'kysely_migration'];

/** Opens a backup read-only with the key; throws BackupOpenError. The file is never written. */
export function openBackup(file: string, key: Buffer): Sqlite {
  precheck(file);
  let db: Sqlite;
  try {
    db = new BetterSqlite(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupOpenError('missing', (e as Error).message);
  }
  try {
    applyKey(db, key);
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    if (!LOANKEEPER_TABLES.every((t) => names.includes(t))) throw new BackupOpenError('not-loankeeper');
    return db;
  } catch (e) {
    db.close();
    if (e instanceof BackupOpenError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') throw new BackupOpenError('wrong-key');
    throw new BackupOpenError('damaged', (e as Error).message);
  }
}

/** Whether `key` opens `file` as a database (nothing more is checked). */
export function keyOpens(file: string, key: Buffer): boolean {
  try {
    openBackup(file, key).close();
    return true;
  } catch (e) {
    return !(e instanceof BackupOpenError && e.kind === 'wrong-key');
  }
}

/** One stored document: in `documents` by id, or a file of an imported package by archive and path. */
export interface DocFact {
  key: string;
  name: string;
  /** Its encrypted file in the data folder's file store; null when its bytes are in the row. */
  ref: string | null;
  /** The plaintext hash recorded when it was stored. */
  sha256: string;
  /** Where its row is, to read the bytes of an inline one. */
  table: 'documents' | 'imported_files';
  rowKey: (number | string)[];
}

export interface DbFacts {
  /** Row counts of the ordinary tables (not virtual tables or their shadow tables). */
  tables: Record<string, number>;
  docs: DocFact[];
  /** The newest audit entry other than sign-ins and backups: what a backup on quit compares. */
  changeMark: number;
}

function columns(db: Sqlite, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
}

/** Counts and the list of documents, read synchronously, so the facts are of one moment. */
export function readFacts(conn: Connection): DbFacts {
  const db = driverOf(conn);
  const list = db.pragma('table_list') as { schema: string; name: string; type: string }[];
  const names = list.filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_')).map((t) => t.name).sort();
  const tables: Record<string, number> = {};
  // A copy's own audit head (stamped into its settings when it was made) is not data of the store.
  const only = (n: string) => (n === 'settings' ? ` WHERE key <> '${BACKUP_HEAD_KEY}'` : '');
  for (const n of names) tables[n] = (db.prepare(`SELECT count(*) AS n FROM "${n.replace(/"/g, '""')}"${only(n)}`).get() as { n: number }).n;
  const docs: DocFact[] = [];
  if (names.includes('documents')) {
    const ref = columns(db, 'documents').includes('file_ref') ? 'file_ref' : 'NULL';
    for (const r of db.prepare(`SELECT id, file_name, sha256, ${ref} AS ref FROM documents ORDER BY id`).all() as { id: number; file_name: string; sha256: string; ref: string | null }[]) {
      docs.push({ key: `d:${r.id}`, name: r.file_name, ref: r.ref, sha256: r.sha256, table: 'documents', rowKey: [r.id] });
    }
  }
  if (names.includes('imported_files')) {
    const ref = columns(db, 'imported_files').includes('file_ref') ? 'file_ref' : 'NULL';
    const rows = db.prepare(`SELECT archive_id, path, sha256, ${ref} AS ref FROM imported_files ORDER BY archive_id, path`).all() as { archive_id: number; path: string; sha256: string; ref: string | null }[];
    for (const r of rows) docs.push({ key: `i:${r.archive_id}/${r.path}`, name: r.path, ref: r.ref, sha256: r.sha256, table: 'imported_files', rowKey: [r.archive_id, r.path] });
  }
  const mark = db.prepare(`SELECT max(id) AS m FROM audit_log WHERE action NOT LIKE 'session.%' AND action <> 'maintenance.backup'`).get() as { m: number | null };
  return { tables, docs, changeMark: mark.m ?? 0 };
}

/** The bytes of a document kept in its row. */
export function inlineBytes(conn: Connection, d: DocFact): Buffer {
  const db = driverOf(conn);
  const row =
    d.table === 'documents'
      ? (db.prepare('SELECT content FROM documents WHERE id = ?').get(d.rowKey[0]) as { content: Buffer } | undefined)
      : (db.prepare('SELECT content FROM imported_files WHERE archive_id = ? AND path = ?').get(d.rowKey[0], d.rowKey[1]) as { content: Buffer } | undefined);
  return Buffer.from(row?.content ?? Buffer.alloc(0));
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** The plaintext hash of a document in the file store (throws FileStoreError when missing or damaged). */
export function storedFileHash(filesDir: string, fileKey: Buffer, ref: string): string {
  const h = createHash('sha256');
  for (const chunk of readEncryptedFile(filesDir, fileKey, ref)) h.update(chunk);
  return h.digest('hex');
}

export type Progress = (done: number, total: number) => void;

/** Yields to the event loop every few documents or megabytes, so the app stays responsive. */
class Pacer {
  private bytes = 0;
  private count = 0;
  async tick(bytes: number): Promise<void> {
    this.bytes += bytes;
    if (++this.count >= 16 || this.bytes >= 16 << 20) {
      this.count = 0;
      this.bytes = 0;
      await yieldToLoop();
    }
  }
}

/**
 * Reads a backup through: SQLite's integrity check, the audit chain, migrations this version knows, and every
 * document inside it (not left in a file store) with the hash it was stored with. Returns the first problem.
 */
export async function checkBackup(db: Sqlite, key: Buffer, facts: DbFacts, onProgress?: Progress): Promise<Problem | null> {
  let integrity: string;
  try {
    integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } catch (e) {
    return problem('backups.problems.damaged', { kind: (e as Error).message });
  }
  if (integrity !== 'ok') return problem('backups.problems.damaged', { kind: integrity.slice(0, 300) });
  const applied = (db.prepare('SELECT name FROM kysely_migration').all() as { name: string }[]).map((r) => r.name);
  const unknown = applied.filter((n) => !(n in MIGRATIONS));
  if (unknown.length > 0) return problem('backups.problems.newerVersion', { names: unknown.join(', ') });
  const mac = auditKey(key);
  const audit = walkChain(db, mac);
  if (audit.problem) return problem('backups.problems.auditBroken', { id: audit.brokenAt ?? 0 });
  // The head the copy was stamped with when it was made: signed with the chain's key, and its last entry.
  const stamped = db.prepare('SELECT value FROM settings WHERE key = ?').get(BACKUP_HEAD_KEY) as { value: string } | undefined;
  if (stamped) {
    const h = JSON.parse(stamped.value) as SignedHead;
    if (!headGenuine(mac, h) || !headOnChain(db, h) || h.count !== audit.count) return problem('backups.problems.auditBroken', { id: h.id });
  }
  const pace = new Pacer();
  let done = 0;
  for (const d of facts.docs) {
    if (d.ref !== null) return problem('backups.problems.documentNotInside', { name: d.name });
    const bytes = inlineBytes(db, d);
    if (sha256(bytes) !== d.sha256) return problem('backups.problems.documentAltered', { name: d.name });
    onProgress?.(++done, facts.docs.length);
    await pace.tick(bytes.length);
  }
  return null;
}

/** Compares a backup's facts with the store's at the moment it was copied; the document bytes by their plaintext hash. */
export async function compareWithSource(
  db: Sqlite,
  backup: DbFacts,
  source: DbFacts,
  sourceFiles: { dir: string; key: Buffer; inline: (d: DocFact) => Buffer },
  onProgress?: Progress,
): Promise<Problem | null> {
  const names = [...new Set([...Object.keys(source.tables), ...Object.keys(backup.tables)])].sort();
  for (const n of names) {
    if (source.tables[n] !== backup.tables[n]) return problem('backups.problems.tableCount', { table: n, store: source.tables[n] ?? 0, backup: backup.tables[n] ?? 0 });
  }
  if (source.docs.length !== backup.docs.length) return problem('backups.problems.documentCount', { store: source.docs.length, backup: backup.docs.length });
  const inBackup = new Map(backup.docs.map((d) => [d.key, d]));
  const pace = new Pacer();
  let done = 0;
  for (const s of source.docs) {
    const b = inBackup.get(s.key);
    if (!b) return problem('backups.problems.documentMissingInBackup', { name: s.name });
    if (b.ref !== null) return problem('backups.problems.documentNotInside', { name: b.name });
    const bytes = inlineBytes(db, b);
    let want: string;
    try {
      want = s.ref ? storedFileHash(sourceFiles.dir, sourceFiles.key, s.ref) : sha256(sourceFiles.inline(s));
    } catch {
      return problem('backups.problems.sourceDocumentUnreadable', { name: s.name });
    }
    if (sha256(bytes) !== want) return problem('backups.problems.documentDiffers', { name: s.name });
    onProgress?.(++done, source.docs.length);
    await pace.tick(bytes.length);
  }
  return null;
}

export function totalRows(f: DbFacts): number {
  return Object.values(f.tables).reduce((a, b) => a + b, 0);
}
