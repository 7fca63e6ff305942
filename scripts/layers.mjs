// `npm run lint:cycles`, a step of `npm test`: the main process has no runtime import cycle, and the kernel
// (src/main/kernel) imports no feature: only shared code, the database layer, the file helpers and itself.
// Type-only imports do not count (they vanish at run time); `import()` does.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';

let failed = false;

// 1. Runtime cycles, as dpdm sees them once TypeScript's types are stripped (-T).
const dpdm = spawnSync('npx', ['dpdm', '--no-warning', '--no-tree', '--no-progress', '-T', '--exit-code', 'circular:1', 'src/main/**/*.ts'], { encoding: 'utf8' });
process.stdout.write(dpdm.stdout);
process.stderr.write(dpdm.stderr);
if (dpdm.status !== 0) {
  console.error('lint:cycles: runtime import cycles in src/main (listed above)');
  failed = true;
}

// 2. What the kernel may import.
const KERNEL = 'src/main/kernel';
const ALLOWED = ['src/shared/', 'src/main/db/', 'src/main/fs/', `${KERNEL}/`];
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
for (const name of readdirSync(KERNEL).filter((f) => f.endsWith('.ts'))) {
  const file = join(KERNEL, name);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4];
    if (m[2] || !spec.startsWith('.')) continue; // type-only, or a package / node: built-in
    const target = relative(process.cwd(), resolve(dirname(file), spec)) + '/';
    if (!ALLOWED.some((a) => target.startsWith(a))) {
      console.error(`lint:cycles: ${file} imports ${spec}; the kernel may import only ${ALLOWED.join(', ')}`);
      failed = true;
    }
  }
}

if (failed) process.exit(1);
console.log('lint:cycles: no runtime cycles in src/main; the kernel imports no feature');
