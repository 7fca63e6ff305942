import { protocol } from 'electron';
import { randomUUID } from 'node:crypto';
import { extname, join, relative, resolve, sep } from 'node:path';
import { readFile } from 'node:fs/promises';
import { CSP } from './csp';

/**
 * The renderer is served from our own scheme, not file:// (Electron's security checklist): one origin,
 * `app://bundle`, with the CSP as a real response header. `app://print/<token>.pdf` serves a PDF held in
 * memory for the print window, so nothing to be printed is written to disk.
 */
export const APP_SCHEME = 'app';
export const RENDERER_URL = `${APP_SCHEME}://bundle/index.html`;
const PRINT_HOST = 'print';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
};

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** PDFs waiting in memory for the print window; each token is used once. */
export class PrintSpool {
  private readonly held = new Map<string, Uint8Array>();
  hold(pdf: Uint8Array): { token: string; url: string } {
    const token = randomUUID();
    this.held.set(token, pdf);
    return { token, url: `${APP_SCHEME}://${PRINT_HOST}/${token}.pdf` };
  }
  get(token: string): Uint8Array | undefined {
    return this.held.get(token);
  }
  release(token: string): void {
    this.held.delete(token);
  }
}

/** The file under `rendererDir` that a request names, or null when it would leave that folder. */
export function rendererFile(rendererDir: string, url: URL): string | null {
  const root = resolve(rendererDir);
  const path = resolve(join(root, decodeURIComponent(url.pathname)));
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || rel.includes(`..${sep}`)) return null;
  return path;
}

export function installAppProtocol(rendererDir: string, spool: PrintSpool): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host === PRINT_HOST) {
      const pdf = spool.get(url.pathname.replace(/^\/|\.pdf$/g, ''));
      if (!pdf) return new Response('not found', { status: 404 });
      return new Response(new Uint8Array(pdf), { headers: { 'Content-Type': 'application/pdf' } });
    }
    const file = url.host === 'bundle' ? rendererFile(rendererDir, url) : null;
    if (!file) return new Response('not found', { status: 404 });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return new Response('not found', { status: 404 });
    }
    const headers = { 'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
    return new Response(new Uint8Array(body), { status: 200, headers });
  });
}
