import { app, BrowserWindow, shell } from 'electron';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { safeName } from '../archive/names';
import type { PrintSpool } from './protocol';
import { WEB_PREFERENCES } from './window';

export type PrintAnswer = { outcome: 'printed' | 'cancelled' | 'failed'; message: string | null };

/**
 * Prints a PDF from a hidden window that holds only that PDF. The built-in PDF viewer is enabled for this
 * window alone (`plugins`); it has no preload and cannot navigate or open windows. `webContents.print()`
 * opens the system dialog, where the user picks printer, copies and duplex; its answer comes back.
 */
export async function printPdf(spool: PrintSpool, pdf: Uint8Array, failedMessage: string): Promise<PrintAnswer> {
  const { token, url } = spool.hold(pdf);
  const win = new BrowserWindow({ show: false, width: 800, height: 1100, webPreferences: { ...WEB_PREFERENCES, plugins: true } });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  try {
    await win.loadURL(url);
    return await new Promise<PrintAnswer>((resolve) => {
      win.webContents.print({ silent: false, printBackground: true }, (success, reason) => {
        if (success) resolve({ outcome: 'printed', message: null });
        else if (/cancel/i.test(reason)) resolve({ outcome: 'cancelled', message: null });
        else resolve({ outcome: 'failed', message: reason ? `${failedMessage}（${reason}）` : failedMessage });
      });
    });
  } catch (e) {
    return { outcome: 'failed', message: `${failedMessage}（${e instanceof Error ? e.message : String(e)}）` };
  } finally {
    spool.release(token);
    if (!win.isDestroyed()) win.destroy();
  }
}

/** The temporary folder for PDFs handed to the system's reader; emptied when the app quits. */
export function printTempDir(): string {
  return join(app.getPath('temp'), 'LoanKeeper-print');
}

/** The fallback: the PDF saved under a temporary name and opened in the system's PDF reader. */
export async function openPdfInReader(pdf: Uint8Array, title: string, openFailed: (reason: string) => Error): Promise<string> {
  const dir = printTempDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${safeName(title)}-${Date.now()}.pdf`);
  writeFileAtomic(path, Buffer.from(pdf));
  const error = await shell.openPath(path);
  if (error) throw openFailed(error);
  return path;
}

export function clearPrintTemp(): void {
  rmSync(printTempDir(), { recursive: true, force: true });
}
