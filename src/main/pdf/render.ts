import { join, resolve } from 'node:path';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces';

/** Serif (宋体 style) for body text, sans (黑体 style) for headings. TTC faces are picked by PostScript name. */
export function fontsFor(resourcesDir: string) {
  const f = (file: string) => join(resourcesDir, 'fonts', file);
  return {
    Serif: {
      normal: [f('NotoSerifCJK-Regular.ttc'), 'NotoSerifCJKsc-Regular'],
      bold: [f('NotoSansCJK-Bold.ttc'), 'NotoSansCJKsc-Bold'],
      italics: [f('NotoSerifCJK-Regular.ttc'), 'NotoSerifCJKsc-Regular'],
      bolditalics: [f('NotoSansCJK-Bold.ttc'), 'NotoSansCJKsc-Bold'],
    },
    // The monospaced face in the same collection: for passwords, where every character must stand apart.
    Mono: {
      normal: [f('NotoSansCJK-Regular.ttc'), 'NotoSansMonoCJKsc-Regular'],
      bold: [f('NotoSansCJK-Bold.ttc'), 'NotoSansMonoCJKsc-Bold'],
      italics: [f('NotoSansCJK-Regular.ttc'), 'NotoSansMonoCJKsc-Regular'],
      bolditalics: [f('NotoSansCJK-Bold.ttc'), 'NotoSansMonoCJKsc-Bold'],
    },
    Sans: {
      normal: [f('NotoSansCJK-Regular.ttc'), 'NotoSansCJKsc-Regular'],
      bold: [f('NotoSansCJK-Bold.ttc'), 'NotoSansCJKsc-Bold'],
      italics: [f('NotoSansCJK-Regular.ttc'), 'NotoSansCJKsc-Regular'],
      bolditalics: [f('NotoSansCJK-Bold.ttc'), 'NotoSansCJKsc-Bold'],
    },
  };
}

/** Renders a document to PDF bytes. Only our own font folder may be read; nothing is fetched. */
export async function renderPdf(resourcesDir: string, doc: TDocumentDefinitions): Promise<Buffer> {
  const fontDir = resolve(resourcesDir, 'fonts');
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p: string) => resolve(p).startsWith(fontDir));
  pdfmake.setFonts(fontsFor(resourcesDir) as never);
  const out = pdfmake.createPdf({ defaultStyle: { font: 'Serif', fontSize: 11 }, ...doc });
  return (await out.getBuffer()) as Buffer;
}
