import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Features own their folder (issue #13): one name in src/shared/ipc/<name>.ts (channels and their access),
 * src/main/features/<name>/ (handlers.ts, queries and commands) and src/renderer/features/<name>/ (pages).
 */
const ROOT = join(__dirname, '..', '..');
const SHARED_IPC = join(ROOT, 'src', 'shared', 'ipc');
const MAIN_FEATURES = join(ROOT, 'src', 'main', 'features');
const RENDERER_FEATURES = join(ROOT, 'src', 'renderer', 'features');
const KERNEL = join(ROOT, 'src', 'main', 'kernel');

/** Renderer folders that are pages spanning several features, not a feature of their own. */
const PAGE_ONLY: Record<string, string> = {
  home: 'the dashboard: facts from loans, repayments (classification) and settings',
  loan: "one loan's detail page: tabs of loans, repayments, drawdowns, factoring, collateral, loanChanges, collections…",
  setup: 'the first-run wizard: the app feature (setup.*) and demo data',
};

const dirs = (dir: string) => readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());
const sharedNames = readdirSync(SHARED_IPC)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
/** The shared files that declare channels (`export const <name>Channels = {…}`); the others are helpers (contract, errors…). */
const featureNames = sharedNames.filter((n) => new RegExp(`export const ${n}Channels\\s*=`).test(readFileSync(join(SHARED_IPC, `${n}.ts`), 'utf8')));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('feature folders', () => {
  it('finds the features it checks', () => {
    // A guard against a regex that matches nothing: the contract has well over twenty features.
    expect(featureNames.length).toBeGreaterThan(20);
    expect(featureNames).toContain('loans');
    expect(featureNames).not.toContain('contract');
  });

  it('gives every shared feature that declares channels its main handlers, exported under its name', () => {
    const missing = featureNames.filter((n) => {
      const file = join(MAIN_FEATURES, n, 'handlers.ts');
      return !existsSync(file) || !new RegExp(`export const ${n}Handlers\\b`).test(readFileSync(file, 'utf8'));
    });
    expect(missing).toEqual([]);
  });

  it('names every main feature folder after a shared/ipc file', () => {
    expect(dirs(MAIN_FEATURES).filter((d) => !sharedNames.includes(d))).toEqual([]);
  });

  it('names every renderer feature folder after a feature, or lists it as a page of several', () => {
    expect(dirs(RENDERER_FEATURES).filter((d) => !featureNames.includes(d) && !(d in PAGE_ONLY))).toEqual([]);
    // The list only names folders that exist and are not features.
    expect(Object.keys(PAGE_ONLY).filter((d) => !existsSync(join(RENDERER_FEATURES, d)) || featureNames.includes(d))).toEqual([]);
  });

  it('leaves no pass-through ipc or flat services folder in main', () => {
    expect(existsSync(join(ROOT, 'src', 'main', 'ipc'))).toBe(false);
    expect(existsSync(join(ROOT, 'src', 'main', 'services'))).toBe(false);
  });

  it('keeps the kernel free of imports from the features, type-only ones included', () => {
    // `… from '…'` (on one line or closing a multi-line import), a bare `import '…'`, and `import('…')`.
    const IMPORT = /\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
    const offending: string[] = [];
    const files = tsFiles(KERNEL);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(dirname(file), spec)).split('\\').join('/');
        if (target.startsWith('src/main/features')) offending.push(`${relative(ROOT, file)} → ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
