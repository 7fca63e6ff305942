import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { ShellHost } from '../services/context';

/** The system open dialogs, modal to our window, for the picker buttons next to path fields. */
export function electronDialogs(parent: () => BrowserWindow | null): ShellHost {
  const open = async (options: OpenDialogOptions): Promise<string | null> => {
    const win = parent();
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
  };
  return {
    pickFolder: (o) => open({ title: o.title, defaultPath: o.defaultPath, properties: ['openDirectory', 'createDirectory'] }),
    pickFile: (o) => open({ title: o.title, defaultPath: o.defaultPath, filters: o.filters, properties: ['openFile'] }),
  };
}
