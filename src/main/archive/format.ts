/**
 * The export package (version 2): an outer zip that holds
 *   README.txt — not encrypted, no personal data: how to open the package;
 *   档案.zip   — one WinZip AES-256 entry, itself an ordinary zip with the real names: a folder per loan
 *               (“合同编号_借款人”) with its documents, post-loan card and ledger, plus manifest.json,
 *               SHA256SUMS.txt and a README.txt with the details.
 * Without the password nothing but these two names can be read. Version 1 packages (every file its own AES
 * entry, names readable) are still verified and imported.
 */
export const PACKAGE_FORMAT = 'loankeeper-archive-export';
export const PACKAGE_VERSION = 2;
export { INNER_ARCHIVE } from '../../shared/ipc/archive';
export const README = 'README.txt';
export const MANIFEST = 'manifest.json';
export const SUMS = 'SHA256SUMS.txt';

/** The package's fingerprint: the first 128 bits of manifest.json's SHA-256, which lists every file's own. */
export const FINGERPRINT_HEX = 32;

export { groupFingerprint } from '../../shared/ipc/archive';

/** The lines of SHA256SUMS.txt for the listed files, as `sha256sum -c` reads them. */
export function sumsText(files: { path: string; sha256: string }[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}
