import { dialog, safeStorage, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { ShellHost } from '../kernel/context';
import { openPdfInReader, printPdf } from './printing';
import type { PrintSpool } from './protocol';

export interface ShellTexts {
  printFailed: string;
  openFailed: (reason: string) => Error;
}

/** The system dialogs, modal to our window, and printing through a hidden window: what only Electron can do. */
export function electronShell(parent: () => BrowserWindow | null, spool: PrintSpool, texts: () => ShellTexts): ShellHost {
  const open = async (options: OpenDialogOptions): Promise<string | null> => {
    const win = parent();
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
  };
  return {
    pickFolder: (o) => open({ title: o.title, defaultPath: o.defaultPath, properties: ['openDirectory', 'createDirectory'] }),
    pickFile: (o) => open({ title: o.title, defaultPath: o.defaultPath, filters: o.filters, properties: ['openFile'] }),
    printPdf: (o) => printPdf(spool, o.pdf, texts().printFailed),
    openPdf: (o) => openPdfInReader(o.pdf, o.title, texts().openFailed),
    // DPAPI on Windows: only this Windows user on this PC can open it again.
    protectSecret: (text) => (safeStorage.isEncryptionAvailable() ? safeStorage.encryptString(text).toString('base64') : null),
    revealSecret: (sealed) => {
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        return null;
      }
    },
  };
}
