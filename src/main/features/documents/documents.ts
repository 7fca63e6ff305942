import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Transaction } from 'kysely';
import { isHeifHead } from '../../../shared/ipc/documents';
import { AppError } from '../../../shared/ipc/errors';
import { FileStoreError, fileKey, openSealed, readEncryptedFile, sealBytes, writeEncryptedFile } from '../../db/fileStore';
import type { Database } from '../../db/schema';
import type { AppContext } from '../../kernel/context';
import { requireStore, type Store } from '../../kernel/store';

export type FileKind = 'jpeg' | 'png' | 'tiff' | 'pdf' | 'office';

const MIME: Record<FileKind, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
  office: 'application/octet-stream',
};

/** The file's real type from its first bytes; the name's extension is not trusted. */
export function sniff(bytes: Buffer, fileName: string): { kind: FileKind; mime: string } | null {
  const head = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  let kind: FileKind | null = null;
  if (head([0xff, 0xd8, 0xff])) kind = 'jpeg';
  else if (head([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) kind = 'png';
  else if (head([0x49, 0x49, 0x2a, 0x00]) || head([0x4d, 0x4d, 0x00, 0x2a])) kind = 'tiff';
  else if (head([0x25, 0x50, 0x44, 0x46, 0x2d])) kind = 'pdf';
  else if ((head([0x50, 0x4b, 0x03, 0x04]) && /\.(docx|xlsx|pptx)$/i.test(fileName)) || (head([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) && /\.(doc|xls|ppt)$/i.test(fileName))) kind = 'office';
  if (!kind) return null;
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const officeMime: Record<string, string> = {
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    doc: 'application/msword',
    xls: 'application/vnd.ms-excel',
    ppt: 'application/vnd.ms-powerpoint',
  };
  return { kind, mime: kind === 'office' ? (officeMime[ext] ?? MIME.office) : MIME[kind] };
}

export interface NewDocument {
  loanId: number | null;
  borrowerId: number | null;
  docType: string;
  fileName: string;
  base64: string;
}

/**
 * Checks and stores one file in the encrypted store. Refused, with nothing stored: an empty file, one over
 * the size limit, or one whose bytes are not among `allowed`.
 */
export async function storeDocument(
  ctx: AppContext,
  trx: Transaction<Database>,
  doc: NewDocument,
  opts: { allowed: readonly FileKind[]; maxBytes: number; actor: string; replacesId?: number | null; field?: string },
): Promise<number> {
  const field = opts.field ?? 'file';
  const bad = (message: string) => new AppError('VALIDATION', message, [{ path: field, message }]);
  const bytes = Buffer.from(doc.base64, 'base64');
  if (bytes.length === 0) throw bad(ctx.t('errors.emptyFile', { name: doc.fileName }));
  if (bytes.length > opts.maxBytes) throw bad(ctx.t('errors.fileTooLarge', { name: doc.fileName, mb: Math.round(opts.maxBytes / 1024 / 1024) }));
  if (isHeifHead(bytes)) throw bad(ctx.t('errors.heicNotAllowed', { name: doc.fileName }));
  const type = sniff(bytes, doc.fileName);
  if (!type || !opts.allowed.includes(type.kind)) throw bad(ctx.t('errors.fileTypeNotAllowed', { name: doc.fileName }));
  const store = requireStore(ctx);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let kept: KeptBytes;
  try {
    kept = keepDocumentBytes(store, bytes, sha256);
  } catch (e) {
    // Only a file written on the single-PC store fails this way; sealing for the server has no folder to name.
    if (store.kind !== 'local') throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError('IO', ctx.t(code === 'ENOSPC' ? 'errors.documentDiskFull' : 'errors.documentWriteFailed', { name: doc.fileName, dir: store.files.dir }));
  }
  // If the transaction rolls back, a file stays unreferenced; `check` lists such files.
  const { id } = await trx
    .insertInto('documents')
    .values({
      loan_id: doc.loanId,
      borrower_id: doc.borrowerId,
      doc_type: doc.docType,
      file_name: doc.fileName,
      mime: type.mime,
      size: bytes.length,
      sha256,
      content: kept.content,
      file_ref: kept.file_ref,
      crc32: crc32(bytes),
      replaces_id: opts.replacesId ?? null,
      removed_at: null,
      removed_by: null,
      removed_reason: null,
      created_by: opts.actor,
      created_at: ctx.nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export interface StoredBytes {
  file_name: string;
  content: Buffer | Uint8Array;
  file_ref: string | null;
  /** Needed on the branch server, where the sealed bytes are bound to it. */
  sha256?: string;
}

/** What a document's sealed bytes on the branch server are bound to (db/fileStore.ts `sealBytes`). */
const sealLabel = (sha256: string) => `document:${sha256}`;

/** A document's bytes as its row records them: sealed in `content`, or in the encrypted file named by `file_ref`. */
export interface KeptBytes {
  content: Buffer;
  file_ref: string | null;
}

/**
 * Puts a document's (or an imported file's) bytes where the open store keeps them, the one place that chooses:
 * on the branch server sealed on this PC for the row, bound to their SHA-256, so the server never holds them in
 * clear text; on the single-PC store an encrypted file beside the database (an I/O error is thrown as it is, for
 * the caller to name). Until the row commits, `dropDocumentFiles` undoes it.
 */
export function keepDocumentBytes(store: Store, bytes: Buffer, sha256: string): KeptBytes {
  if (store.kind === 'branch') {
    const key = fileKey(store.dataKey);
    try {
      return { content: sealBytes(key, bytes, sealLabel(sha256)), file_ref: null };
    } finally {
      key.fill(0);
    }
  }
  return { content: Buffer.alloc(0), file_ref: writeEncryptedFile(store.files.dir, store.files.key, bytes) };
}

/**
 * Removes the files of rows that were not written, or whose bytes a destruction list cleared. Only the single-PC
 * store has files: on the branch server the bytes are in the row and go with the row's own change.
 */
export function dropDocumentFiles(store: Store, refs: Iterable<string | null>): void {
  if (store.kind !== 'local') return;
  for (const ref of refs) if (ref) rmSync(join(store.files.dir, ref), { force: true });
}

/**
 * A stored document's bytes in segments: from its encrypted file or the BLOB of an older row on the single-PC
 * store, from the sealed bytes in the row on the branch server.
 */
export function* documentChunks(ctx: AppContext, store: Store, d: StoredBytes): Generator<Buffer> {
  // No file and no bytes: destroyed under a destruction list (an empty file is never stored).
  if (!d.file_ref && d.content.length === 0) throw new AppError('NOT_FOUND', ctx.t('errors.documentDestroyed', { name: d.file_name }));
  try {
    if (store.kind === 'branch') {
      if (!d.sha256) throw new FileStoreError('damaged', d.file_name);
      const key = fileKey(store.dataKey);
      try {
        yield* openSealed(key, Buffer.from(d.content), sealLabel(d.sha256));
      } finally {
        key.fill(0);
      }
      return;
    }
    if (!d.file_ref) {
      yield Buffer.from(d.content);
      return;
    }
    yield* readEncryptedFile(store.files.dir, store.files.key, d.file_ref);
  } catch (e) {
    if (e instanceof FileStoreError) throw new AppError('IO', ctx.t(e.kind === 'missing' ? 'errors.documentFileMissing' : 'errors.documentFileDamaged', { name: d.file_name, file: e.ref }));
    if (e instanceof AppError) throw e;
    throw new AppError('IO', ctx.t('errors.documentReadFailed', { name: d.file_name }));
  }
}

export function documentBytes(ctx: AppContext, store: Store, d: StoredBytes): Buffer {
  return Buffer.concat([...documentChunks(ctx, store, d)]);
}
