import { z } from 'zod';
import { anyPassword, empty, optionalText, text, username } from './fields';
import { reads, writes, type AccessOf } from './access';

/** How many automatic backups are kept in the backup folder (the oldest beyond are deleted). */
export const BACKUP_KEEP_RANGE = [1, 365] as const;
export const BACKUP_KEEP_DEFAULT = 30;
/** The home page warns when the newest verified backup is older than this. */
export const BACKUP_WARN_DAYS = 3;

export type BackupTrigger = 'manual' | 'signin' | 'quit' | 'before-restore';

/** One backup made or attempted, as the list shows it; `reason` is worded in the reader's language. */
export interface BackupView {
  id: number;
  trigger: BackupTrigger;
  file: string;
  madeAt: string;
  madeBy: string;
  size: number | null;
  status: 'verified' | 'failed';
  /** Where a failed one failed: writing it, or reading it back and comparing. */
  stage: 'write' | 'verify' | null;
  reason: string | null;
  tables: number | null;
  rows: number | null;
  documents: number | null;
  /** The file was deleted as older than the generations kept. */
  removed: boolean;
}

export interface BackupSettings {
  /** The folder automatic backups go to; empty: automatic backups are off. */
  autoDir: string;
  keep: number;
}

/** For the administrator's home page: the newest verified backup, its age, and the newest failure after it. */
export interface BackupStatus {
  lastVerified: BackupView | null;
  /** Whole days since the newest verified backup; null when there is none. */
  ageDays: number | null;
  warn: boolean;
  lastFailure: BackupView | null;
  autoDir: string;
  /**
   * The open store is the branch server: backed up through pg_dump sealed on this PC (by hand, or automatically
   * from PCs with a folder of their own) and restored with this branch's key only, so the page shows no recovery key.
   */
  onServer: boolean;
}

/** What a backup file holds, and whether it passed every check (read before a restore, or by verify-backup). */
export interface BackupInspection {
  file: string;
  ok: boolean;
  /** Why it cannot be restored, in the user's language; null when ok. */
  reason: string | null;
  /** It does not open with this installation's key: another installation's backup (its recovery key opens it), or not a backup. */
  needsRecoveryKey: boolean;
  /** It opened with the recovery key given, not with this installation's key. */
  foreign: boolean;
  size: number;
  institution: string | null;
  branch: string | null;
  /** The newest audit entry in it: the state it holds is of that moment. */
  latestEntryAt: string | null;
  counts: { borrowers: number; loans: number; documents: number; users: number; auditEntries: number } | null;
  tables: number;
  rows: number;
}

export type RestorePhase = 'verify' | 'safety' | 'copy' | 'documents' | 'replace' | 'done';

/** A running or finished restore. Once `done`, the user is signed out and signs in again. */
export interface RestoreJobView {
  id: string;
  state: 'running' | 'done' | 'failed';
  phase: RestorePhase;
  /** Within the phase: documents checked or written, of `total`. */
  done: number;
  total: number;
  error: string | null;
  /** The backup needs its own installation's recovery key (or the key given does not open it). */
  needsRecoveryKey: boolean;
  /** Where the state before the restore was kept. */
  safetyCopy: string | null;
  /** The restored data came from another installation: its users and its recovery key apply from now on. */
  foreign: boolean;
}

/** Where a move to the branch server has got to (`backups.moveStatus`). */
export interface MoveProgress {
  phase: 'connect' | 'tables' | 'verify' | 'done';
  /** The table being copied. */
  table: string | null;
  tablesDone: number;
  tables: number;
  rows: number;
  documents: number;
  finished: boolean;
  /** Why it stopped, in the user's language; null while running or when it succeeded. */
  error: string | null;
}

/** What was moved and what the read-back found: `differences` says precisely what does not match. */
export interface MoveReport {
  ok: boolean;
  /** host:port/database, without the password. */
  server: string;
  tables: { table: string; local: number; server: number }[];
  loans: number;
  /** Documents and imported files whose bytes on the server open and hash to their recorded SHA-256. */
  documents: number;
  auditEntries: number;
  auditHead: string | null;
  differences: string[];
}

/** The branch server a single-PC store is moved to: its address without the password, the password, a CA. */
const moveServer = {
  url: text(500).refine((u) => /^postgres(ql)?:\/\/[^\s:@/]+@[^\s@/]+\/[^\s/]+$/.test(u.split('?')[0]), { message: 'postgresql://user@host:port/database' }),
  dbPassword: text(200),
  ca: z.string().max(20_000).nullable(),
};

const jobId = z.string().regex(/^[0-9a-f]{16}$/);
const recoveryKey = optionalText(200);

export const backupsChannels = {
  'backups.status': empty,
  'backups.list': empty,
  'backups.settings': empty,
  'backups.saveSettings': z
    .object({
      autoDir: optionalText(1000),
      keep: z.number().int().min(BACKUP_KEEP_RANGE[0]).max(BACKUP_KEEP_RANGE[1]),
    })
    .strict(),
  /** Writes a backup into the folder now, reads it back and compares it with the store. */
  'backups.create': z.object({ dir: text(1000) }).strict(),
  /** Reads a backup file through and says what it holds; nothing is changed. */
  'backups.inspect': z.object({ file: text(1000), recoveryKey }).strict(),
  /**
   * Replaces the store with a backup, as a background job. Signed in: the administrator confirms with their
   * password. Signed out (the store cannot be opened): an administrator of the backup, with the password that
   * opens this data folder's keyring.
   */
  'backups.restoreStart': z.object({ file: text(1000), recoveryKey, username, password: anyPassword }).strict(),
  'backups.restoreStatus': z.object({ jobId }).strict(),
  /** Copies this single-PC store onto an empty branch database and verifies it; the administrator confirms with their password. */
  'backups.moveToServer': z.object({ ...moveServer, password: anyPassword }).strict(),
  'backups.moveStatus': empty,
  /** After a verified move: this PC works on the server from now on (its data folder is left as it is). */
  'backups.switchToServer': z.object(moveServer).strict(),
};

/**
 * Backups are the administrator's. Restore is also open signed out, for when the store cannot be opened: starting
 * one checks the credentials itself (a signed-in administrator, or an administrator of the backup), and its
 * progress is read by job id (a random token), since a restore signs everyone out when it replaces the store.
 */
export const backupsAccess = {
  'backups.status': reads('settings.manage'),
  'backups.list': reads('settings.manage'),
  'backups.settings': reads('settings.manage'),
  'backups.saveSettings': writes('settings.manage'),
  'backups.create': writes('settings.manage'),
  'backups.inspect': reads('settings.manage'),
  'backups.restoreStart': writes('public'),
  'backups.restoreStatus': reads('public'),
  'backups.moveToServer': writes('settings.manage'),
  'backups.moveStatus': reads('settings.manage'),
  'backups.switchToServer': writes('settings.manage'),
} satisfies AccessOf<typeof backupsChannels>;

export interface BackupsOutputs {
  'backups.status': BackupStatus;
  'backups.list': BackupView[];
  'backups.settings': BackupSettings;
  'backups.saveSettings': BackupSettings;
  'backups.create': BackupView;
  'backups.inspect': BackupInspection;
  'backups.restoreStart': RestoreJobView;
  'backups.restoreStatus': RestoreJobView;
  'backups.moveToServer': MoveReport;
  'backups.moveStatus': MoveProgress | null;
  'backups.switchToServer': { ok: true };
}
