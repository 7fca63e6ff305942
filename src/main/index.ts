import { app, dialog } from 'electron';
import { join } from 'node:path';
import { translate } from '../shared/i18n';
import { guards, handlers } from './features/index';
import { dailyBatchSettled, scheduleDailyBatch, useBatchWorker } from './jobs/dailyBatch';
import { usePdfWorker } from './pdf/offThread';
import { createDispatcher } from './kernel/dispatch';
import { backupOnQuit } from './features/backups/backups';
import { monthEndsSettled } from './features/managementReports/snapshots';
import { AppContext } from './kernel/context';
import { PRELOAD_BUNDLE, PRELOAD_DIR, RENDERER_DIR } from './shell/bundle';
import { electronShell } from './shell/dialogs';
import { clearPrintTemp } from './shell/printing';
import { installAppProtocol, PrintSpool, registerAppScheme } from './shell/protocol';
import { createMainWindow, installMenu, installSessionPolicy, registerIpc, rendererUrl } from './shell/window';

// Electron main: wires the shell to the features. Everything with rules lives in features/ (and domain/).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: ReturnType<typeof createMainWindow> | null = null;
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  registerAppScheme();

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
    // The daily batch runs on a worker thread (its bundle sits next to this one).
    useBatchWorker(join(__dirname, 'batchWorker.js'));
    // Cards and ledgers for an archive export are rendered on a worker thread too.
    usePdfWorker(join(__dirname, 'pdfWorker.js'));
    // The daily batch at a change of day (and at sign-in, through the session channels).
    const stopBatchSchedule = scheduleDailyBatch(ctx);
    // Before the store closes: the batch and month-end snapshots under way finish, then a last automatic backup
    // (if anything changed).
    let backedUp = false;
    app.on('before-quit', (event) => {
      if (!backedUp) {
        event.preventDefault();
        backedUp = true;
        stopBatchSchedule();
        void dailyBatchSettled(ctx)
          .then(() => monthEndsSettled(ctx))
          .then(() => backupOnQuit(ctx))
          .finally(() => app.quit());
        return;
      }
      ctx.close();
      clearPrintTemp();
    });
    const spool = new PrintSpool();
    installAppProtocol(join(__dirname, RENDERER_DIR), spool);
    const opts = {
      rendererUrl: rendererUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged),
      preloadPath: join(__dirname, PRELOAD_DIR, PRELOAD_BUNDLE),
      dispatch: createDispatcher(ctx, handlers, undefined, guards),
      badSenderMessage: translate(ctx.config.locale, 'errors.badSender'),
      devTools: !app.isPackaged,
      warn: (m: string) => console.warn(m),
    };
    installSessionPolicy();
    registerIpc(opts);
    installMenu(() => {
      void dialog.showMessageBox({ type: 'info', title: '关于贷后管家', message: `贷后管家 LoanKeeper ${app.getVersion()}` });
    });
    win = createMainWindow(opts);
    ctx.shell = electronShell(() => win, spool, () => ({
      printFailed: ctx.t('errors.printFailed'),
      openFailed: (reason) => new Error(ctx.t('errors.openPdfFailed', { reason })),
    }));
  });
}
