import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder: the nearest parent of this bundle that holds package.json (bundles may sit in sub-folders). */
export function repoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the CLI bundle');
    dir = up;
  }
  return dir;
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
