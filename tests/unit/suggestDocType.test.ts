import { describe, expect, it } from 'vitest';
import { DOC_TYPES, isHeifHead, suggestDocType } from '../../src/shared/ipc/documents';

const types = DOC_TYPES.map((d, i) => ({ code: d.code, nameZh: d.zh, nameEn: d.en, sort: i, active: true }));

describe('a document type suggested from the file name', () => {
  it.each([
    ['借款合同_HT-2026-0001.pdf', 'contract'],
    ['HT-0001 借款合同（扫描）.jpg', 'contract'],
    ['保证合同-李四.pdf', 'guarantee-contract'],
    ['房产抵押合同.pdf', 'security-contract'],
    ['借据扫描件.jpg', 'iou'],
    ['借款申请书.docx', 'application'],
    ['征信报告.pdf', 'credit-report'],
    ['2026年3月贷后检查报告.pdf', 'inspection-report'],
    ['现场照片1.jpg', 'inspection-photo'],
    ['批量通知书.pdf', 'notice'],
    ['民事判决书.pdf', 'legal'],
    ['Loan contract signed.pdf', 'contract'],
  ])('%s → %s', (name, code) => {
    expect(suggestDocType(name, types)).toBe(code);
  });

  it('says nothing when the name says nothing, and never suggests a type that is switched off', () => {
    expect(suggestDocType('扫描件_001.jpg', types)).toBeNull();
    expect(suggestDocType('IMG_2031.jpg', types)).toBeNull();
    expect(suggestDocType('其他.pdf', types)).toBeNull();
    expect(suggestDocType('借据.jpg', types.map((t) => (t.code === 'iou' ? { ...t, active: false } : t)))).toBeNull();
  });

  it('finds a type the archivist added by its name', () => {
    expect(suggestDocType('营业执照副本.jpg', [...types, { code: 'licence', nameZh: '营业执照', nameEn: 'Business licence', active: true }])).toBe('licence');
  });
});

describe('HEIC/HEIF by its first bytes', () => {
  const box = (brand: string) => new Uint8Array([0, 0, 0, 0x18, ...Buffer.from(`ftyp${brand}`)]);
  it('knows the HEIF brands and nothing else', () => {
    expect(isHeifHead(box('heic'))).toBe(true);
    expect(isHeifHead(box('mif1'))).toBe(true);
    expect(isHeifHead(box('isom'))).toBe(false); // an MP4 video
    expect(isHeifHead(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe(false);
    expect(isHeifHead(box('heic').subarray(0, 11))).toBe(false);
  });
});
