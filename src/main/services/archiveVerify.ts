import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { VerifyReport } from '../../shared/ipc/archive';
import { fileSource, openEntry, readEntries, ZipFormatError, type Source, type ZipEntry } from '../archive/zipReader';

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  format: string;
  institution: string;
  exportedAt: string;
  exportedBy: string;
  loans: { contractNo: string; borrower: string; folder: string }[];
  files: ManifestFile[];
}

/** A package whose manifest opened with the password; the caller closes `src`. */
export interface OpenedPackage {
  src: Source & { close(): void };
  entries: ZipEntry[];
  manifest: Manifest;
  manifestText: string;
}

/** One listed file after its check: its bytes when they match the manifest, otherwise why not. */
export type CheckedFile = { file: ManifestFile; data: Buffer; problem: null } | { file: ManifestFile; data: null; problem: 'missing' | 'changed' };

const SIDE_FILES = new Set(['manifest.json', 'SHA256SUMS.txt', 'README.txt']);

type T = (key: string, params?: Record<string, string | number>) => string;

/** Opens a package and its manifest; what makes it unreadable (no file, not a package, wrong password) comes back worded. */
export function openPackage(file: string, password: string, t: T): { ok: true; pkg: OpenedPackage } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (!existsSync(file)) return fail(t('errors.verifyNoFile', { file }));
  let src: Source & { close(): void };
  try {
    src = fileSource(file);
  } catch {
    return fail(t('errors.verifyNoFile', { file }));
  }
  const refuse = (error: string) => {
    src.close();
    return fail(error);
  };
  let entries: ZipEntry[];
  try {
    entries = readEntries(src);
  } catch (e) {
    return refuse(e instanceof ZipFormatError ? t('errors.verifyNotPackage', { file }) : t('errors.verifyNoFile', { file }));
  }
  const manifestEntry = entries.find((e) => e.name === 'manifest.json');
  if (!manifestEntry) return refuse(t('errors.verifyNoManifest'));
  const m = openEntry(password, manifestEntry, src);
  if (!m.ok) return refuse(m.reason === 'password' ? t('errors.verifyWrongPassword') : t('errors.verifyManifestDamaged'));
  const manifestText = m.data.toString('utf8');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestText) as Manifest;
    if (manifest.format !== 'loankeeper-archive-export' || !Array.isArray(manifest.files)) throw new Error('format');
  } catch {
    return refuse(t('errors.verifyManifestDamaged'));
  }
  return { ok: true, pkg: { src, entries, manifest, manifestText } };
}

/** Checks the listed files one at a time (each decrypted only when asked for), so a caller may yield between them. */
export function* checkFiles(pkg: OpenedPackage, password: string): Generator<CheckedFile> {
  const byName = new Map(pkg.entries.map((e) => [e.name, e]));
  for (const f of pkg.manifest.files) {
    const e = byName.get(f.path);
    if (!e) {
      yield { file: f, data: null, problem: 'missing' };
      continue;
    }
    const r = openEntry(password, e, pkg.src);
    if (!r.ok) yield { file: f, data: null, problem: r.reason === 'short' ? 'missing' : 'changed' };
    else if (r.data.length !== f.size || createHash('sha256').update(r.data).digest('hex') !== f.sha256) yield { file: f, data: null, problem: 'changed' };
    else yield { file: f, data: r.data, problem: null };
  }
}

/** Entries the manifest does not list (folder entries, which other tools write, hold no data). */
export function extraEntries(pkg: OpenedPackage): string[] {
  const listed = new Set(pkg.manifest.files.map((f) => f.path));
  return pkg.entries.filter((e) => !e.name.endsWith('/') && !listed.has(e.name) && !SIDE_FILES.has(e.name)).map((e) => e.name);
}

export function reportOf(pkg: OpenedPackage, missing: string[], changed: string[]): VerifyReport {
  const extra = extraEntries(pkg);
  const m = pkg.manifest;
  return {
    ok: missing.length === 0 && extra.length === 0 && changed.length === 0,
    error: null,
    institution: m.institution,
    exportedAt: m.exportedAt,
    exportedBy: m.exportedBy,
    loans: m.loans,
    checked: m.files.length,
    missing,
    extra,
    changed,
  };
}

/**
 * Checks a package against its own manifest: every listed file present with its SHA-256 and size,
 * nothing extra. Needs only the file and the password, so it runs on any machine.
 */
export function verifyPackage(file: string, password: string, t: T): VerifyReport {
  const opened = openPackage(file, password, t);
  if (!opened.ok) return { ok: false, error: opened.error, institution: null, exportedAt: null, exportedBy: null, loans: [], checked: 0, missing: [], extra: [], changed: [] };
  const { pkg } = opened;
  try {
    const missing: string[] = [];
    const changed: string[] = [];
    for (const c of checkFiles(pkg, password)) if (c.problem) (c.problem === 'missing' ? missing : changed).push(c.file.path);
    return reportOf(pkg, missing, changed);
  } finally {
    pkg.src.close();
  }
}
