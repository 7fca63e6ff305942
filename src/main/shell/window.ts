import { BrowserWindow, ipcMain, Menu, session, type WebFrameMain } from 'electron';
import { join } from 'node:path';
import { CHANNELS } from '../../shared/ipc/channels';
import type { Dispatch } from '../ipc/register';
import { CSP } from './csp';
import { zhMenu } from './menu';

export interface ShellOptions {
  /** The page we load: the dev server URL or the built index.html. */
  rendererUrl: string;
  preloadPath: string;
  dispatch: Dispatch;
  badSenderMessage: string;
}

export function isTrustedUrl(url: string, rendererUrl: string): boolean {
  try {
    const u = new URL(url);
    const r = new URL(rendererUrl);
    return u.protocol === r.protocol && u.host === r.host && u.pathname === r.pathname;
  } catch {
    return false;
  }
}

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

export function createMainWindow(opts: ShellOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: '贷后管家',
    backgroundColor: '#f8f9fa',
    webPreferences: { ...WEB_PREFERENCES, preload: opts.preloadPath },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, opts.rendererUrl)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void win.loadURL(opts.rendererUrl);
  return win;
}

/** Adds the CSP header to every response and refuses permission requests (camera, geolocation…). */
export function installSessionPolicy(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

/** One `ipcMain.handle` per contract channel; calls from any frame but our page are refused. */
export function registerIpc(opts: ShellOptions): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      const frame = event.senderFrame as WebFrameMain | null;
      if (!frame || !isTrustedUrl(frame.url, opts.rendererUrl)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: opts.badSenderMessage } };
      }
      return opts.dispatch(channel, input);
    });
  }
}

export function installMenu(onAbout: () => void): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(zhMenu(onAbout)));
}

export function rendererUrl(devServer: string | undefined, outDir: string): string {
  return devServer ?? `file://${join(outDir, '../renderer/index.html').replace(/\\/g, '/')}`;
}
