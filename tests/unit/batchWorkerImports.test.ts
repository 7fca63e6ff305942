import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The daily batch's worker thread loads its bundle at every start, and that time is part of the batch's (issue #13).
 * It must not load what only opening a store or answering calls needs: the migrations (and pinyin-pro, which one of
 * them uses), kysely/migration, zod (the IPC contracts). Walks the runtime imports (not `import type`) of the
 * sources from its entry.
 */
const ROOT = join(__dirname, '..', '..');
const ENTRY = 'src/main/jobs/batchWorker.ts';
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)([^;]*?)\s*from\s*['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return `pkg:${spec}`;
  const base = normalize(join(dirname(from), spec));
  for (const c of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(join(ROOT, c))) return relative('.', c).split('\\').join('/');
  return null;
}

/** Every module reached from the entry, with the one that first imported it. */
function graph(): Map<string, string | null> {
  const seen = new Map<string, string | null>([[ENTRY, null]]);
  const queue = [ENTRY];
  while (queue.length) {
    const file = queue.shift()!;
    if (file.startsWith('pkg:')) continue;
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      const clause = m[1]?.trim();
      // `import { type A, type B } from` loads nothing either.
      if (clause?.startsWith('{') && clause.slice(1, -1).split(',').every((x) => !x.trim() || x.trim().startsWith('type '))) continue;
      const r = resolve(file, m[2] ?? m[3]);
      if (r && !seen.has(r)) {
        seen.set(r, file);
        queue.push(r);
      }
    }
  }
  return seen;
}

const chain = (g: Map<string, string | null>, m: string) => {
  const out = [m];
  for (let p = g.get(m); p; p = g.get(p)) out.push(p);
  return out.join(' <- ');
};

describe('the batch worker bundle', () => {
  it('loads neither the migrations nor pinyin-pro nor zod', () => {
    const g = graph();
    expect(g.has('src/main/domain/batch.ts')).toBe(true);
    expect(g.has('src/main/reactions.ts')).toBe(true);
    const heavy = ['src/main/db/migrate.ts', 'src/main/kernel/store.ts', 'pkg:kysely/migration', 'pkg:pinyin-pro', 'pkg:zod'];
    expect(heavy.filter((m) => g.has(m)).map((m) => chain(g, m))).toEqual([]);
  });
});
