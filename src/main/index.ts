import { app, dialog } from 'electron';
import { join } from 'node:path';
import { translate } from '../shared/i18n';
import { handlers } from './ipc/handlers';
import { createDispatcher } from './ipc/register';
import { AppContext } from './services/context';
import { electronDialogs } from './shell/dialogs';
import { createMainWindow, installMenu, installSessionPolicy, registerIpc, rendererUrl } from './shell/window';

// Electron main: wires the shell to the services. Everything with rules lives in services/.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: ReturnType<typeof createMainWindow> | null = null;
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    const userData = app.getPath('userData');
    const ctx = new AppContext(
      {
        configDir: userData,
        defaultDataDir: join(userData, 'data'),
        resourcesDir: app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources'),
      },
      undefined,
      app.getVersion(),
    );
    app.on('before-quit', () => ctx.close());
    const opts = {
      rendererUrl: rendererUrl(process.env.ELECTRON_RENDERER_URL, __dirname),
      preloadPath: join(__dirname, '../preload/index.js'),
      dispatch: createDispatcher(ctx, handlers),
      badSenderMessage: translate(ctx.config.locale, 'errors.badSender'),
    };
    installSessionPolicy();
    registerIpc(opts);
    installMenu(() => {
      void dialog.showMessageBox({ type: 'info', title: '关于贷后管家', message: `贷后管家 LoanKeeper ${app.getVersion()}` });
    });
    win = createMainWindow(opts);
    ctx.shell = electronDialogs(() => win);
  });
}
