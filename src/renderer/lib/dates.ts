/**
 * A business date as typed → `YYYY-MM-DD`, or null when it is not a real day. Besides the canonical form,
 * accepts `2026/12/05`, `2026.12.05`, `2026-12-5` and `20261205`, in full-width digits too (as a Chinese IME
 * types them); years 1900–2200 as the contract's `date`.
 */
export function parseBusinessDate(text: string): string | null {
  const s = text
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[／]/g, '/')
    .replace(/[－]/g, '-')
    .replace(/[．]/g, '.')
    .trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || y < 1900 || y > 2200) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The text with a recognised date put into canonical form; anything else left as typed, for the schema to name. */
export function normaliseDateText(text: string): string {
  return parseBusinessDate(text) ?? text;
}
