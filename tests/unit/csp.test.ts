import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSP, META_CSP } from '../../src/main/shell/csp';

describe('content security policy', () => {
  it('the page’s meta tag says what the response header says, less what a meta tag cannot carry', () => {
    const html = readFileSync('src/renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(META_CSP);
    expect(CSP).toContain("frame-ancestors 'none'");
  });
});
