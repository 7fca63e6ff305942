import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { auditKey, headGenuine, signHead } from '../../db/auditChain';
import { readKeyHistoryOf } from '../../db/auditLog';
import type { Problem } from '../../db/backupFiles';
import { checkDatabase, createScratch, dropDatabase, dumpBranch, openDatabase, PgBackupError, restoreInto, serverMajor, type BranchFacts } from '../../db/pg/backup';
import { DumpFileError, DumpWriter, readDump, readDumpHeader, type DumpHeader } from '../../db/pg/dumpFile';
import { findPgTools, type PgTools } from '../../db/pg/tools';
import type { AppContext } from '../../kernel/context';
import type { BranchStore } from '../../kernel/store';
import { backupError, backupWriteError } from './backupErrors';

/**
 * Backups of the branch server: pg_dump of the branch database, sealed on the desktop as it streams (db/pg/dumpFile.ts),
 * then verified by restoring it into a scratch database on the same server and comparing what comes back (row counts,
 * the documents' digests, the audit chain and its signed head) with what the header recorded. Nothing here records
 * anything: backups.ts keeps the outcome in the `backups` table as for the single-PC store.
 */

const problem = (key: Problem['key'], params: Problem['params'] = {}): Problem => ({ key, params });

/** pg_dump and pg_restore for this server, or a clear refusal in the user's language. */
export async function toolsFor(ctx: AppContext, store: BranchStore): Promise<PgTools> {
  const major = await serverMajor(store.db);
  const found = findPgTools(major, ctx.config.pgBinDir);
  if (found.ok) return found.tools;
  if (found.problem === 'old') throw backupError(ctx, 'IO', 'backups.errors.pgToolsOld', { dir: found.dir, found: found.version, server: major });
  throw backupError(ctx, 'IO', 'backups.errors.pgToolsMissing', { server: major, searched: found.searched.slice(0, 6).join('; ') || '—' });
}

function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function toolFailure(ctx: AppContext, e: unknown): unknown {
  if (e instanceof PgBackupError && (e.kind === 'pg_dump' || e.kind === 'pg_restore')) return backupError(ctx, 'IO', 'backups.errors.pgToolFailed', { tool: e.kind, detail: e.detail.slice(0, 500) });
  return e;
}

/**
 * Writes the sealed backup into `file` (a temp name, fsync, rename): the header from the snapshot's facts, then the
 * dump as pg_dump streams it. Throws a BackupError saying why (no tools, the tool failed, the disk).
 */
export async function writeBranchBackup(ctx: AppContext, store: BranchStore, file: string, madeBy: string): Promise<{ header: DumpHeader; size: number }> {
  const tools = await toolsFor(ctx, store);
  if (existsSync(file)) throw backupError(ctx, 'CONFLICT', 'backups.errors.writeFailed', { file });
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  let header: DumpHeader | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    let writer: DumpWriter | null = null;
    const open = fd;
    await dumpBranch(store.db, store.target, tools, (facts: BranchFacts) => {
      header = {
        format: 'loankeeper-branch-backup',
        version: 1,
        serverVersion: facts.serverVersion,
        database: facts.database,
        madeAt: ctx.nowIso(),
        madeBy,
        head: facts.head ? signHead(store.auditKey, facts.head) : null,
        latestEntryAt: facts.latestEntryAt,
        institution: facts.institution,
        branch: facts.branch,
        tables: facts.tables,
        documents: facts.documents,
      };
      const w = new DumpWriter(open, store.dataKey, header);
      writer = w;
      return (chunk) => w.write(chunk);
    });
    (writer as DumpWriter | null)?.finish();
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
    fsyncDir(dirname(file));
  } catch (e) {
    if (fd !== null) closeSync(fd);
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The drive is gone: nothing is left under the final name either way.
    }
    const tool = toolFailure(ctx, e);
    if (tool !== e) throw tool;
    throw backupWriteError(ctx, e, file);
  }
  return { header: header!, size: statSync(file).size };
}

/** Why a sealed file does not open, as a problem worded for the list. */
export function dumpProblem(e: unknown, file: string): Problem {
  if (e instanceof DumpFileError) {
    if (e.kind === 'missing') return problem('backups.problems.missing', { file });
    if (e.kind === 'not-a-file') return problem('backups.problems.notAFile', { file });
    if (e.kind === 'not-branch-backup') return problem('backups.problems.notBranchBackup', { file });
    if (e.kind === 'wrong-key') return problem('backups.problems.branchWrongKey', { file });
    return problem('backups.problems.damaged', { kind: e.detail || 'GCM' });
  }
  return problem('backups.problems.text', { text: (e as Error)?.message ?? String(e) });
}

/** Compares what the restored database holds with what the backup's header recorded. */
function compare(header: DumpHeader, got: Awaited<ReturnType<typeof checkDatabase>>, chainKey: Buffer): Problem | null {
  if (got.chain.problem) return problem('backups.problems.auditBroken', { id: got.chain.brokenAt ?? 0 });
  const h = header.head;
  const g = got.chain.head;
  if (h ? !headGenuine(chainKey, h) || !g || g.count !== h.count || g.id !== h.id || g.hash !== h.hash : g !== null) return problem('backups.problems.auditBroken', { id: h?.id ?? g?.id ?? 0 });
  const names = [...new Set([...Object.keys(header.tables), ...Object.keys(got.facts.tables)])].sort();
  for (const n of names) {
    if (header.tables[n] !== got.facts.tables[n]) return problem('backups.problems.tableCount', { table: n, store: header.tables[n] ?? 0, backup: got.facts.tables[n] ?? 0 });
  }
  if (header.documents.length !== got.facts.documents.length) return problem('backups.problems.documentCount', { store: header.documents.length, backup: got.facts.documents.length });
  const restored = new Map(got.facts.documents.map((d) => [d.key, d.sha256]));
  for (const d of header.documents) {
    if (!restored.has(d.key)) return problem('backups.problems.documentMissingInBackup', { name: d.name });
    if (restored.get(d.key) !== d.sha256) return problem('backups.problems.pgDocumentDiffers', { name: d.name });
  }
  return null;
}

/**
 * The data key a branch backup is sealed with: the branch's current key or, for a backup made before a key rotation,
 * one that rotation retired (kept sealed in the database, db/auditLog.ts), as the single-PC store opens its older
 * backups. Throws DumpFileError as `readDumpHeader` does ('wrong-key' when none of them is its key). The caller
 * wipes the key when done.
 */
export async function backupKeyOf(store: BranchStore, file: string): Promise<{ key: Buffer; header: DumpHeader }> {
  try {
    return { key: Buffer.from(store.dataKey), header: readDumpHeader(file, store.dataKey) };
  } catch (e) {
    if (!(e instanceof DumpFileError && e.kind === 'wrong-key')) throw e;
    for (const h of (await readKeyHistoryOf(store.db, store.auditKey)).reverse()) {
      const key = Buffer.from(h.dataKey, 'hex');
      try {
        return { key, header: readDumpHeader(file, key) };
      } catch (again) {
        key.fill(0);
        if (!(again instanceof DumpFileError && again.kind === 'wrong-key')) throw again;
      }
    }
    throw e;
  }
}

export interface ScratchRestore {
  problem: Problem | null;
  header: DumpHeader | null;
  /** The scratch database holding the restored backup, when kept (`keep`) and the check passed. */
  scratch: string | null;
}

/**
 * Restores the sealed backup into a new scratch database `lk_verify_<random>` and checks it against its header.
 * The scratch database is dropped afterwards, unless `keep` and the check passed (a restore swaps it in).
 * A server that refuses CREATE DATABASE is said so: the file is then only read through and authenticated.
 */
export async function restoreToScratch(ctx: AppContext, store: BranchStore, file: string, opts: { keep?: boolean; tools?: PgTools } = {}): Promise<ScratchRestore> {
  let opened: { key: Buffer; header: DumpHeader };
  try {
    opened = await backupKeyOf(store, file);
  } catch (e) {
    return { problem: dumpProblem(e, file), header: null, scratch: null };
  }
  // The backup's own chain key: a backup from before a rotation was signed, and its chain runs, under the old one.
  const chainKey = auditKey(opened.key);
  try {
    return await restoreWithKey(ctx, store, file, opened.key, chainKey, opened.header, opts);
  } finally {
    opened.key.fill(0);
    chainKey.fill(0);
  }
}

async function restoreWithKey(ctx: AppContext, store: BranchStore, file: string, dataKey: Buffer, chainKey: Buffer, header: DumpHeader, opts: { keep?: boolean; tools?: PgTools }): Promise<ScratchRestore> {
  if (header.head && !headGenuine(chainKey, header.head)) return { problem: problem('backups.problems.auditBroken', { id: header.head.id }), header, scratch: null };
  let tools: PgTools;
  try {
    tools = opts.tools ?? (await toolsFor(ctx, store));
  } catch (e) {
    return { problem: problem('backups.problems.text', { text: (e as Error).message }), header, scratch: null };
  }
  const scratch = `lk_verify_${randomBytes(6).toString('hex')}`;
  try {
    await createScratch(store.db, scratch);
  } catch (e) {
    if (!(e instanceof PgBackupError && e.kind === 'no-createdb')) throw e;
    // Still read every segment through: a damaged file says so rather than "not checked".
    try {
      for await (const _ of readDump(file, dataKey)) void _;
    } catch (d) {
      return { problem: dumpProblem(d, file), header, scratch: null };
    }
    return { problem: problem('backups.problems.pgNoCreatedb', { detail: e.detail.slice(0, 300) }), header, scratch: null };
  }
  let keep = false;
  try {
    try {
      await restoreInto(store.target, tools, scratch, readDump(file, dataKey));
    } catch (e) {
      if (e instanceof DumpFileError) return { problem: dumpProblem(e, file), header, scratch: null };
      if (e instanceof PgBackupError) return { problem: problem('backups.problems.pgRestoreFailed', { detail: e.detail.slice(0, 500) }), header, scratch: null };
      throw e;
    }
    const conn = openDatabase(store.target, scratch, chainKey);
    let found: Problem | null;
    try {
      found = compare(header, await checkDatabase(conn.db, chainKey), chainKey);
    } finally {
      await conn.close();
    }
    keep = !!opts.keep && found === null;
    return { problem: found, header, scratch: keep ? scratch : null };
  } finally {
    if (!keep) await dropDatabase(store.db, scratch).catch(() => {});
  }
}

/** Whether `dir` can take a backup file: it exists and is a folder. */
export function folderProblem(dir: string): 'backups.errors.folderMissing' | 'backups.errors.notAFolder' | null {
  if (!existsSync(dir)) return 'backups.errors.folderMissing';
  if (!lstatSync(dir).isDirectory()) return 'backups.errors.notAFolder';
  return null;
}
