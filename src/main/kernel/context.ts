import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../../shared/ipc/app';
import type { Role } from '../../shared/permissions';
import { todayIn } from '../../shared/domain/dates';
import { translate, type MessageKey } from '../../shared/i18n';
import { formatDay } from '../../shared/i18n/dates';
import { writeFileAtomic } from '../fs/atomic';
import type { Store } from './store';
import type { RecoveryWrap } from '../db/recoveryKey';

export interface PendingRecovery {
  key: string;
  wrap: RecoveryWrap | null;
  purpose: 'rotation' | 'replace';
}

/** Progress of a key rotation, as the keys page polls it. */
export interface RotationJob {
  id: string;
  phase: 'files' | 'database' | 'keyring' | 'done' | 'failed';
  total: number;
  done: number;
  damaged: string[];
  error: string | null;
  /** Settles when the job stops, either way (tests and the CLI wait on it). */
  finished: Promise<void>;
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface Paths {
  /** Per-user app folder (Electron's userData): holds config.json, which points at the data folder. */
  configDir: string;
  /** Folder with fonts and other shipped files. */
  resourcesDir: string;
  defaultDataDir: string;
  /**
   * Where this PC keeps its witness of the branch server's audit head, when not in `configDir`: the command line's
   * `--head-dir`, which reads and moves on a PC's witness while its own settings stay in a folder of its own.
   */
  witnessDir?: string;
}

/** Where this PC's branch server is: the address without its password, which the OS keeps (`secret`). */
export interface ServerConfig {
  /** postgresql://user@host:port/database?sslmode=… */
  url: string;
  /** The branch's CA certificate (PEM), when the server's certificate is signed by it. */
  ca: string | null;
  /** The database password, encrypted by the OS for this Windows user (Electron's safeStorage: DPAPI). */
  secret: string | null;
  /** As the branch's keyring names them, for the sign-in page before anything is opened. */
  institution: string;
  branch: string;
  /**
   * Automatic backups of the server made from this PC: its own folder (a path on this PC means nothing on
   * another), set by an administrator here. Absent or empty: this PC makes none.
   */
  backups?: { autoDir: string; keep: number } | null;
}

export interface AppConfig {
  dataDir: string | null;
  /** Set when this PC works on the branch server instead of a data folder. */
  server: ServerConfig | null;
  locale: Locale;
  /** The folder of PostgreSQL's pg_dump and pg_restore on this PC (config.json only); null: the usual places are searched. */
  pgBinDir?: string | null;
}

export interface Session {
  username: string;
  displayName: string;
  roles: Role[];
  mustChangePassword: boolean;
  /** Why: an administrator's reset, or a password that no longer meets the rule. */
  mustChangeReason?: 'reset' | 'rule' | null;
  locked: boolean;
  lastActivity: number;
  idleMinutes: number;
}

/** What only the Electron shell can do for main (system dialogs, printing); null under the test bridge and the CLI. */
export interface ShellHost {
  pickFolder(o: { title: string; defaultPath?: string }): Promise<string | null>;
  pickFile(o: { title: string; defaultPath?: string; filters: { name: string; extensions: string[] }[] }): Promise<string | null>;
  /** Prints one PDF through the system dialog; resolves with the dialog's answer. */
  printPdf(o: { title: string; pdf: Uint8Array }): Promise<{ outcome: 'printed' | 'cancelled' | 'failed'; message: string | null }>;
  /** Saves the PDF to a temporary file and opens it in the system's PDF reader; resolves with the path. */
  openPdf(o: { title: string; pdf: Uint8Array }): Promise<string>;
  /** Encrypts a secret for this OS user (safeStorage: DPAPI on Windows); null when the OS offers no such store. */
  protectSecret(text: string): string | null;
  /** The secret back, or null when it cannot be opened (another user, another PC). */
  revealSecret(sealed: string): string | null;
}

/** Everything main knows about this running app: where data is, the open store, who is logged in. */
export class AppContext {
  store: Store | null = null;
  session: Session | null = null;
  /** Held in memory only between setup and the user's confirmation that it is stored. */
  pendingRecoveryKey: string | null = null;
  /**
   * A recovery key shown to an administrator after a key rotation or to replace the current one, held in memory
   * only until they confirm it is stored. `wrap` is the wrap still to be stored at that confirmation (null when
   * the rotation already stored it).
   */
  pendingRecovery: PendingRecovery | null = null;
  /** The key rotation running in this process, if any (features/keys/rotation.ts). */
  rotationJob: RotationJob | null = null;
  shell: ShellHost | null = null;
  /**
   * The branch server's password for this run when the OS cannot keep it (the command line, tests): held in
   * memory only, never written.
   */
  serverPassword: string | null = null;
  config: AppConfig;

  constructor(
    readonly paths: Paths,
    readonly clock: Clock = systemClock,
    readonly version = '0.1.0',
  ) {
    this.config = readConfig(paths.configDir);
  }

  t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(this.config.locale, key, params);
  }

  /** A business date inside a message, worded as the screens show dates (2026年11月23日 / 23 Nov 2026). */
  day(date: string): string {
    return formatDay(date, this.config.locale);
  }

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  saveConfig(patch: Partial<AppConfig>): void {
    this.config = { ...this.config, ...patch };
    mkdirSync(this.paths.configDir, { recursive: true });
    writeFileAtomic(join(this.paths.configDir, 'config.json'), JSON.stringify(this.config, null, 2));
  }

  close(): void {
    this.pendingRecovery = null;
    this.store?.close();
    this.store = null;
    this.session = null;
  }
}

/** Today's business date (China time) by the context's clock. */
export function today(ctx: { clock: Clock }): string {
  return todayIn(ctx.clock.now());
}

function serverConfigOf(raw: unknown): ServerConfig | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const url = text(r.url);
  if (!url) return null;
  return { url, ca: text(r.ca), secret: text(r.secret), institution: text(r.institution) ?? '', branch: text(r.branch) ?? '' };
}

function readConfig(dir: string): AppConfig {
  const file = join(dir, 'config.json');
  const fallback: AppConfig = { dataDir: null, server: null, locale: 'zh-CN' };
  if (!existsSync(file)) return fallback;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<AppConfig>;
    return {
      dataDir: typeof raw.dataDir === 'string' ? raw.dataDir : null,
      server: serverConfigOf(raw.server),
      locale: raw.locale === 'en' ? 'en' : 'zh-CN',
      ...(typeof raw.pgBinDir === 'string' && raw.pgBinDir.trim() ? { pgBinDir: raw.pgBinDir.trim() } : {}),
    };
  } catch {
    return fallback;
  }
}
