import { contextBridge, ipcRenderer } from 'electron';

// A sandboxed preload may require only `electron` (and a few built-ins), so the contract's channel names are
// written in at build time as a plain array (electron.vite.config.ts); zod and the contract never reach here.
declare const __LK_CHANNELS__: readonly string[];
const allowed = new Set<string>(__LK_CHANNELS__);

// Exposes exactly one function; anything not in the contract never reaches ipcRenderer.
contextBridge.exposeInMainWorld('api', {
  invoke(channel: string, input: unknown): Promise<unknown> {
    if (!allowed.has(channel)) return Promise.reject(new Error(`unknown channel ${channel}`));
    return ipcRenderer.invoke(channel, input);
  },
});
