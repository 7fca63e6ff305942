import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zhCN } from '../../src/shared/i18n/zh-CN';

// A key is used when its full name appears quoted in the source, or when it lies under a prefix the source builds
// keys from (`t(\`warnings.status.${s}\`)`). Keys are literal where they can be, so that this check can see them.

function keysOf(node: unknown, prefix = ''): string[] {
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keysOf(v, `${prefix}${k}.`)));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/[\\/]i18n[\\/](zh-CN|en)\.ts$/.test(path) ? [path] : [];
  });
}

describe('the catalogue', () => {
  it('has no key that nothing uses', () => {
    const src = sources('src')
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const prefixes = [...new Set([...src.matchAll(/[`'"]([a-zA-Z][\w-]*(?:\.[\w-]+)*)\.(?:\$\{|['"]\s*\+)/g)].map((m) => `${m[1]}.`))];
    const quoted = (k: string) => src.includes(`'${k}'`) || src.includes(`"${k}"`) || src.includes(`\`${k}\``);
    const unused = keysOf(zhCN).filter((k) => !quoted(k) && !prefixes.some((p) => k.startsWith(p)));
    expect(unused).toEqual([]);
  });
});
