import { beforeEach, describe, expect, it, vi } from 'vitest';

// A fake `electron`: records what the shell asks of it, so its security settings can be asserted.
const fake = vi.hoisted(() => {
  const state = {
    windows: [] as any[],
    handlers: new Map<string, (event: unknown, input: unknown) => unknown>(),
    headersHook: null as null | ((d: any, cb: (r: any) => void) => void),
    permissionHook: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    menu: null as any,
  };
  class BrowserWindow {
    options: any;
    events = new Map<string, (...a: any[]) => void>();
    wcEvents = new Map<string, (...a: any[]) => void>();
    openHandler: ((d: unknown) => unknown) | null = null;
    loaded: string | null = null;
    shown = false;
    webContents = {
      setWindowOpenHandler: (h: (d: unknown) => unknown) => (this.openHandler = h),
      on: (ev: string, fn: (...a: any[]) => void) => this.wcEvents.set(ev, fn),
    };
    constructor(options: any) {
      this.options = options;
      state.windows.push(this);
    }
    once(ev: string, fn: () => void) {
      this.events.set(ev, fn);
    }
    show() {
      this.shown = true;
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
  }
  return {
    state,
    module: {
      BrowserWindow,
      ipcMain: { handle: (ch: string, fn: any) => state.handlers.set(ch, fn) },
      session: {
        defaultSession: {
          webRequest: { onHeadersReceived: (fn: any) => (state.headersHook = fn) },
          setPermissionRequestHandler: (fn: any) => (state.permissionHook = fn),
        },
      },
      Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (state.menu = m) },
    },
  };
});
vi.mock('electron', () => fake.module);

import { CHANNELS } from '../../src/shared/ipc/channels';
import { CSP } from '../../src/main/shell/csp';
import { createMainWindow, installMenu, installSessionPolicy, registerIpc } from '../../src/main/shell/window';

const rendererUrl = 'file:///opt/LoanKeeper/resources/app.asar/out/renderer/index.html';
const dispatch = vi.fn(async (channel: string, input: unknown) => ({ ok: true as const, value: { channel, input } }));
const opts = { rendererUrl, preloadPath: '/opt/LoanKeeper/out/preload/index.js', dispatch, badSenderMessage: '请求来源不可信，已拒绝。', devTools: false, warn: () => {} };

beforeEach(() => {
  fake.state.windows.length = 0;
  fake.state.handlers.clear();
  dispatch.mockClear();
});

describe('Electron shell', () => {
  it('creates a sandboxed, isolated window that shows only when ready', () => {
    const win = createMainWindow(opts) as any;
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: opts.preloadPath,
    });
    expect(win.loaded).toBe(rendererUrl);
    expect(win.shown).toBe(false);
    win.events.get('ready-to-show')();
    expect(win.shown).toBe(true);
  });

  it('denies window.open and navigation away from our page', () => {
    const win = createMainWindow(opts) as any;
    expect(win.openHandler({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/LoanKeeper/resources/app.asar/out/renderer/other.html']) {
      const event = { preventDefault: vi.fn() };
      win.wcEvents.get('will-navigate')(event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    const ok = { preventDefault: vi.fn() };
    win.wcEvents.get('will-navigate')(ok, `${rendererUrl}#/users`);
    expect(ok.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    win.wcEvents.get('will-attach-webview')(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('sets a strict CSP header with no remote origins and refuses permission requests', () => {
    installSessionPolicy();
    let headers: any;
    fake.state.headersHook!({ responseHeaders: { 'X-Other': ['1'] } }, (r: any) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([CSP]);
    expect(headers['X-Other']).toEqual(['1']);
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("object-src 'none'");
    expect(CSP).not.toMatch(/https?:|\*|unsafe-eval/);
    const cb = vi.fn();
    fake.state.permissionHook!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
  });

  it('registers exactly the contract channels and refuses frames that are not our page', async () => {
    registerIpc(opts);
    expect([...fake.state.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    const h = fake.state.handlers.get('users.list')!;
    expect(await h({ senderFrame: { url: rendererUrl } }, {})).toMatchObject({ ok: true });
    expect(dispatch).toHaveBeenCalledWith('users.list', {});
    dispatch.mockClear();
    for (const frame of [{ url: 'https://evil.example/' }, null]) {
      expect(await h({ senderFrame: frame }, {})).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: opts.badSenderMessage } });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('installs a Chinese menu', () => {
    installMenu(() => {});
    const labels = (fake.state.menu as any[]).map((m) => m.label);
    expect(labels).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '帮助(&H)']);
  });
});
