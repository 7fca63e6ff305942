import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo-relative folders for the headless entries built to out/cli. */
export function repoDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../..');
}

export function resourcesDir(): string {
  return process.env.LK_RESOURCES_DIR ?? resolve(repoDir(), 'resources');
}

export function assertNode22(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    console.error(`贷后管家需要 Node.js 22 或更高版本，当前为 ${process.version}。LoanKeeper needs Node.js 22 or newer.`);
    process.exit(1);
  }
}
