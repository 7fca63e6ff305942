import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import { describe, expect, it } from 'vitest';
import { fontkitSubsetSubrs, renderPdf, sharedStubSubsetSubrs } from '../../src/main/pdf/render';

const resources = resolve('resources');
// A fixed date, so that two renders of one definition can be compared byte for byte.
const at = new Date('2026-06-15T02:00:00Z');
const doc = (title: string, lines: string[]): TDocumentDefinitions => ({
  info: { title, creationDate: at } as never,
  content: [{ text: title, font: 'Sans', bold: true, fontSize: 18 }, ...lines.map((text) => ({ text })), { text: 'KXM7Q-4TP9C', font: 'Mono' }],
});

describe('PDF fonts kept parsed between documents', () => {
  it('a document made after others (faces parsed once, glyphs already used) has the bytes of one made from a fresh parse', async () => {
    const card = doc('贷后管理卡', ['借款人：基准测试商贸有限公司', '合同编号：HT-2026-002  本金 1,000,000.00 元', '五级分类：正常']);
    const ledger = doc('贷款台账', ['日期 摘要 借方 贷方 余额', '2026-01-15 放款 1,000,000.00', '逾期 罚息 关注 次级 可疑 损失']);
    // The first render in this process parses every face.
    const fresh = await renderPdf(resources, card);
    await renderPdf(resources, ledger);
    const again = await renderPdf(resources, card);
    expect(again.equals(fresh)).toBe(true);
    // Each document embeds its own subset: the ledger's text, not the card's, and every font embedded.
    const dir = mkdtempSync(join(tmpdir(), 'lk-pdf-fonts-'));
    try {
      const file = join(dir, 'ledger.pdf');
      writeFileSync(file, await renderPdf(resources, ledger));
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text).toContain('逾期 罚息 关注 次级 可疑 损失');
      expect(text).not.toContain('基准测试商贸');
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      expect(fonts.length).toBe(3);
      for (const f of fonts) expect(f).toMatch(/yes\s+yes\s+yes/); // embedded, subset, unicode map
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CFF subsetting with one shared stub for unused subroutines', () => {
  it('writes the same subset bytes as fontkit’s own method, for the faces and glyphs our documents use', async () => {
    // Rendering once installs the shared-stub method on fontkit's subset class.
    await renderPdf(resources, doc('贷后管理卡', ['借款人：基准测试商贸有限公司']));
    expect(fontkitSubsetSubrs).not.toBeNull();
    const fontkit = createRequire(import.meta.url)('fontkit') as { create(b: Buffer, name?: string): { createSubset(): { includeGlyph(id: number): void; encode(): Uint8Array } & object; glyphForCodePoint(c: number): { id: number } } };
    const text = '贷后管理卡借款人合同编号本金逾期罚息关注次级可疑损失 0123456789 KXM7Q-4TP9C';
    for (const [file, face] of [['NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'], ['NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Bold'], ['NotoSansCJK-Regular.ttc', 'NotoSansMonoCJKsc-Regular']]) {
      const font = fontkit.create(readFileSync(join(resources, 'fonts', file)), face);
      const encode = () => {
        const s = font.createSubset();
        for (const ch of text) s.includeGlyph(font.glyphForCodePoint(ch.codePointAt(0)!).id);
        return Buffer.from(s.encode());
      };
      const proto = Object.getPrototypeOf(font.createSubset()) as { subsetSubrs: unknown };
      expect(proto.subsetSubrs).toBe(sharedStubSubsetSubrs);
      expect(fontkitSubsetSubrs).not.toBe(sharedStubSubsetSubrs);
      const shared = encode();
      proto.subsetSubrs = fontkitSubsetSubrs;
      try {
        expect(encode().equals(shared)).toBe(true);
      } finally {
        proto.subsetSubrs = sharedStubSubsetSubrs;
      }
      expect(shared.length).toBeGreaterThan(1000);
    }
  });
});
