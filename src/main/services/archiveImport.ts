import { AppError } from '../../shared/ipc/errors';
import type { ImportedArchiveView, ImportedFileView } from '../../shared/ipc/archive';
import { fileSource, openEntry, readEntries } from '../archive/zipReader';
import { recordAudit } from './audit';
import type { AppContext } from './context';
import { verifyPackage } from './archiveVerify';
import { sniff } from './documents';
import { requirePermission } from './session';
import { requireStore } from './store';

/**
 * Brings a verified export package in as a read-only archive (the auditor's or head office's view).
 * It lives in its own tables and never touches live loans; a package that fails verification is refused.
 */
export async function importPackage(ctx: AppContext, input: { file: string; password: string }): Promise<ImportedArchiveView> {
  const s = requirePermission(ctx, 'archive.import');
  const store = requireStore(ctx);
  const report = verifyPackage(input.file, input.password, (k, p) => ctx.t(k as never, p));
  if (report.error) throw new AppError('VALIDATION', report.error);
  if (!report.ok) {
    const bad = [...report.changed, ...report.missing, ...report.extra];
    const files = bad.slice(0, 5).join(ctx.t('archiveUi.listSep')) + (bad.length > 5 ? ' …' : '');
    throw new AppError('RULE_VIOLATION', ctx.t('errors.importNotVerified', { missing: report.missing.length, changed: report.changed.length, extra: report.extra.length, files }));
  }
  const src = fileSource(input.file);
  try {
    const entries = readEntries(src);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const manifest = openEntry(input.password, byName.get('manifest.json')!, src);
    if (!manifest.ok) throw new AppError('VALIDATION', ctx.t('errors.verifyManifestDamaged'));
    const m = JSON.parse(manifest.data.toString('utf8')) as { institution: string; exportedAt: string; exportedBy: string; files: { path: string; sha256: string; size: number }[] };
    const same = await store.db.selectFrom('imported_archives').select(['imported_at', 'imported_by']).where('manifest', '=', manifest.data.toString('utf8')).executeTakeFirst();
    if (same) throw new AppError('CONFLICT', ctx.t('errors.importDuplicate', { at: same.imported_at.slice(0, 16).replace('T', ' '), by: same.imported_by }));
    const now = ctx.nowIso();
    const id = await store.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('imported_archives')
        .values({ file_name: input.file, institution: m.institution, exported_at: m.exportedAt, exported_by: m.exportedBy, manifest: manifest.data.toString('utf8'), imported_by: s.username, imported_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const f of m.files) {
        const d = openEntry(input.password, byName.get(f.path)!, src);
        if (!d.ok) throw new AppError('VALIDATION', ctx.t('errors.verifyManifestDamaged'));
        await trx.insertInto('imported_files').values({ archive_id: r.id, path: f.path, sha256: f.sha256, size: f.size, content: d.data }).execute();
      }
      await recordAudit(trx, now, { actor: s.username, action: 'archive.importPackage', entity: 'imported-archive', entityId: String(r.id), detail: { file: input.file, institution: m.institution, files: m.files.length } });
      return r.id;
    });
    return (await importedArchives(ctx)).find((a) => a.id === id)!;
  } finally {
    src.close();
  }
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

export async function importedFile(ctx: AppContext, input: { archiveId: number; path: string }): Promise<{ fileName: string; mime: string; base64: string }> {
  requirePermission(ctx, 'archive.import');
  const r = await requireStore(ctx).db.selectFrom('imported_files').select(['path', 'content']).where('archive_id', '=', input.archiveId).where('path', '=', input.path).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchDocument'));
  const content = Buffer.from(r.content);
  const fileName = r.path.split('/').pop()!;
  return { fileName, mime: sniff(content, fileName)?.mime ?? 'application/octet-stream', base64: content.toString('base64') };
}
