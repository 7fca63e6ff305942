import type { VerifyReport } from '../../../shared/ipc/archive';
import type { Manifest, PackageFindings, RefusalCode } from '../../archive/packageCheck';
import { PackageReader, type OpenedPackage, type PackageReadOptions } from '../../archive/packageWorker';

export type { Manifest, ManifestFile } from '../../archive/packageCheck';

type T = (key: string, params?: Record<string, string | number>) => string;

/** Why a package could not be read at all, in the user's words. */
export function refusalMessage(code: RefusalCode, file: string, t: T): string {
  switch (code) {
    case 'noFile':
      return t('errors.verifyNoFile', { file });
    case 'notPackage':
      return t('errors.verifyNotPackage', { file });
    case 'tooLarge':
      return t('errors.verifyTooLarge', { file });
    case 'noManifest':
      return t('errors.verifyNoManifest');
    case 'password':
      return t('errors.verifyWrongPassword');
    case 'manifestDamaged':
      return t('errors.verifyManifestDamaged');
  }
}

export const emptyReport = (error: string): VerifyReport => ({
  ok: false,
  error,
  format: null,
  fingerprint: null,
  institution: null,
  exportedAt: null,
  exportedBy: null,
  loans: [],
  checked: 0,
  missing: [],
  extra: [],
  changed: [],
});

/** The report for a package whose listed files came out as `missing` and `changed`, with the other findings. */
export function reportOf(pkg: OpenedPackage, missing: string[], changed: string[], f: PackageFindings, t: T): VerifyReport {
  const outer = (name: string) => t('archiveUi.outerEntry', { name });
  const m: Manifest = pkg.manifest;
  const all = {
    missing: [...missing, ...f.missing, ...f.outerMissing.map(outer)],
    changed: [...changed, ...f.changed, ...f.outerChanged.map(outer)],
    extra: [...f.extra, ...f.outerExtra.map(outer)],
  };
  return {
    ok: all.missing.length === 0 && all.extra.length === 0 && all.changed.length === 0,
    error: null,
    format: pkg.format,
    fingerprint: pkg.fingerprint,
    institution: m.institution,
    exportedAt: m.exportedAt,
    exportedBy: m.exportedBy,
    loans: m.loans,
    checked: m.files.length,
    ...all,
  };
}

/**
 * Checks a package against its own manifest: every listed file present with its SHA-256 and size, nothing
 * extra, SHA256SUMS.txt saying what the manifest says, and (version 2) the side files, the outer README and
 * the MAC over the whole encrypted archive. Needs only the file and the password, so it runs on any machine.
 * The package is read in a worker thread (archive/packageWorker.ts).
 */
export async function verifyPackage(file: string, password: string, t: T, opts: Omit<PackageReadOptions, 'wantData'> = {}): Promise<VerifyReport> {
  const opened = await PackageReader.open(file, password, opts);
  if (!opened.ok) return emptyReport(refusalMessage(opened.code, file, t));
  const { reader, pkg } = opened;
  try {
    const missing: string[] = [];
    const changed: string[] = [];
    for (let c = await reader.next(); c; c = await reader.next()) if (c.problem) (c.problem === 'missing' ? missing : changed).push(c.path);
    return reportOf(pkg, missing, changed, reader.findings(), t);
  } finally {
    await reader.close();
  }
}
