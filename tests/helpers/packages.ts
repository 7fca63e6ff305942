import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Opens an export package the way an auditor does with 7-Zip: the outer zip with the password, then 档案.zip
 * inside it. Returns the two folders.
 */
export function unpack(file: string, password: string, into: string): { outer: string; inner: string } {
  const outer = join(into, 'outer');
  const inner = join(into, 'inner');
  execFileSync('7z', ['x', `-p${password}`, `-o${outer}`, file], { stdio: 'pipe' });
  execFileSync('7z', ['x', `-o${inner}`, join(outer, '档案.zip')], { stdio: 'pipe' });
  return { outer, inner };
}

/**
 * Packs the folders again as someone with the password could: the inner folder as a plain 档案.zip, then the
 * outer folder with AES-256, stored. The result has the package's layout, so only the changed files differ.
 */
export function repack(dirs: { outer: string; inner: string }, password: string, to: string): void {
  const innerZip = join(dirs.outer, '档案.zip');
  rmSync(innerZip, { force: true });
  execFileSync('7z', ['a', '-tzip', '-mx0', innerZip, '.'], { cwd: dirs.inner, stdio: 'pipe' });
  execFileSync('7z', ['a', '-tzip', '-mx0', '-mem=AES256', `-p${password}`, to, '.'], { cwd: dirs.outer, stdio: 'pipe' });
}

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** A copy of the folders, to alter one thing and repack. */
export function copyTree(dirs: { outer: string; inner: string }, into: string): { outer: string; inner: string } {
  mkdirSync(into, { recursive: true });
  execFileSync('cp', ['-a', dirs.outer, join(into, 'outer')]);
  execFileSync('cp', ['-a', dirs.inner, join(into, 'inner')]);
  return { outer: join(into, 'outer'), inner: join(into, 'inner') };
}
