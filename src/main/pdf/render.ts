import { readFileSync } from 'node:fs';
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

/**
 * The font files' bytes, kept in pdfmake's in-memory file system between renders: read from disk every time,
 * the three collections (65 MB) cost more than laying out a page (a fresh buffer is a page fault every 4 KiB).
 * Released after a few idle minutes.
 */
const KEEP_FONTS_MS = 3 * 60_000;
const cachedFonts = new Set<string>();
let releaseTimer: ReturnType<typeof setTimeout> | null = null;
const vfs = (pdfmake as unknown as { virtualfs: { storage: Record<string, Buffer | undefined>; writeFileSync(name: string, content: Buffer): void; existsSync(name: string): boolean } }).virtualfs;
const vfsName = (file: string) => `loankeeper-fonts${file}`;

function cachedFontsFor(resourcesDir: string) {
  const fonts = fontsFor(resourcesDir);
  for (const faces of Object.values(fonts)) {
    for (const def of Object.values(faces)) {
      const name = vfsName(def[0]);
      if (!vfs.existsSync(name)) {
        vfs.writeFileSync(name, readFileSync(def[0]));
        cachedFonts.add(name);
      }
      def[0] = name;
    }
  }
  if (releaseTimer) clearTimeout(releaseTimer);
  releaseTimer = setTimeout(() => {
    for (const name of cachedFonts) vfs.storage[name.replace(/^\//, '')] = undefined;
    cachedFonts.clear();
    releaseTimer = null;
  }, KEEP_FONTS_MS);
  releaseTimer.unref();
  return fonts;
}

/** Renders a document to PDF bytes. Only our own font folder may be read; nothing is fetched. */
export async function renderPdf(resourcesDir: string, doc: TDocumentDefinitions): Promise<Buffer> {
  const fontDir = resolve(resourcesDir, 'fonts');
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p: string) => resolve(p).startsWith(fontDir));
  pdfmake.setFonts(cachedFontsFor(resourcesDir) as never);
  const out = pdfmake.createPdf({ defaultStyle: { font: 'Serif', fontSize: 11 }, ...doc });
  return (await out.getBuffer()) as Buffer;
}
