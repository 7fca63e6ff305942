import { describe, expect, it } from 'vitest';
import { safeName, uniqueIn } from '../../src/main/archive/names';

describe('file names for FAT32 and exFAT', () => {
  it('replaces reserved characters, trims trailing dots and spaces, limits length', () => {
    expect(safeName('HT/2026:001_张三')).toBe('HT_2026_001_张三');
    expect(safeName('a*b?c"d<e>f|g\\h')).toBe('a_b_c_d_e_f_g_h');
    expect(safeName('合同. . ')).toBe('合同');
    expect(safeName('tab\there')).toBe('tab_here');
    expect([...safeName('长'.repeat(200))]).toHaveLength(80);
    expect(safeName('CON')).toBe('_CON');
    expect(safeName('...')).toBe('_');
  });

  it('keeps names unique in a folder, ignoring case', () => {
    const used = new Set<string>();
    expect(['借款合同.pdf', '借款合同.pdf', 'A.pdf', 'a.pdf'].map((n) => uniqueIn(used, n))).toEqual(['借款合同.pdf', '借款合同 (2).pdf', 'A.pdf', 'a (2).pdf']);
  });
});
