import type { Browser, BrowserContext, Page, Route, Request as PwRequest } from '@playwright/test';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { preloadScript } from './preload';

/**
 * The desktop harness's parent side: it plays the part of Electron's renderer processes. The child is a
 * real main process (the BUILT out/main/index.js under Node, with the stand-in `electron`); every window it
 * opens becomes a page in Debian's Chromium, loading the real renderer at its real URL, with the built
 * preload evaluated as a sandboxed preload is, and `ipcRenderer.invoke` wired to main's `ipcMain.handle`.
 *
 * Chromium cannot load our `app://` scheme, so the harness serves each app host on loopback as
 * `http://<host>.localhost:<port>/` through main's own protocol handler (its headers, CSP included), and
 * translates URLs back to `app://<host>/` wherever main sees them (sender frames, navigations).
 */

const ROOT = resolve(__dirname, '../../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface PrintCall {
  winId: number;
  options: Record<string, unknown>;
  /** The PDF the window was showing when main asked to print it. */
  pdf: Buffer | null;
  plugins: boolean;
  /** The URL the print window loaded. */
  url: string;
}
export type PrintAnswer = { success: boolean; failureReason?: string };
type DialogAnswer = Record<string, unknown>;

interface HarnessWindow {
  id: number;
  options: { show?: boolean; webPreferences?: Record<string, unknown> };
  page: Page | null;
  url: string;
  pdf: Buffer | null;
  visible: boolean;
  focused: number;
  /** The URL main itself asked for: its navigation is not a will-navigate. */
  expectNav: string | null;
}

export interface LaunchOptions {
  browser: Browser;
  userData: string;
  /** The home folder for app.getPath (temp, documents…). */
  home: string;
  isPackaged?: boolean;
  extraEnv?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** Runs on each new window's page before it loads (e.g. to install a fake clock). */
  onPage?: (page: Page) => Promise<void>;
}

export class DesktopApp {
  readonly windows = new Map<number, HarnessWindow>();
  readonly prints: PrintCall[] = [];
  readonly dialogs: { api: string; options: Record<string, unknown> }[] = [];
  readonly shellCalls: { api: string; arg: string }[] = [];
  readonly navigations: { url: string; prevented: boolean }[] = [];
  readonly windowOpens: { url: string; action: string }[] = [];
  readonly unimplemented: string[] = [];
  readonly crashes: string[] = [];
  readonly consoleErrors: string[] = [];
  readonly preloadErrors: string[] = [];
  readonly events: string[] = [];
  menu: unknown = null;
  private closing = false;
  log = '';
  exitCode: number | null = null;
  /** How main's print dialog answers; a test sets it before printing. */
  onPrint: (call: PrintCall) => PrintAnswer = () => ({ success: true });
  readonly dialogAnswers: { api: string; answer: DialogAnswer }[] = [];
  private seq = 0;
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<number | null>;
  private windowWaiters: (() => void)[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly context: BrowserContext,
    private readonly server: Server,
    readonly port: number,
    private readonly onPage?: (page: Page) => Promise<void>,
  ) {
    this.exited = new Promise((res) =>
      child.once('exit', (code) => {
        this.exitCode = code;
        // Nothing answers any more: a page's pending request or IPC call fails instead of hanging.
        for (const p of this.pending.values()) p.reject(new Error('main has exited'));
        this.pending.clear();
        res(code);
      }),
    );
  }

  static async launch(o: LaunchOptions): Promise<DesktopApp> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const env = {
      userData: o.userData,
      home: o.home,
      appData: join(o.home, 'AppData'),
      temp: join(o.home, 'Temp'),
      documents: join(o.home, 'Documents'),
      downloads: join(o.home, 'Downloads'),
      desktop: join(o.home, 'Desktop'),
      appPath: ROOT,
      resourcesPath: ROOT,
      version: VERSION,
      name: 'LoanKeeper 贷后管家',
      isPackaged: !!o.isPackaged,
      mainBundle: join(ROOT, 'out/main/index.js'),
    };
    const child = fork(join(__dirname, 'main-host.cjs'), [], {
      cwd: ROOT,
      env: { ...process.env, ELECTRON_RENDERER_URL: '', ...o.extraEnv, LK_HARNESS: JSON.stringify(env) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const context = await o.browser.newContext({ viewport: o.viewport ?? { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const app = new DesktopApp(child, context, server, port, o.onPage);
    child.stdout!.on('data', (d) => (app.log += d));
    child.stderr!.on('data', (d) => (app.log += d));
    child.on('message', (m) => void app.onMessage(m as Msg));
    // EPIPE on a channel whose process has just exited; each send reports its own failure.
    child.on('error', () => {});
    server.on('request', (req, res) => void app.serve(req, res));
    await app.wireContext();
    return app;
  }

  // ---- URLs -------------------------------------------------------------------------------------------
  toHttp(url: string): string {
    const u = new URL(url);
    if (u.protocol !== 'app:') return url;
    return `http://${u.host}.localhost:${this.port}${u.pathname}${u.search}${u.hash}`;
  }
  toApp(url: string): string {
    try {
      const u = new URL(url);
      const m = /^([a-z0-9-]+)\.localhost$/.exec(u.hostname);
      if (u.protocol !== 'http:' || !m || Number(u.port) !== this.port) return url;
      return `app://${m[1]}${u.pathname}${u.search}${u.hash}`;
    } catch {
      return url;
    }
  }

  // ---- the child's requests ---------------------------------------------------------------------------
  private async onMessage(m: Msg): Promise<void> {
    if (m.kind === 'res') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.value);
      return;
    }
    if (m.kind === 'event') return this.onEvent(m);
    // A main process that is exiting may be gone by the time the answer is ready.
    const reply = (value: unknown, error?: string) => this.child.connected && this.child.send({ kind: 'res', id: m.id, value, error }, () => {});
    try {
      reply(await this.onRequest(m));
    } catch (e) {
      reply(null, e instanceof Error ? e.message : String(e));
    }
  }

  private onEvent(m: Msg): void {
    this.events.push(m.type);
    const w = m.winId != null ? this.windows.get(m.winId) : undefined;
    switch (m.type) {
      case 'window': {
        this.windows.set(m.winId, { id: m.winId, options: m.options, page: null, url: '', pdf: null, visible: false, focused: 0, expectNav: null });
        break;
      }
      case 'show':
        if (w) w.visible = true;
        break;
      case 'focus':
        if (w) {
          w.focused++;
          void w.page?.bringToFront();
        }
        break;
      case 'destroy':
        if (w) {
          void w.page?.close().catch(() => {});
          this.windows.delete(m.winId);
        }
        break;
      case 'menu':
        this.menu = m.template;
        break;
      case 'unimplemented':
        this.unimplemented.push(`${m.path}\n${m.stack}`);
        break;
      case 'crash':
        this.crashes.push(m.message);
        break;
      case 'shellEvent':
        this.shellCalls.push({ api: m.api, arg: m.arg });
        break;
    }
  }

  private async onRequest(m: Msg): Promise<unknown> {
    switch (m.type) {
      case 'loadURL':
        return this.load(m.winId, m.url);
      case 'print': {
        const w = this.windows.get(m.winId);
        const call: PrintCall = { winId: m.winId, options: m.options, pdf: w?.pdf ?? null, plugins: w?.options.webPreferences?.plugins === true, url: w?.url ?? '' };
        this.prints.push(call);
        return this.onPrint(call);
      }
      case 'printToPDF': {
        const page = this.windows.get(m.winId)?.page;
        if (!page) throw new Error('printToPDF: the window shows no page');
        return { base64: (await page.pdf()).toString('base64') };
      }
      case 'dialog': {
        this.dialogs.push({ api: m.api, options: m.options });
        const i = this.dialogAnswers.findIndex((a) => a.api === m.api);
        if (i >= 0) return this.dialogAnswers.splice(i, 1)[0].answer;
        if (m.api === 'showMessageBox') return { response: 0, checkboxChecked: false };
        return { canceled: true, filePaths: [], filePath: undefined };
      }
      case 'shell':
        this.shellCalls.push({ api: m.api, arg: m.arg });
        return { result: '' };
    }
    throw new Error(`the harness does not know the request ${m.type}`);
  }

  /** `win.loadURL`: a page in Chromium for HTML; a PDF is held as the built-in viewer would show it. */
  private async load(winId: number, url: string): Promise<{ ok: boolean; error?: string }> {
    const w = this.windows.get(winId);
    if (!w) return { ok: false, error: 'no such window' };
    w.url = url;
    if (url.startsWith('app:')) {
      const head = await this.ask<ProtocolResponse>('protocol', { url, method: 'GET', headers: {} });
      if (head.status !== 200) return { ok: false, error: `status ${head.status}` };
      if ((head.headers['content-type'] ?? '').startsWith('application/pdf')) {
        // Headless Chromium has no PDF viewer; Electron shows the PDF only where `plugins` is on.
        w.pdf = Buffer.from(head.body, 'base64');
        return { ok: true };
      }
    }
    if (!w.page) w.page = await this.newPage(w);
    w.expectNav = this.toHttp(url);
    try {
      await w.page.goto(this.toHttp(url), { waitUntil: 'load' });
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async newPage(w: HarnessWindow): Promise<Page> {
    const page = await this.context.newPage();
    const prefs = w.options.webPreferences ?? {};
    page.on('console', (msg) => {
      // Once the app is closing, requests still in flight fail: that is the window going away, not a fault.
      if (this.closing) return;
      if (msg.type() === 'error') this.consoleErrors.push(`[window ${w.id}] ${msg.text()}`);
      if (msg.text().startsWith('[preload] ')) this.preloadErrors.push(msg.text());
    });
    page.on('pageerror', (e) => !this.closing && this.consoleErrors.push(`[window ${w.id}] ${e.message}`));
    if (typeof prefs.preload === 'string') {
      if (prefs.sandbox !== true || prefs.contextIsolation !== true) throw new Error('the harness evaluates preloads only for sandboxed, context-isolated windows, as our app must use');
      await page.addInitScript({ content: preloadScript(readFileSync(prefs.preload, 'utf8')) });
    }
    await this.onPage?.(page);
    this.windowWaiters.splice(0).forEach((f) => f());
    return page;
  }

  private async wireContext(): Promise<void> {
    await this.context.exposeBinding('__lkHarnessIpc', async ({ page, frame }, channel: string, input: unknown) => {
      const w = this.windowOf(page);
      return this.ask('invoke', { channel, input, senderUrl: this.toApp(frame.url()), winId: w?.id ?? null });
    });
    await this.context.route('**/*', (route, request) => this.route(route, request));
    // A blocked new window leaves an empty popup behind in Chromium; Electron never shows one.
    this.context.on('page', (p) => {
      void p.opener().then((op) => {
        if (op && !this.windowOf(p)) void p.close().catch(() => {});
      });
    });
  }

  private openerOf(request: PwRequest): HarnessWindow | undefined {
    const withPage = [...this.windows.values()].filter((x) => x.page);
    const referer = request.headers()['referer'];
    if (referer) return withPage.find((x) => new URL(x.page!.url()).origin === new URL(referer).origin);
    return withPage.length === 1 ? withPage[0] : undefined;
  }

  private windowOf(page: Page | null): HarnessWindow | undefined {
    return [...this.windows.values()].find((w) => w.page === page);
  }

  /** Navigations of a window's main frame that main did not ask for go to `will-navigate`; popups to the window-open handler. */
  private async route(route: Route, request: PwRequest): Promise<void> {
    if (!request.isNavigationRequest()) return route.continue();
    const url = this.toApp(request.url());
    let frame: ReturnType<PwRequest['frame']> | null = null;
    try {
      frame = request.frame();
    } catch {
      frame = null; // a new window's first navigation: its frame does not exist yet
    }
    const page = frame?.page() ?? null;
    if (frame && page && frame !== page.mainFrame()) return route.continue();
    const w = page ? this.windowOf(page) : undefined;
    if (!w) {
      // A new window (window.open, target=_blank). Playwright shows its page only once it has navigated,
      // so its opener is found from the request: the window whose origin sent it.
      const opener = this.openerOf(request);
      if (!opener) this.crashes.push(`harness: a new window to ${url} whose opener is unknown`);
      const r = opener ? await this.ask<{ action: string }>('window-open', { winId: opener.id, url }) : { action: 'deny' };
      this.windowOpens.push({ url, action: r.action });
      if (r.action !== 'allow') return route.abort('blockedbyclient');
      return route.continue();
    }
    if (w.expectNav === request.url()) {
      w.expectNav = null;
      return route.continue();
    }
    const r = await this.ask<{ prevented: boolean }>('will-navigate', { winId: w.id, url });
    this.navigations.push({ url, prevented: r.prevented });
    return r.prevented ? route.abort('aborted') : route.continue();
  }

  /** Loopback stand-in for `app://`: each request goes to main's registered protocol handler. */
  private async serve(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').replace(/\.localhost(:\d+)?$/, '');
    try {
      const r = await this.ask<ProtocolResponse>('protocol', { url: `app://${host}${req.url}`, method: req.method, headers: {} });
      res.writeHead(r.status, r.headers);
      res.end(Buffer.from(r.body, 'base64'));
    } catch (e) {
      res.writeHead(500);
      res.end(String(e));
    }
  }

  ask<T = unknown>(type: string, payload: Record<string, unknown>): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((res, rej) => {
      if (!this.child.connected) return rej(new Error(`main has exited (${type})`));
      this.pending.set(id, { resolve: res, reject: rej });
      this.child.send({ kind: 'req', id, type, ...payload }, (err) => {
        if (!err) return;
        this.pending.delete(id);
        rej(new Error(`main has exited (${type})`));
      });
    });
  }

  // ---- for tests --------------------------------------------------------------------------------------
  /** The first window's page once it has one (main's window). */
  async mainPage(timeoutMs = 30_000): Promise<Page> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const w = [...this.windows.values()].find((x) => x.page);
      if (w?.page) return w.page;
      if (this.exitCode !== null) throw new Error(`main exited with ${this.exitCode}\n${this.log}\n${this.crashes.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`no window within ${timeoutMs} ms\n${this.log}\n${this.crashes.join('\n')}`);
      await new Promise<void>((r) => {
        this.windowWaiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  mainWindow(): HarnessWindow | undefined {
    return [...this.windows.values()][0];
  }

  /** Asks main's permission handlers as Chromium would. */
  permission(permission: string, check: boolean): Promise<{ granted: boolean | null }> {
    return this.ask('permission', { permission, check, origin: `app://bundle` });
  }

  /** Everything that must never happen in a healthy run. */
  problems(): string[] {
    return [...this.unimplemented.map((u) => `unimplemented: ${u}`), ...this.crashes.map((c) => `crash: ${c}`), ...this.preloadErrors, ...this.consoleErrors];
  }

  waitForExit(timeoutMs = 15_000): Promise<number | null> {
    return Promise.race([this.exited, new Promise<number | null>((_, rej) => setTimeout(() => rej(new Error('main did not exit')), timeoutMs))]);
  }

  /** Closes the app as a user would (the window's close box → window-all-closed → quit). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.exitCode === null && this.child.connected) {
      const w = this.mainWindow();
      await (w ? this.ask('close', { winId: w.id }) : this.ask('quit', {})).catch(() => {});
      await this.waitForExit().catch(() => this.child.kill('SIGKILL'));
    }
    await this.context.close().catch(() => {});
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

type Msg = { kind: 'req' | 'res' | 'event'; id: number; type: string; error?: string; value?: unknown; [k: string]: any };
type ProtocolResponse = { status: number; headers: Record<string, string>; body: string };
