import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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
    parsedFonts.clear();
    releaseTimer = null;
  }, KEEP_FONTS_MS);
  releaseTimer.unref();
  return fonts;
}

/**
 * Parsed faces kept between documents, with the font bytes above. pdfkit parses a face again for every document
 * (fontkit: the collection's directory, cmap, layout tables, and the CFF glyph programs as glyphs are used);
 * for our CJK faces that cost about 0.1-0.3 s per face and document, more than laying out a post-loan card.
 * pdfmake asks its document for each face once (`provideFont`); the first time we remember the parsed face,
 * later documents get a new embedding (its own subset, widths and id, made as pdfkit makes it) around the
 * same parsed face. fontkit's subsetting copies what it changes, so the PDF bytes are those of a fresh parse.
 * This relies on pdfkit's document keeping its embedded fonts in `_fontFamilies` by PostScript name and
 * numbering them with `_fontCount`, as pdfkit 0.19 does; the pdftotext and font tests would show a change.
 */
type EmbeddedFont = { font: object; constructor: new (doc: object, font: object, id: string) => EmbeddedFont };
const parsedFonts = new Map<string, { make: EmbeddedFont['constructor']; font: object }>();
interface PdfmakeDocument {
  fonts: Record<string, Record<string, unknown>>;
  fontCache: Record<string, Record<string, unknown> | undefined>;
  _fontFamilies: Record<string, EmbeddedFont | undefined>;
  _fontCount: number;
  getFontType(bold: boolean, italics: boolean): string;
  provideFont(family: string, bold: boolean, italics: boolean): EmbeddedFont;
}
let keepingParsedFonts = false;

/**
 * fontkit's CFF subsetting (`CFFSubset.subsetSubrs`) keeps every subroutine slot of a face and fills each unused
 * one with a new one-byte `Uint8Array([11])` ("return"). Our CJK faces have up to 26,000 local and 3,000 global
 * subroutines, so every document made about 30,000 small ArrayBuffers per face, and collecting them was most of
 * the PDF worker's garbage collection (an export's card and ledger: about a third of their CPU). The same method
 * with one shared stub: the bytes written are the same (the stub is only ever copied into the output).
 */
const RETURN_OP = new Uint8Array([11]);
type CffSubset = { cff: { stream: { pos: number; readBuffer(n: number): Uint8Array } }; subsetSubrs(subrs: { offset: number; length: number }[], used: Record<string, boolean>): Uint8Array[] };
export function sharedStubSubsetSubrs(this: CffSubset, subrs: { offset: number; length: number }[], used: Record<string, boolean>): Uint8Array[] {
  const res: Uint8Array[] = [];
  for (let i = 0; i < subrs.length; i++) res.push(RETURN_OP);
  // Only the few used ones are read (looking each index up in `used` cost more than the rest).
  for (const k in used) {
    const i = Number(k);
    if (!used[k] || !Number.isInteger(i) || i < 0 || i >= subrs.length) continue;
    this.cff.stream.pos = subrs[i].offset;
    res[i] = this.cff.stream.readBuffer(subrs[i].length);
  }
  return res;
}
/** fontkit's own method, kept for the test that compares the two. */
export let fontkitSubsetSubrs: CffSubset['subsetSubrs'] | null = null;

/** Installs `sharedStubSubsetSubrs` on the subset class of a parsed CFF face (once; faces share the class; TrueType faces have no such method). */
function shareSubsetStubs(font: object): void {
  const make = (font as { createSubset?: () => object })['createSubset'];
  if (typeof make !== 'function') return;
  const proto = Object.getPrototypeOf(make.call(font)) as Partial<CffSubset> & { subsetCharstrings?: unknown };
  if (typeof proto.subsetSubrs !== 'function' || typeof proto.subsetCharstrings !== 'function' || proto.subsetSubrs === sharedStubSubsetSubrs) return;
  fontkitSubsetSubrs = proto.subsetSubrs;
  proto.subsetSubrs = sharedStubSubsetSubrs;
}

function keepParsedFonts(): void {
  if (keepingParsedFonts) return;
  keepingParsedFonts = true;
  // The class pdfmake's printer instantiates (the same module instance as `import pdfmake`).
  const proto = (createRequire(import.meta.url)('pdfmake/js/PDFDocument') as { default: { prototype: PdfmakeDocument } }).default.prototype;
  const provide = proto.provideFont;
  proto.provideFont = function (this: PdfmakeDocument, family, bold, italics) {
    const def = this.fonts[family]?.[this.getFontType(bold, italics)];
    const fresh = !this.fontCache[family]?.[this.getFontType(bold, italics)];
    const key = fresh && Array.isArray(def) && typeof def[0] === 'string' && typeof def[1] === 'string' && def[0].startsWith(vfsName('')) ? `${def[0]}\0${def[1]}` : null;
    const parsed = key ? parsedFonts.get(key) : undefined;
    if (parsed && !this._fontFamilies[(def as string[])[1]]) this._fontFamilies[(def as string[])[1]] = new parsed.make(this, parsed.font, `F${++this._fontCount}`);
    const embedded = provide.call(this, family, bold, italics);
    if (key && !parsed && cachedFonts.has(key.split('\0')[0])) {
      parsedFonts.set(key, { make: embedded.constructor, font: embedded.font });
      shareSubsetStubs(embedded.font);
    }
    return embedded;
  };
}

/** Renders a document to PDF bytes. Only our own font folder may be read; nothing is fetched. */
export async function renderPdf(resourcesDir: string, doc: TDocumentDefinitions): Promise<Buffer> {
  const fontDir = resolve(resourcesDir, 'fonts');
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p: string) => resolve(p).startsWith(fontDir));
  keepParsedFonts();
  pdfmake.setFonts(cachedFontsFor(resourcesDir) as never);
  const out = pdfmake.createPdf({ defaultStyle: { font: 'Serif', fontSize: 11 }, ...doc });
  return (await out.getBuffer()) as Buffer;
}
