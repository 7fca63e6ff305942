import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/ipc/errors';
import type { ImportedArchiveView, ImportedFileView, ImportJobView } from '../../../shared/ipc/archive';
import type { Database } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import type { AppContext } from '../../kernel/context';
import { PackageReader } from '../../archive/packageWorker';
import { refusalMessage, reportOf } from './archiveVerify';
import { documentBytes, dropDocumentFiles, keepDocumentBytes, sniff } from '../documents/documents';
import { requirePermission } from '../../kernel/authz';
import { requireStore, type Store } from '../../kernel/store';

export interface ImportOptions {
  onProgress?: (p: { done: number; total: number; bytes: number; totalBytes: number }) => void;
  isCancelled?: () => boolean;
}

class Cancelled extends Error {}

/** The import stopped at the user's request; nothing was imported. */
export class ImportCancelledError extends AppError {}

async function refuseDuplicate(ctx: AppContext, db: Kysely<Database>, manifest: string): Promise<void> {
  const same = await db.selectFrom('imported_archives').select(['imported_at', 'imported_by']).where('manifest', '=', manifest).executeTakeFirst();
  if (same) throw new AppError('CONFLICT', ctx.t('errors.importDuplicate', { at: same.imported_at.slice(0, 16).replace('T', ' '), by: same.imported_by }));
}

/**
 * The package's files as kept for the store (documents.ts `keepDocumentBytes`) until their rows are written in one
 * transaction at the end. On the single-PC store they are in the file store already and only named here; sealed
 * bytes for the branch server wait in a temporary folder on this PC rather than in memory (a package may hold
 * gigabytes). They are sealed, so neither there nor on the server is anything in clear text.
 */
class KeptFiles {
  private readonly kept = new Map<string, { fileRef: string | null; waiting: string | null }>();
  private dir: string | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly store: Store,
  ) {}

  has(path: string): boolean {
    return this.kept.has(path);
  }

  keep(path: string, data: Buffer, sha256: string): void {
    let dir = this.store.kind === 'local' ? this.store.files.dir : '';
    try {
      const k = keepDocumentBytes(this.store, data, sha256);
      let waiting: string | null = null;
      if (k.content.length > 0) {
        dir = this.dir ??= mkdtempSync(join(tmpdir(), 'loankeeper-import-'));
        waiting = join(dir, `${this.kept.size}.sealed`);
        writeFileSync(waiting, k.content, { mode: 0o600 });
      }
      this.kept.set(path, { fileRef: k.file_ref, waiting });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const key = this.store.kind === 'local' ? (code === 'ENOSPC' ? 'errors.importDiskFull' : 'errors.importWriteFailed') : 'errors.importTempFailed';
      throw new AppError('IO', this.ctx.t(key, { dir: dir || tmpdir() }));
    }
  }

  /** What the row of `path` records: the file's name, or the sealed bytes read back. */
  columns(path: string): { content: Buffer; file_ref: string | null } {
    const k = this.kept.get(path)!;
    return { content: k.waiting ? readFileSync(k.waiting) : Buffer.alloc(0), file_ref: k.fileRef };
  }

  /** The rows were not written: what was kept for them goes. */
  drop(): void {
    dropDocumentFiles(this.store, [...this.kept.values()].map((k) => k.fileRef));
  }

  /** Written or not, the sealed bytes waiting on this PC go. */
  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Brings a verified export package in as a read-only archive (the auditor's or head office's view).
 * It lives in its own tables and never touches live loans; a package that fails verification is refused.
 *
 * One pass checks each listed file against the manifest and, while all is well, keeps it encrypted for the store
 * (a file in the single-PC store's file store, sealed bytes for a row on the branch server), yielding to the event
 * loop between files. The rows go in only at the end, in one transaction; a refusal, a cancel or a failure removes
 * what was kept so far.
 */
export async function runImport(ctx: AppContext, input: { file: string; password: string }, opts: ImportOptions = {}): Promise<ImportedArchiveView> {
  const s = requirePermission(ctx, 'archive.import');
  const store = requireStore(ctx);
  const t = (k: string, p?: Record<string, string | number>) => ctx.t(k as never, p);
  // The package is read, decrypted, inflated and hashed in a worker thread: it is hostile input until checked.
  const opened = await PackageReader.open(input.file, input.password, { wantData: true });
  if (!opened.ok) throw new AppError('VALIDATION', refusalMessage(opened.code, input.file, t));
  const { reader, pkg } = opened;
  const m = pkg.manifest;
  const kept = new KeptFiles(ctx, store);
  // A file is checked against the manifest's SHA-256 as it is read; the server's sealed bytes are bound to it.
  const listedSha = new Map<string, string>();
  for (const f of m.files) if (!listedSha.has(f.path)) listedSha.set(f.path, f.sha256);
  let committed = false;
  try {
    await refuseDuplicate(ctx, store.db, pkg.manifestText);
    const missing: string[] = [];
    const changed: string[] = [];
    const progress = { done: 0, total: m.files.length, bytes: 0, totalBytes: m.files.reduce((n, f) => n + f.size, 0) };
    opts.onProgress?.({ ...progress });
    for (let c = await reader.next(); c; c = await reader.next()) {
      if (c.problem) (c.problem === 'missing' ? missing : changed).push(c.path);
      // Once the package is known to be bad, the rest is only checked, to name every bad file.
      else if (missing.length + changed.length === 0 && c.data && !kept.has(c.path)) kept.keep(c.path, c.data, listedSha.get(c.path)!);
      progress.done++;
      progress.bytes += c.size;
      opts.onProgress?.({ ...progress });
      await yieldToLoop();
      if (opts.isCancelled?.()) throw new Cancelled();
    }
    const report = reportOf(pkg, missing, changed, reader.findings(), t);
    if (!report.ok) {
      const bad = [...report.changed, ...report.missing, ...report.extra];
      const files = bad.slice(0, 5).join(ctx.t('archiveUi.listSep')) + (bad.length > 5 ? ' …' : '');
      throw new AppError('RULE_VIOLATION', ctx.t('errors.importNotVerified', { missing: report.missing.length, changed: report.changed.length, extra: report.extra.length, files }));
    }
    const now = ctx.nowIso();
    const id = await store.db.transaction().execute(async (trx) => {
      // Checked again: another import of the same package may have finished meanwhile.
      await refuseDuplicate(ctx, trx, pkg.manifestText);
      const r = await trx
        .insertInto('imported_archives')
        .values({ file_name: input.file, institution: m.institution, exported_at: m.exportedAt, exported_by: m.exportedBy, manifest: pkg.manifestText, imported_by: s.username, imported_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const inserted = new Set<string>();
      for (const f of m.files) {
        if (inserted.has(f.path)) continue;
        inserted.add(f.path);
        await trx.insertInto('imported_files').values({ archive_id: r.id, path: f.path, sha256: f.sha256, size: f.size, ...kept.columns(f.path) }).execute();
      }
      await recordAudit(trx, now, { actor: s.username, action: 'archive.importPackage', entity: 'imported-archive', entityId: String(r.id), detail: { file: input.file, institution: m.institution, files: m.files.length, format: pkg.format, fingerprint: pkg.fingerprint } });
      return r.id;
    });
    committed = true;
    return (await importedArchives(ctx)).find((a) => a.id === id)!;
  } catch (e) {
    if (!committed) kept.drop();
    if (e instanceof Cancelled) throw new ImportCancelledError('CONFLICT', ctx.t('errors.importCancelled'));
    throw e;
  } finally {
    kept.close();
    await reader.close();
  }
}

/** The whole import in one call (the CLI and older callers); the app uses the job below. */
export function importPackage(ctx: AppContext, input: { file: string; password: string }): Promise<ImportedArchiveView> {
  return runImport(ctx, input);
}

const jobs = new Map<string, ImportJobView & { cancel: boolean }>();

function view(j: ImportJobView): ImportJobView {
  return { id: j.id, state: j.state, done: j.done, total: j.total, bytes: j.bytes, totalBytes: j.totalBytes, archive: j.archive, error: j.error };
}

function jobOf(ctx: AppContext, id: string) {
  requirePermission(ctx, 'archive.import');
  const j = jobs.get(id);
  if (!j) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchImportJob'));
  return j;
}

/** Starts an import in the background; the renderer polls its progress and may cancel it. Refusals end the job with its error. */
export function startImport(ctx: AppContext, input: { file: string; password: string }): ImportJobView {
  requirePermission(ctx, 'archive.import');
  requireStore(ctx);
  const id = randomBytes(8).toString('hex');
  const job: ImportJobView & { cancel: boolean } = { id, state: 'running', done: 0, total: 0, bytes: 0, totalBytes: 0, archive: null, error: null, cancel: false };
  jobs.set(id, job);
  // Started on the next turn, so the caller gets its job id before the first file is read.
  void yieldToLoop()
    .then(() => runImport(ctx, input, { onProgress: (p) => Object.assign(job, p), isCancelled: () => job.cancel }))
    .then(
      (a) => Object.assign(job, { state: 'done', archive: a }),
      (e: unknown) => {
        if (!(e instanceof AppError)) console.error('archive import failed', e);
        Object.assign(job, { state: e instanceof ImportCancelledError ? 'cancelled' : 'failed', error: e instanceof AppError ? e.message : ctx.t('errors.internal') });
      },
    );
  return view(job);
}

export function importStatus(ctx: AppContext, input: { jobId: string }): ImportJobView {
  return view(jobOf(ctx, input.jobId));
}

/** Asks a running import to stop at the next file; once its rows are being written it finishes instead. */
export function cancelImport(ctx: AppContext, input: { jobId: string }): ImportJobView {
  const j = jobOf(ctx, input.jobId);
  if (j.state === 'running') j.cancel = true;
  return view(j);
}

export async function importedArchives(ctx: AppContext): Promise<ImportedArchiveView[]> {
  requirePermission(ctx, 'archive.import');
  const rows = await requireStore(ctx).db.selectFrom('imported_archives').selectAll().orderBy('id', 'desc').execute();
  return rows.map((r) => {
    const m = JSON.parse(r.manifest) as { loans: { contractNo: string; borrower: string; folder: string }[]; files: unknown[] };
    return { id: r.id, fileName: r.file_name, institution: r.institution, exportedAt: r.exported_at, exportedBy: r.exported_by, importedBy: r.imported_by, importedAt: r.imported_at, loans: m.loans, files: m.files.length };
  });
}

export async function importedFiles(ctx: AppContext, input: { archiveId: number }): Promise<ImportedFileView[]> {
  requirePermission(ctx, 'archive.import');
  const rows = await requireStore(ctx).db.selectFrom('imported_files').select(['path', 'sha256', 'size']).where('archive_id', '=', input.archiveId).orderBy('path').execute();
  return rows.map((r) => ({ path: r.path, sha256: r.sha256, size: r.size }));
}

/** One imported file's bytes: from its encrypted file, or from the BLOB of a row imported before 0015. */
export async function importedFile(ctx: AppContext, input: { archiveId: number; path: string }): Promise<{ fileName: string; mime: string; base64: string }> {
  requirePermission(ctx, 'archive.import');
  const store = requireStore(ctx);
  const r = await store.db.selectFrom('imported_files').select(['path', 'content', 'file_ref', 'sha256']).where('archive_id', '=', input.archiveId).where('path', '=', input.path).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchDocument'));
  // A missing or damaged file is refused naming the imported path (the document store's messages).
  const content = documentBytes(ctx, store, { file_name: r.path, content: r.content, file_ref: r.file_ref, sha256: r.sha256 });
  const fileName = r.path.split('/').pop()!;
  return { fileName, mime: sniff(content, fileName)?.mime ?? 'application/octet-stream', base64: content.toString('base64') };
}
