import { AppError } from '../../../shared/ipc/errors';
import { isDestroyed, type DocumentView } from '../../../shared/ipc/documents';
import { can } from '../../../shared/permissions';
import type { DocumentsTable } from '../../db/schema';
import { recordAudit } from '../../kernel/audit';
import type { AppContext, Session } from '../../kernel/context';
import { assertDocType } from '../archive/archive';
import { storeDocument, type FileKind } from './documents';
import { visibleLoan, requireSession } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { requireStore, type Store } from '../../kernel/store';

const ARCHIVE_KINDS: FileKind[] = ['pdf', 'jpeg', 'png', 'tiff', 'office'];

/** Officers add papers to their loans; the archivist to any. */
function mayFile(ctx: AppContext): Session {
  const s = requireSession(ctx);
  if (!can(s.roles, 'portfolio.write') && !can(s.roles, 'archive.manage')) throw new AppError('FORBIDDEN', ctx.t('errors.forbidden'));
  return s;
}

type Row = Omit<DocumentsTable, 'id' | 'content' | 'file_ref' | 'crc32'> & { id: number };

async function view(store: Store, r: Row): Promise<DocumentView> {
  const newer = await store.db.selectFrom('documents').select('id').where('replaces_id', '=', r.id).executeTakeFirst();
  return {
    id: r.id,
    loanId: r.loan_id,
    docType: r.doc_type,
    fileName: r.file_name,
    mime: r.mime,
    size: r.size,
    sha256: r.sha256,
    createdBy: r.created_by,
    createdAt: r.created_at,
    replacesId: r.replaces_id,
    superseded: !!newer,
    removed: r.removed_at ? { at: r.removed_at, by: r.removed_by!, reason: r.removed_reason! } : null,
  };
}

const COLUMNS = ['id', 'loan_id', 'borrower_id', 'doc_type', 'file_name', 'mime', 'size', 'sha256', 'replaces_id', 'removed_at', 'removed_by', 'removed_reason', 'created_by', 'created_at'] as const;

async function row(ctx: AppContext, store: Store, s: Session, documentId: number): Promise<Row> {
  const r = await store.db.selectFrom('documents').select(COLUMNS).where('id', '=', documentId).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchDocument'));
  if (r.loan_id) await visibleLoan(ctx, store, s, r.loan_id);
  return r;
}

export async function listDocuments(ctx: AppContext, input: { loanId: number; includeRemoved: boolean }): Promise<DocumentView[]> {
  const s = requireSession(ctx);
  const store = requireStore(ctx);
  await visibleLoan(ctx, store, s, input.loanId);
  let q = store.db.selectFrom('documents').select(COLUMNS).where('loan_id', '=', input.loanId);
  if (!input.includeRemoved) q = q.where('removed_at', 'is', null);
  const rows = await q.orderBy('id').execute();
  return Promise.all(rows.map((r) => view(store, r)));
}

export async function addDocument(ctx: AppContext, input: { loanId: number; docType: string; fileName: string; base64: string }, replacesId: number | null = null): Promise<DocumentView> {
  const s = mayFile(ctx);
  const store = requireStore(ctx);
  const loan = await visibleLoan(ctx, store, s, input.loanId);
  await assertDocType(ctx, input.docType);
  const max = (await readSettings(store.db)).attachmentMaxMb * 1024 * 1024;
  const id = await store.db.transaction().execute(async (trx) => {
    const docId = await storeDocument(
      ctx,
      trx,
      { loanId: loan.id, borrowerId: loan.borrower_id, docType: input.docType, fileName: input.fileName, base64: input.base64 },
      { allowed: ARCHIVE_KINDS, maxBytes: max, actor: s.username, replacesId },
    );
    await recordAudit(trx, ctx.nowIso(), { actor: s.username, action: replacesId ? 'documents.replace' : 'documents.add', entity: 'document', entityId: String(docId), detail: { loanId: loan.id, docType: input.docType, fileName: input.fileName, replacesId } });
    return docId;
  });
  return view(store, await row(ctx, store, s, id));
}

/** A new version; the old one stays, marked as superseded. */
export async function replaceDocument(ctx: AppContext, input: { documentId: number; fileName: string; base64: string }): Promise<DocumentView> {
  const s = mayFile(ctx);
  const store = requireStore(ctx);
  const old = await row(ctx, store, s, input.documentId);
  if (old.removed_at) throw new AppError('RULE_VIOLATION', ctx.t('errors.documentRemoved'));
  if ((await view(store, old)).superseded) throw new AppError('RULE_VIOLATION', ctx.t('errors.documentSuperseded'));
  if (!old.loan_id) throw new AppError('RULE_VIOLATION', ctx.t('errors.noSuchDocument'));
  return addDocument(ctx, { loanId: old.loan_id, docType: old.doc_type, fileName: input.fileName, base64: input.base64 }, old.id);
}

/** A logged, reversible removal: the bytes stay in the store. */
export async function removeDocument(ctx: AppContext, input: { documentId: number; reason: string }): Promise<DocumentView> {
  const s = mayFile(ctx);
  const store = requireStore(ctx);
  const r = await row(ctx, store, s, input.documentId);
  if (r.removed_at) throw new AppError('RULE_VIOLATION', ctx.t('errors.documentRemoved'));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('documents').set({ removed_at: now, removed_by: s.username, removed_reason: input.reason }).where('id', '=', r.id).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'documents.remove', entity: 'document', entityId: String(r.id), reason: input.reason });
  });
  return view(store, await row(ctx, store, s, r.id));
}

export async function restoreDocument(ctx: AppContext, input: { documentId: number; reason: string }): Promise<DocumentView> {
  const s = mayFile(ctx);
  const store = requireStore(ctx);
  const r = await row(ctx, store, s, input.documentId);
  if (!r.removed_at) throw new AppError('RULE_VIOLATION', ctx.t('errors.documentNotRemoved'));
  if (isDestroyed(r.removed_reason)) throw new AppError('RULE_VIOLATION', ctx.t('errors.documentDestroyed', { name: r.file_name }));
  const now = ctx.nowIso();
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('documents').set({ removed_at: null, removed_by: null, removed_reason: null }).where('id', '=', r.id).execute();
    await recordAudit(trx, now, { actor: s.username, action: 'documents.restore', entity: 'document', entityId: String(r.id), reason: input.reason || null, detail: { removedAt: r.removed_at, removedBy: r.removed_by } });
  });
  return view(store, await row(ctx, store, s, r.id));
}
