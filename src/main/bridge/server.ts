import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { Dispatch } from '../kernel/dispatch';
import { CSP } from '../shell/csp';

/**
 * Development and test tool: serves the built renderer and forwards `invoke` to the real handlers.
 * Listens on 127.0.0.1 only, with a random token per run. Never packaged with the app.
 */
export interface Bridge {
  url: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const MAX_BODY = 64 * 1024 * 1024;

// Stands in for the preload: the same `window.api.invoke` shape, over loopback HTTP.
const BRIDGE_JS = `window.api = { invoke: async (channel, input) => {
  const r = await fetch('/__invoke', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel, input }), credentials: 'same-origin' });
  if (!r.ok) throw new Error('bridge ' + r.status);
  return r.json();
} };`;

export async function startBridge(opts: { rendererDir: string; dispatch: Dispatch; port?: number }): Promise<Bridge> {
  const token = randomBytes(24).toString('hex');
  const root = resolve(opts.rendererDir);
  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain', 'error'));
  });

  const authorised = (req: IncomingMessage) => {
    const cookie = /(?:^|;\s*)lk_token=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
    return cookie.length === token.length && timingSafeEqual(Buffer.from(cookie), Buffer.from(token));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/__invoke') {
      if (req.method !== 'POST' || !authorised(req) || !sameOrigin(req)) return send(res, 403, 'text/plain', 'forbidden');
      const body = await readBody(req);
      let msg: { channel?: unknown; input?: unknown };
      try {
        msg = JSON.parse(body) as typeof msg;
      } catch {
        return send(res, 400, 'text/plain', 'bad json');
      }
      const result = await opts.dispatch(String(msg.channel), msg.input);
      return send(res, 200, 'application/json', JSON.stringify(result));
    }
    if (url.pathname === '/__bridge.js') {
      if (!authorised(req)) return send(res, 403, 'text/plain', 'forbidden');
      return send(res, 200, TYPES['.js'], BRIDGE_JS);
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const given = url.searchParams.get('token');
      const ok = given ? given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token)) : authorised(req);
      if (!ok) return send(res, 403, 'text/plain', 'forbidden');
      const html = readFileSync(join(root, 'index.html'), 'utf8').replace('<head>', '<head>\n    <script src="/__bridge.js"></script>');
      res.setHeader('Set-Cookie', `lk_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
      return send(res, 200, TYPES['.html'], html);
    }
    const file = resolve(root, '.' + decodeURIComponent(url.pathname));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return send(res, 404, 'text/plain', 'not found');
    return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    server,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return !origin || origin === `http://${req.headers.host}`;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.destroy();
        fail(new Error('body too large'));
      } else chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
