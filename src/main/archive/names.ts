/** A folder or file name that FAT32 and exFAT accept and Windows does not reserve. */
export function safeName(raw: string, maxLength = 80): string {
  let s = raw
    .normalize('NFC')
    .replace(/[\\/:*?"<>|]/g, '_')
    .replace(/./gsu, (c) => (c.charCodeAt(0) < 0x20 ? '_' : c))
    .replace(/\s+/g, ' ')
    .trim();
  s = [...s].slice(0, maxLength).join('');
  s = s.replace(/[. ]+$/, '');
  if (!s || /^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$/i.test(s)) s = `_${s}`;
  return s;
}

/** Makes names unique within one folder: 合同.pdf, 合同 (2).pdf, … */
export function uniqueIn(used: Set<string>, name: string): string {
  const lower = (n: string) => n.toLowerCase();
  if (!used.has(lower(name))) {
    used.add(lower(name));
    return name;
  }
  const dot = name.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let i = 2; ; i++) {
    const candidate = `${base} (${i})${ext}`;
    if (!used.has(lower(candidate))) {
      used.add(lower(candidate));
      return candidate;
    }
  }
}
