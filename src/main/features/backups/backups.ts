import { hostname } from 'node:os';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { CHINA_UTC_OFFSET_MINUTES, todayIn } from '../../../shared/domain/dates';
import type { MessageKey } from '../../../shared/i18n';
import { BACKUP_KEEP_DEFAULT, BACKUP_WARN_DAYS, type BackupSettings, type BackupStatus, type BackupTrigger, type BackupView } from '../../../shared/ipc/backups';
import { AppError } from '../../../shared/ipc/errors';
import { listStoredFiles } from '../../db/fileStore';
import { integrityCheck } from '../../db/maintenance';
import type { BackupsTable } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import { BackupError, backupError } from './backupErrors';
import { BackupOpenError, compareWithSource, inlineBytes, openBackup, readFacts, totalRows, type DbFacts, type Problem } from '../../db/backupFiles';
import { SYSTEM_ACTOR } from '../../domain/batch';
import type { AppContext } from '../../kernel/context';
import { backupTo } from './maintenance';
import { requirePermission } from '../../kernel/authz';
import { requireStore, type BranchStore, type LocalStore, type Store } from '../../kernel/store';
import { folderProblem, restoreToScratch, writeBranchBackup } from './branch';

/**
 * Backups as the app makes them: by hand into a chosen folder, automatically (at the day's first sign-in
 * and on quit) into the folder set for them, keeping N generations, and before a restore into the data
 * folder's backups/. Every one is written by `backupTo`, then read back with the key and compared with the
 * store; the outcome (or why it failed) is kept in the `backups` table and shown.
 */

export const BACKUP_EXT = '.lkbackup';
/** Only files with this name are ever deleted when generations are pruned: the ones we wrote. */
export const AUTO_PATTERN = /^LoanKeeper-auto-(\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2})(?:-(\d{1,3}))?\.lkbackup$/;
const SETTING_DIR = 'backups.autoDir';
const SETTING_KEEP = 'backups.keep';
/** A failed automatic backup is tried again at a sign-in or unlock after this long. */
const RETRY_MS = 60 * 60_000;

// ---------- one at a time ----------

const queues = new WeakMap<AppContext, Promise<unknown>>();

/** Runs backups and restores of one app one after another; a failure does not stop the next. */
export function exclusive<T>(ctx: AppContext, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(ctx) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  queues.set(
    ctx,
    next.catch(() => {}),
  );
  return next;
}

/** Resolves once every backup started so far (also automatic ones in the background) has finished. */
export async function settleBackups(ctx: AppContext): Promise<void> {
  for (;;) {
    const q = queues.get(ctx);
    if (!q) return;
    await q;
    if (queues.get(ctx) === q) return;
  }
}

// ---------- names ----------

/** `2026-11-25_08-30-15` in China time, as the business dates are. */
export function stampOf(d: Date): string {
  const s = new Date(d.getTime() + CHINA_UTC_OFFSET_MINUTES * 60_000).toISOString();
  return `${s.slice(0, 10)}_${s.slice(11, 13)}-${s.slice(14, 16)}-${s.slice(17, 19)}`;
}

/** `prefix + stamp + .lkbackup` in `dir`, with `-2`, `-3`… when a file of that name exists. */
export function freshName(dir: string, prefix: string, now: Date): string {
  const base = `${prefix}${stampOf(now)}`;
  for (let n = 1; n < 1000; n++) {
    const file = join(dir, `${base}${n === 1 ? '' : `-${n}`}${BACKUP_EXT}`);
    if (!existsSync(file)) return file;
  }
  return join(dir, `${base}-${Date.now()}${BACKUP_EXT}`);
}

// ---------- settings ----------

async function readSetting<T>(store: Store, key: string, fallback: T): Promise<T> {
  const r = await store.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return r ? (JSON.parse(r.value) as T) : fallback;
}

export async function readBackupSettings(store: LocalStore): Promise<BackupSettings> {
  return { autoDir: await readSetting(store, SETTING_DIR, ''), keep: await readSetting(store, SETTING_KEEP, BACKUP_KEEP_DEFAULT) };
}

/** The single-PC store keeps them in its settings; on the branch server each PC keeps its own in config.json. */
async function settingsOf(ctx: AppContext, store: Store): Promise<BackupSettings> {
  if (store.kind === 'local') return readBackupSettings(store);
  return { autoDir: ctx.config.server?.backups?.autoDir ?? '', keep: ctx.config.server?.backups?.keep ?? BACKUP_KEEP_DEFAULT };
}

export async function backupSettings(ctx: AppContext): Promise<BackupSettings> {
  requirePermission(ctx, 'settings.manage');
  return settingsOf(ctx, requireStore(ctx));
}

function inside(dir: string, parent: string): boolean {
  const r = relative(resolve(parent), resolve(dir));
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

export async function saveBackupSettings(ctx: AppContext, input: BackupSettings): Promise<BackupSettings> {
  const s = requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const autoDir = input.autoDir.trim() ? resolve(input.autoDir.trim()) : '';
  if (autoDir) {
    const bad = (key: MessageKey) => backupError(ctx, 'VALIDATION', key, { dir: autoDir }, 'autoDir');
    if (!isAbsolute(input.autoDir.trim())) throw bad('backups.errors.folderNotAbsolute');
    if (store.kind === 'local' && inside(autoDir, store.dir)) throw bad('backups.errors.folderInsideData');
    if (!existsSync(autoDir)) throw bad('backups.errors.folderMissing');
    if (!statSync(autoDir).isDirectory()) throw bad('backups.errors.notAFolder');
    try {
      accessSync(autoDir, constants.W_OK);
    } catch {
      throw bad('backups.errors.notWritable');
    }
  }
  const before = await settingsOf(ctx, store);
  const after: BackupSettings = { autoDir, keep: input.keep };
  if (store.kind === 'branch') {
    // This PC's, in its config; the server's trail says who set which folder on which PC.
    await store.db.transaction().execute((trx) =>
      recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'backups.settings', entity: 'settings', entityId: 'backups', detail: { before, after, pc: hostname() } }),
    );
    if (ctx.config.server) ctx.saveConfig({ server: { ...ctx.config.server, backups: after } });
    return after;
  }
  await store.db.transaction().execute(async (trx) => {
    for (const [key, value] of [
      [SETTING_DIR, after.autoDir],
      [SETTING_KEEP, after.keep],
    ] as const) {
      await trx
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
        .execute();
    }
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: 'backups.settings', entity: 'settings', entityId: 'backups', detail: { before, after } });
  });
  return after;
}

// ---------- the list ----------

interface Reason {
  key: MessageKey;
  params: Record<string, string | number>;
}

function reasonOf(e: unknown): Reason {
  if (e instanceof BackupError) return { key: e.key, params: e.params };
  if (e instanceof AppError) return { key: 'backups.problems.text', params: { text: e.message } };
  return { key: 'backups.problems.text', params: { text: (e as Error)?.message ?? String(e) } };
}

function view(ctx: AppContext, r: Omit<BackupsTable, 'id' | 'change_mark'> & { id: number }): BackupView {
  let reason: string | null = null;
  if (r.reason) {
    const p = JSON.parse(r.reason) as Reason;
    reason = ctx.t(p.key, p.params);
  }
  return {
    id: r.id,
    trigger: r.trigger,
    file: r.file,
    madeAt: r.made_at,
    madeBy: r.made_by,
    size: r.size,
    status: r.status,
    stage: r.stage,
    reason,
    tables: r.tables,
    rows: r.rows,
    documents: r.documents,
    removed: r.removed_at !== null,
  };
}

export async function listBackups(ctx: AppContext): Promise<BackupView[]> {
  requirePermission(ctx, 'settings.manage');
  const rows = await requireStore(ctx).db.selectFrom('backups').selectAll().orderBy('id', 'desc').limit(500).execute();
  return rows.map((r) => view(ctx, r));
}

const DAY = 86_400_000;

export async function backupStatus(ctx: AppContext): Promise<BackupStatus> {
  requirePermission(ctx, 'settings.manage');
  const store = requireStore(ctx);
  const last = await store.db.selectFrom('backups').selectAll().where('status', '=', 'verified').where('trigger', '<>', 'before-restore').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const failure = await store.db
    .selectFrom('backups')
    .selectAll()
    .where('status', '=', 'failed')
    .where('id', '>', last?.id ?? 0)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const age = last ? ctx.clock.now().getTime() - Date.parse(last.made_at) : null;
  const autoDir = (await settingsOf(ctx, store)).autoDir;
  return {
    lastVerified: last ? view(ctx, last) : null,
    ageDays: age === null ? null : Math.max(0, Math.floor(age / DAY)),
    warn: age === null || age > BACKUP_WARN_DAYS * DAY,
    lastFailure: failure ? view(ctx, failure) : null,
    autoDir,
    onServer: store.kind === 'branch',
  };
}

// ---------- making one ----------

interface MakeOptions {
  dir: string;
  trigger: BackupTrigger;
  /** Automatic: made by main, not by the signed-in user. */
  system: boolean;
  /** File name prefix; the date and time follow. */
  prefix: string;
  /** The file itself, named by the caller (the CLI's `--to`), instead of a fresh name in `dir`. */
  file?: string;
}

/** Bytes a backup of the store may need: the database and every document, which the copy holds inline. */
function estimatedSize(store: LocalStore): number {
  let n = 0;
  for (const f of [store.file, `${store.file}-wal`]) if (existsSync(f)) n += statSync(f).size;
  for (const f of listStoredFiles(store.files.dir)) n += statSync(join(store.files.dir, f)).size;
  return n;
}

function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

async function record(store: Store, row: Omit<BackupsTable, 'id' | 'change_mark'> & { change_mark: number }): Promise<Omit<BackupsTable, 'id' | 'change_mark'> & { id: number }> {
  const { id } = await store.db.insertInto('backups').values(row).returning('id').executeTakeFirstOrThrow();
  return { ...row, id };
}

/** Reads the written backup back with the key and compares it with the facts of the store taken as it was copied. */
export async function verifyWritten(store: LocalStore, file: string, source: DbFacts): Promise<{ problem: Problem | null; facts: DbFacts | null }> {
  let db;
  try {
    db = openBackup(file, store.dataKey);
  } catch (e) {
    return { problem: e instanceof BackupOpenError ? e.problem(file) : { key: 'backups.problems.text', params: { text: (e as Error).message } }, facts: null };
  }
  const key = Buffer.from(store.files.key);
  try {
    const integrity = integrityCheck(db);
    if (integrity !== 'ok') return { problem: { key: 'backups.problems.damaged', params: { kind: integrity.slice(0, 300) } }, facts: null };
    const facts = readFacts(db);
    const problem = await compareWithSource(db, facts, source, { dir: store.files.dir, key, inline: (d) => inlineBytes(store, d) });
    return { problem, facts };
  } catch (e) {
    return { problem: { key: 'backups.problems.damaged', params: { kind: (e as Error).message } }, facts: null };
  } finally {
    key.fill(0);
    db.close();
  }
}

/**
 * Writes one backup into `dir` and verifies it; the outcome is recorded either way. Throws (after recording)
 * when the file could not be written; a written file that fails verification is returned with its reason.
 */
async function makeBackup(ctx: AppContext, opts: MakeOptions): Promise<BackupView> {
  const actor = opts.system ? SYSTEM_ACTOR : requirePermission(ctx, 'settings.manage').username;
  const any = requireStore(ctx);
  if (any.kind === 'branch') return makeBranchBackup(ctx, any, opts, actor);
  const store = any;
  const dir = resolve(opts.dir);
  const madeAt = ctx.nowIso();
  const base = { trigger: opts.trigger, made_at: madeAt, made_by: actor, removed_at: null } as const;
  const fail = async (file: string, e: unknown): Promise<never> => {
    // A store closed meanwhile (the user signed out) cannot take the record; the error still goes to the caller.
    if (ctx.store === store) await record(store, { ...base, file, size: null, status: 'failed', stage: 'write', reason: JSON.stringify(reasonOf(e)), tables: null, rows: null, documents: null, change_mark: 0 });
    throw e;
  };
  if (!existsSync(dir)) return fail(dir, backupError(ctx, 'IO', 'backups.errors.folderMissing', { dir }));
  if (!lstatSync(dir).isDirectory()) return fail(dir, backupError(ctx, 'IO', 'backups.errors.notAFolder', { dir }));
  const free = freeBytes(dir);
  const need = estimatedSize(store);
  if (free !== null && free < need) return fail(dir, backupError(ctx, 'IO', 'backups.errors.diskFullBefore', { dir, need: megabytes(need), free: megabytes(free) }));
  const file = freshName(dir, opts.prefix, ctx.clock.now());
  // The facts are read synchronously right before backupTo, whose VACUUM INTO runs before its first await:
  // nothing else can write between the two, so the copy and the facts are of the same moment.
  const source = readFacts(store);
  try {
    await backupTo(ctx, file, { system: opts.system });
  } catch (e) {
    return fail(file, e);
  }
  const { problem, facts } = await verifyWritten(store, file, source);
  let size: number | null = null;
  try {
    size = statSync(file).size;
  } catch {
    // Gone already (a pulled stick): the failed verification says so.
  }
  const row = await record(store, {
    ...base,
    file,
    size,
    status: problem ? 'failed' : 'verified',
    stage: problem ? 'verify' : null,
    reason: problem ? JSON.stringify(problem) : null,
    tables: facts ? Object.keys(facts.tables).length : null,
    rows: facts ? totalRows(facts) : null,
    documents: facts ? facts.docs.length : null,
    change_mark: source.changeMark,
  });
  return view(ctx, row);
}

/**
 * The branch server's backup: pg_dump sealed on the desktop, then restored into a scratch database and compared
 * with what the dump's snapshot held. Recorded in the server's `backups` table as a local backup is in its own.
 */
async function makeBranchBackup(ctx: AppContext, store: BranchStore, opts: MakeOptions, actor: string): Promise<BackupView> {
  const dir = opts.file ? dirname(resolve(opts.file)) : resolve(opts.dir);
  const base = { trigger: opts.trigger, made_at: ctx.nowIso(), made_by: actor, removed_at: null } as const;
  const fail = async (file: string, e: unknown): Promise<never> => {
    if (ctx.store === store) await record(store, { ...base, file, size: null, status: 'failed', stage: 'write', reason: JSON.stringify(reasonOf(e)), tables: null, rows: null, documents: null, change_mark: 0 });
    throw e;
  };
  const bad = folderProblem(dir);
  if (bad) return fail(dir, backupError(ctx, 'IO', bad, { dir }));
  const file = opts.file ? resolve(opts.file) : freshName(dir, opts.prefix, ctx.clock.now());
  let written: Awaited<ReturnType<typeof writeBranchBackup>>;
  try {
    written = await writeBranchBackup(ctx, store, file, actor);
  } catch (e) {
    return fail(file, e);
  }
  const { header } = written;
  let problem: Problem | null;
  try {
    problem = (await restoreToScratch(ctx, store, file)).problem;
  } catch (e) {
    // The server went away while checking, say: the file stays, recorded as not verified with the reason.
    problem = { key: 'backups.problems.text', params: { text: (e as Error).message } };
  }
  const rows = Object.values(header.tables).reduce((a, b) => a + b, 0);
  const row = await record(store, {
    ...base,
    file,
    size: written.size,
    status: problem ? 'failed' : 'verified',
    stage: problem ? 'verify' : null,
    reason: problem ? JSON.stringify(problem) : null,
    tables: Object.keys(header.tables).length,
    rows,
    documents: header.documents.length,
    change_mark: header.head?.id ?? 0,
  });
  if (ctx.store === store) await store.db.transaction().execute((trx) => recordAudit(trx, ctx.nowIso(), { actor, action: 'maintenance.backup', entity: 'store', entityId: store.server, detail: { to: file, verified: !problem } }));
  return view(ctx, row);
}

function megabytes(n: number): string {
  return (n / 1024 / 1024).toFixed(1);
}

/** Deletes the oldest automatic backups in `dir` beyond `keep`: only files whose name we give them. */
export async function pruneGenerations(store: Store, dir: string, keep: number, at: string): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const ours = names
    .map((n) => ({ n, m: AUTO_PATTERN.exec(n) }))
    .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null)
    .filter((x) => {
      try {
        return lstatSync(join(dir, x.n)).isFile();
      } catch {
        return false;
      }
    })
    .sort((a, b) => (a.m[1] === b.m[1] ? Number(a.m[2] ?? 1) - Number(b.m[2] ?? 1) : a.m[1] < b.m[1] ? -1 : 1));
  const removed: string[] = [];
  for (const x of ours.slice(0, Math.max(0, ours.length - keep))) {
    const file = join(dir, x.n);
    try {
      rmSync(file);
      // The recovery key's wrap written beside it goes with it.
      rmSync(`${file}.recovery.json`, { force: true });
      removed.push(file);
    } catch {
      // Left for the next time.
    }
  }
  if (removed.length > 0) await store.db.updateTable('backups').set({ removed_at: at }).where('file', 'in', removed).where('removed_at', 'is', null).execute();
  return removed;
}

/** 立即备份: into the folder the administrator chose (typically a USB stick). */
export function backupNow(ctx: AppContext, input: { dir: string }): Promise<BackupView> {
  requirePermission(ctx, 'settings.manage');
  requireStore(ctx);
  return exclusive(ctx, () => makeBackup(ctx, { dir: input.dir, trigger: 'manual', system: false, prefix: 'LoanKeeper-' }));
}

/** The CLI's `backup --database … --to FILE`: the branch server's backup into that file, made and checked as the app's. */
export async function backupServerTo(ctx: AppContext, file: string): Promise<BackupView> {
  const store = requireStore(ctx);
  if (store.kind !== 'branch') throw new AppError('VALIDATION', ctx.t('errors.branchUnsupported'));
  return exclusive(ctx, () => makeBackup(ctx, { dir: dirname(resolve(file)), file, trigger: 'manual', system: false, prefix: '' }));
}

/** Before a restore: the current state into the data folder's backups/. */
export function backupBeforeRestore(ctx: AppContext): Promise<BackupView> {
  const store = requireStore(ctx);
  // The branch server has no data folder on this PC: its copy goes into this PC's app folder.
  const dir = store.kind === 'local' ? join(store.dir, 'backups') : join(ctx.paths.configDir, 'branch-backups');
  mkdirSync(dir, { recursive: true });
  return makeBackup(ctx, { dir, trigger: 'before-restore', system: false, prefix: 'before-restore-' });
}

/** What the last backup is compared with on quit: the newest audit entry other than sign-ins and backups. */
async function changeMarkOf(store: Store): Promise<number> {
  if (store.kind === 'local') return readFacts(store).changeMark;
  const r = await store.db.selectFrom('audit_log').select((e) => e.fn.max('id').as('m')).where('action', 'not like', 'session.%').where('action', '<>', 'maintenance.backup').executeTakeFirst();
  return Number(r?.m ?? 0);
}

async function autoBackup(ctx: AppContext, trigger: 'signin' | 'quit'): Promise<BackupView | null> {
  // On the branch server only PCs whose administrator chose a folder make them; the list they check is the
  // server's, so one a day is made for the branch, by the first such PC to sign in.
  if (!ctx.store) return null;
  const store = ctx.store;
  const settings = await settingsOf(ctx, store);
  if (!settings.autoDir) return null;
  const recent = await store.db.selectFrom('backups').selectAll().where('trigger', 'in', ['signin', 'quit']).orderBy('id', 'desc').limit(50).execute();
  const now = ctx.clock.now();
  if (trigger === 'signin') {
    const today = todayIn(now);
    if (recent.some((r) => r.status === 'verified' && todayIn(new Date(r.made_at)) === today)) return null;
    const lastFailed = recent.find((r) => r.status === 'failed');
    if (lastFailed && now.getTime() - Date.parse(lastFailed.made_at) < RETRY_MS && todayIn(new Date(lastFailed.made_at)) === today) return null;
  } else {
    const last = recent.find((r) => r.status === 'verified');
    if (last && (await changeMarkOf(store)) <= last.change_mark) return null;
  }
  let made: BackupView;
  try {
    made = await makeBackup(ctx, { dir: settings.autoDir, trigger, system: true, prefix: 'LoanKeeper-auto-' });
  } catch {
    return null; // recorded; shown on the home page and in the list
  }
  if (made.status === 'verified' && ctx.store === store) await pruneGenerations(store, settings.autoDir, settings.keep, ctx.nowIso());
  return made;
}

/**
 * After a sign-in, an unlock or a recovery: the day's automatic backup if none was made today. It runs after
 * the caller has answered (sign-in never waits for it) and never fails the caller; the outcome is recorded.
 */
export function autoBackupAfterSignIn(ctx: AppContext): void {
  void exclusive(ctx, async () => {
    await yieldToLoop();
    try {
      await autoBackup(ctx, 'signin');
    } catch (e) {
      console.error('automatic backup failed', e);
    }
  });
}

/**
 * For the shell's `before-quit`: a last automatic backup when anything changed since the previous one.
 * Waits for a backup still running; resolves when done (verified or recorded as failed); never rejects.
 * Without an open store (nobody signed in since start) or an automatic backup folder, it does nothing.
 */
export async function backupOnQuit(ctx: AppContext): Promise<void> {
  try {
    await settleBackups(ctx);
    await exclusive(ctx, () => autoBackup(ctx, 'quit'));
  } catch (e) {
    console.error('backup on quit failed', e);
  }
}
