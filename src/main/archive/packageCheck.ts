import type * as nodeCrypto from 'node:crypto';
import type { Source, ZipEntry, ZipLimits, ZipReader } from './zipReader';

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  format: string;
  version?: number;
  institution: string;
  branch?: string;
  exportedAt: string;
  exportedBy: string;
  loans: { contractNo: string; borrower: string; folder: string }[];
  files: ManifestFile[];
  /** Version 2: SHA256SUMS.txt and the inner README.txt. */
  sideFiles?: ManifestFile[];
  /** Version 2: the outer zip's README.txt. */
  outer?: { archive: string; readme: ManifestFile };
}

export type RefusalCode = 'noFile' | 'notPackage' | 'tooLarge' | 'noManifest' | 'password' | 'manifestDamaged';

export interface CheckedFile {
  path: string;
  size: number;
  problem: 'missing' | 'changed' | null;
  /** The bytes, when they match the manifest. */
  data: Buffer | null;
}

/** What is wrong besides the listed files; outer names are entries of the outer zip of a version 2 package. */
export interface PackageFindings {
  missing: string[];
  changed: string[];
  extra: string[];
  outerMissing: string[];
  outerChanged: string[];
  outerExtra: string[];
}

export interface PackageNames {
  format: string;
  inner: string;
  readme: string;
  manifest: string;
  sums: string;
  fingerprintHex: number;
}

/**
 * Verification of an export package against its own manifest, as one self-contained function of its
 * dependencies (it refers to nothing outside itself): the package worker runs it from its source text, off
 * the main thread, because a package is hostile input until it has been checked.
 */
export function packageCheckLib(d: { reader: ZipReader; crypto: typeof nodeCrypto; names: PackageNames }) {
  const { reader, crypto, names } = d;
  const HEX64 = /^[0-9a-f]{64}$/;
  const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

  const isText = (v: unknown, max = 4000) => typeof v === 'string' && v.length <= max;
  const isFile = (f: unknown, limits: ZipLimits): f is ManifestFile => {
    const x = f as ManifestFile;
    return !!x && typeof x === 'object' && isText(x.path) && x.path.length > 0 && typeof x.sha256 === 'string' && HEX64.test(x.sha256) && Number.isSafeInteger(x.size) && x.size >= 0 && x.size <= limits.maxEntryBytes;
  };

  /** The manifest's shape, checked field by field: it came from the package. */
  function validManifest(m: unknown, limits: ZipLimits): m is Manifest {
    const x = m as Manifest;
    if (!x || typeof x !== 'object' || x.format !== names.format) return false;
    if (!isText(x.institution) || !isText(x.exportedAt) || !isText(x.exportedBy)) return false;
    if (!Array.isArray(x.files) || x.files.length > limits.maxEntries || !x.files.every((f) => isFile(f, limits))) return false;
    if (!Array.isArray(x.loans) || x.loans.length > limits.maxEntries) return false;
    if (!x.loans.every((l) => !!l && typeof l === 'object' && isText(l.contractNo) && isText(l.borrower) && isText(l.folder))) return false;
    if (x.sideFiles !== undefined && (!Array.isArray(x.sideFiles) || x.sideFiles.length > 16 || !x.sideFiles.every((f) => isFile(f, limits)))) return false;
    if (x.outer !== undefined && (!x.outer || typeof x.outer !== 'object' || !isText(x.outer.archive) || !isFile(x.outer.readme, limits))) return false;
    return true;
  }

  interface Opened {
    format: 1 | 2;
    password: string;
    limits: ZipLimits;
    outer: { src: Source & { close(): void }; entries: ZipEntry[] };
    content: { src: Source; entries: ZipEntry[]; byName: Map<string, ZipEntry> };
    macOk: (() => boolean) | null;
    manifest: Manifest;
    manifestText: string;
    fingerprint: string;
  }

  type OpenOutcome = { ok: true; pkg: Opened } | { ok: false; code: RefusalCode };

  function open(file: string, password: string, limits: ZipLimits, maxManifestBytes: number): OpenOutcome {
    let src: Source & { close(): void };
    try {
      src = reader.fileSource(file);
    } catch {
      return { ok: false, code: 'noFile' };
    }
    const refuse = (code: RefusalCode): OpenOutcome => {
      src.close();
      return { ok: false, code };
    };
    const readZip = (s: Source, l: ZipLimits = limits): ZipEntry[] | RefusalCode => {
      try {
        return reader.readEntries(s, l);
      } catch (e) {
        if (e instanceof reader.ZipFormatError) return e.kind === 'limit' ? 'tooLarge' : 'notPackage';
        return 'noFile';
      }
    };
    // 档案.zip itself is never inflated or held whole (it is read where needed), so it may be as large as the
    // package; every other entry, here or inside it, is held to the per-file limit.
    const outer = readZip(src, { ...limits, maxEntryBytes: limits.maxTotalBytes });
    if (typeof outer === 'string') return refuse(outer);
    const innerEntry = outer.find((e) => e.name === names.inner && e.encrypted);
    if (outer.some((e) => e !== innerEntry && e.size > limits.maxEntryBytes)) return refuse('tooLarge');
    let content: { src: Source; entries: ZipEntry[] };
    let macOk: (() => boolean) | null = null;
    if (innerEntry) {
      const enc = reader.encryptedEntrySource(password, innerEntry, src);
      const c = enc.check();
      if (c !== 'ok') return refuse(c === 'password' ? 'password' : 'notPackage');
      const entries = readZip(enc.src);
      if (typeof entries === 'string') return refuse(entries === 'noFile' ? 'notPackage' : entries);
      content = { src: enc.src, entries };
      macOk = enc.macOk;
    } else {
      content = { src, entries: outer };
    }
    const manifestEntry = content.entries.find((e) => e.name === names.manifest);
    if (!manifestEntry) return refuse('noManifest');
    if (manifestEntry.size > maxManifestBytes) return refuse('tooLarge');
    const m = reader.openEntry(password, manifestEntry, content.src);
    if (!m.ok) return refuse(m.reason === 'password' ? 'password' : 'manifestDamaged');
    const manifestText = m.data.toString('utf8');
    let manifest: unknown;
    try {
      manifest = JSON.parse(manifestText);
    } catch {
      return refuse('manifestDamaged');
    }
    if (!validManifest(manifest, limits)) return refuse('manifestDamaged');
    let declared = 0;
    for (const f of manifest.files) declared += f.size;
    if (declared > limits.maxTotalBytes) return refuse('tooLarge');
    return {
      ok: true,
      pkg: {
        format: innerEntry ? 2 : 1,
        password,
        limits,
        outer: { src, entries: outer },
        content: { ...content, byName: new Map(content.entries.map((e) => [e.name, e])) },
        macOk,
        manifest,
        manifestText,
        fingerprint: sha256(m.data).slice(0, names.fingerprintHex),
      },
    };
  }

  function check(pkg: Opened, f: ManifestFile, entries: Map<string, ZipEntry>, s: Source): CheckedFile {
    const e = entries.get(f.path);
    if (!e || e.name.endsWith('/')) return { path: f.path, size: f.size, problem: 'missing', data: null };
    // A declared size other than the listed one is a change, found without reading a byte.
    if (e.size !== f.size) return { path: f.path, size: f.size, problem: 'changed', data: null };
    const r = reader.openEntry(pkg.password, e, s);
    if (!r.ok) return { path: f.path, size: f.size, problem: r.reason === 'short' ? 'missing' : 'changed', data: null };
    if (r.data.length !== f.size || sha256(r.data) !== f.sha256) return { path: f.path, size: f.size, problem: 'changed', data: null };
    return { path: f.path, size: f.size, problem: null, data: r.data };
  }

  /** Checks the listed files one at a time (each read only when asked for). */
  function* files(pkg: Opened): Generator<CheckedFile> {
    for (const f of pkg.manifest.files) yield check(pkg, f, pkg.content.byName, pkg.content.src);
  }

  /** The checks beyond the listed files: side files, SHA256SUMS.txt against the manifest, extra entries, the outer zip. */
  function findings(pkg: Opened): PackageFindings {
    const out: PackageFindings = { missing: [], changed: [], extra: [], outerMissing: [], outerChanged: [], outerExtra: [] };
    const m = pkg.manifest;
    for (const f of m.sideFiles ?? []) {
      const c = check(pkg, f, pkg.content.byName, pkg.content.src);
      if (c.problem) out[c.problem].push(f.path);
    }
    // SHA256SUMS.txt must say exactly what the manifest says, whoever re-packed it.
    const sumsEntry = pkg.content.byName.get(names.sums);
    if (!sumsEntry) {
      if (!out.missing.includes(names.sums)) out.missing.push(names.sums);
    } else if (!out.changed.includes(names.sums) && !out.missing.includes(names.sums)) {
      const r = sumsEntry.size <= 64 * 1024 * 1024 ? reader.openEntry(pkg.password, sumsEntry, pkg.content.src) : null;
      const lines = (text: string) =>
        text
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '')
          .map((l) => l.replace(/^([0-9a-fA-F]{64}) [ *]/, (_, h: string) => `${h.toLowerCase()}  `))
          .sort();
      const expected = m.files.map((f) => `${f.sha256}  ${f.path}`).sort();
      const got = r && r.ok ? lines(r.data.toString('utf8')) : null;
      if (!got || got.length !== expected.length || got.some((l, i) => l !== expected[i])) out.changed.push(names.sums);
    }
    const listed = new Set([...m.files.map((f) => f.path), ...(m.sideFiles ?? []).map((f) => f.path), names.manifest, names.sums, names.readme]);
    out.extra = pkg.content.entries.filter((e) => !e.name.endsWith('/') && !listed.has(e.name)).map((e) => e.name);
    if (pkg.format === 2) {
      const outerByName = new Map(pkg.outer.entries.map((e) => [e.name, e]));
      if (m.outer) {
        const c = check(pkg, m.outer.readme, outerByName, pkg.outer.src);
        if (c.problem === 'missing') out.outerMissing.push(m.outer.readme.path);
        else if (c.problem) out.outerChanged.push(m.outer.readme.path);
      }
      out.outerExtra = pkg.outer.entries.filter((e) => !e.name.endsWith('/') && e.name !== names.inner && e.name !== names.readme).map((e) => e.name);
      // Last, one pass over the whole encrypted archive: its MAC covers every byte, headers included.
      if (pkg.macOk && !pkg.macOk()) out.outerChanged.push(names.inner);
    }
    return out;
  }

  const close = (pkg: Opened) => pkg.outer.src.close();

  return { open, files, findings, close };
}
