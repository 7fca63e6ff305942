import { BrowserWindow, ipcMain, Menu, session, type WebFrameMain } from 'electron';
import { CHANNELS } from '../../shared/ipc/channels';
import type { Dispatch } from '../kernel/dispatch';
import { zhMenu } from './menu';
import { RENDERER_URL } from './protocol';

export interface ShellOptions {
  /** The page we load: our app:// page, or the dev server's URL during development. */
  rendererUrl: string;
  preloadPath: string;
  dispatch: Dispatch;
  badSenderMessage: string;
  /** DevTools only for a developer's unpackaged run. */
  devTools: boolean;
  /** Where blocked navigations and windows are reported (main's log). */
  warn: (message: string) => void;
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

/** The dev server only for an unpackaged run that was given one; the installed app always loads its own page. */
export function rendererUrl(devServer: string | undefined, isPackaged: boolean): string {
  return !isPackaged && devServer ? devServer : RENDERER_URL;
}

export function createMainWindow(opts: ShellOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: '贷后管家',
    backgroundColor: '#f8f9fa',
    webPreferences: { ...WEB_PREFERENCES, preload: opts.preloadPath, devTools: opts.devTools },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    opts.warn(`[shell] blocked a new window to ${url}`);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (isTrustedUrl(url, opts.rendererUrl)) return;
    event.preventDefault();
    opts.warn(`[shell] blocked navigation to ${url}`);
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void win.loadURL(opts.rendererUrl);
  return win;
}

/** No permission is granted or reported as granted: camera, geolocation, notifications, clipboard reads… */
export function installSessionPolicy(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** One `ipcMain.handle` per contract channel; calls from any frame but our page are refused. */
export function registerIpc(opts: Pick<ShellOptions, 'rendererUrl' | 'dispatch' | 'badSenderMessage'>): void {
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
