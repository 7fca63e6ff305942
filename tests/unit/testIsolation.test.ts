import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_MODULES } from '../../vitest.config.mjs';

// Most test files share one module graph per worker (vitest.config.mts). A file that mocks a module must run
// in a graph of its own, or its mock would reach the files after it in that worker, or not apply at all.
const DIRS = ['tests/unit', 'tests/integration', 'tests/shell'];

function testFiles(): string[] {
  return DIRS.flatMap((dir) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts')).map((f) => `${dir}/${f}`));
}

describe('test isolation', () => {
  it('every file that mocks a module runs in its own module graph', () => {
    const mocking = testFiles().filter((f) => /\bvi\.(do)?[mM]ock\(/.test(readFileSync(f, 'utf8')));
    expect(mocking.length).toBeGreaterThan(0);
    expect(mocking.filter((f) => !OWN_MODULES.includes(f))).toEqual([]);
  });

  it('every file listed as needing its own graph exists', () => {
    expect(OWN_MODULES.filter((f) => !existsSync(join(process.cwd(), f)))).toEqual([]);
  });
});
