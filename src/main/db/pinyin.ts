import { pinyin } from 'pinyin-pro';

/**
 * A name's pinyin, for sorting by pinyin (as a Chinese reader expects, not by character code) and for finding a
 * borrower by pinyin or initials ("shangguan", "sgm"). Surnames read as surnames (单 shan, 曾 zeng); tones dropped;
 * Latin letters and digits kept in lower case; punctuation (（）·) dropped. Stored beside the name, written
 * wherever a name is written.
 */
export function pinyinColumns(name: string): { name_pinyin: string; name_initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive', v: true })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  return { name_pinyin: syllables.join(''), name_initials: syllables.map((s) => s[0]).join('') };
}

/** A search text that can only be pinyin: Latin letters, perhaps with spaces between syllables. */
export function pinyinQuery(query: string): string | null {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  return /^[a-z]{2,}$/.test(q) ? q : null;
}
