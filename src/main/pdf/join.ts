import { PDFDocument } from 'pdf-lib';
import { AppError } from '../../shared/ipc/errors';
import type { AppContext } from '../kernel/context';

/**
 * Joins the parts of a print batch into one PDF, so the batch is one print job (one dialog, one spool).
 * A single part is passed through unchanged. Anything that does not parse as a PDF is refused.
 */
export async function joinPdfs(ctx: AppContext, parts: string[]): Promise<Uint8Array> {
  const bytes = parts.map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
  for (const b of bytes) {
    if (Buffer.from(b.subarray(0, 5)).toString('latin1') !== '%PDF-') throw new AppError('VALIDATION', ctx.t('errors.printNotPdf'));
  }
  if (bytes.length === 1) return bytes[0];
  const out = await PDFDocument.create();
  for (const b of bytes) {
    let doc: PDFDocument;
    try {
      doc = await PDFDocument.load(b);
    } catch {
      throw new AppError('VALIDATION', ctx.t('errors.printNotPdf'));
    }
    for (const page of await out.copyPages(doc, doc.getPageIndices())) out.addPage(page);
  }
  return out.save();
}
