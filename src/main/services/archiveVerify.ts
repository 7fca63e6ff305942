import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { VerifyReport } from '../../shared/ipc/archive';
import { fileSource, openEntry, readEntries, ZipFormatError, type Source } from '../archive/zipReader';

interface Manifest {
  format: string;
  institution: string;
  exportedAt: string;
  exportedBy: string;
  loans: { contractNo: string; borrower: string; folder: string }[];
  files: { path: string; sha256: string; size: number }[];
}

const SIDE_FILES = new Set(['manifest.json', 'SHA256SUMS.txt', 'README.txt']);

type T = (key: string, params?: Record<string, string | number>) => string;

/**
 * Checks a package against its own manifest: every listed file present with its SHA-256 and size,
 * nothing extra. Needs only the file and the password, so it runs on any machine.
 */
export function verifyPackage(file: string, password: string, t: T): VerifyReport {
  const empty = (error: string): VerifyReport => ({ ok: false, error, institution: null, exportedAt: null, exportedBy: null, loans: [], checked: 0, missing: [], extra: [], changed: [] });
  if (!existsSync(file)) return empty(t('errors.verifyNoFile', { file }));
  let src: Source & { close(): void };
  try {
    src = fileSource(file);
  } catch {
    return empty(t('errors.verifyNoFile', { file }));
  }
  try {
    let entries;
    try {
      entries = readEntries(src);
    } catch (e) {
      return empty(e instanceof ZipFormatError ? t('errors.verifyNotPackage', { file }) : t('errors.verifyNoFile', { file }));
    }
    const manifestEntry = entries.find((e) => e.name === 'manifest.json');
    if (!manifestEntry) return empty(t('errors.verifyNoManifest'));
    const m = openEntry(password, manifestEntry, src);
    if (!m.ok) return empty(m.reason === 'password' ? t('errors.verifyWrongPassword') : t('errors.verifyManifestDamaged'));
    let manifest: Manifest;
    try {
      manifest = JSON.parse(m.data.toString('utf8')) as Manifest;
      if (manifest.format !== 'loankeeper-archive-export' || !Array.isArray(manifest.files)) throw new Error('format');
    } catch {
      return empty(t('errors.verifyManifestDamaged'));
    }
    const byName = new Map(entries.map((e) => [e.name, e]));
    const listed = new Set(manifest.files.map((f) => f.path));
    const missing: string[] = [];
    const changed: string[] = [];
    for (const f of manifest.files) {
      const e = byName.get(f.path);
      if (!e) {
        missing.push(f.path);
        continue;
      }
      const r = openEntry(password, e, src);
      if (!r.ok) {
        (r.reason === 'short' ? missing : changed).push(f.path);
        continue;
      }
      if (r.data.length !== f.size || createHash('sha256').update(r.data).digest('hex') !== f.sha256) changed.push(f.path);
    }
    // Folder entries (other tools write them) hold no data.
    const extra = entries.filter((e) => !e.name.endsWith('/') && !listed.has(e.name) && !SIDE_FILES.has(e.name)).map((e) => e.name);
    return {
      ok: missing.length === 0 && extra.length === 0 && changed.length === 0,
      error: null,
      institution: manifest.institution,
      exportedAt: manifest.exportedAt,
      exportedBy: manifest.exportedBy,
      loans: manifest.loans,
      checked: manifest.files.length,
      missing,
      extra,
      changed,
    };
  } finally {
    src.close();
  }
}
