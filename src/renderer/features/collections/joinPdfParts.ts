import { PDFDocument } from 'pdf-lib';

/**
 * Joins base64 PDFs into one, page after page: the fallback download of a multi-part print job is then one
 * file, as main would have printed it. Loaded only when needed (pdf-lib is large).
 */
export async function joinPdfParts(parts: string[]): Promise<Uint8Array<ArrayBuffer>> {
  const out = await PDFDocument.create();
  for (const b64 of parts) {
    const doc = await PDFDocument.load(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    for (const page of await out.copyPages(doc, doc.getPageIndices())) out.addPage(page);
  }
  // pdf-lib's bytes are a plain ArrayBuffer; its types just do not say so.
  return (await out.save()) as Uint8Array<ArrayBuffer>;
}
