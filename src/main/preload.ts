import { contextBridge, ipcRenderer } from 'electron';
import { CHANNELS } from '../shared/ipc/channels';

// Exposes exactly one function; anything not in the contract never reaches ipcRenderer.
const allowed = new Set<string>(CHANNELS);

contextBridge.exposeInMainWorld('api', {
  invoke(channel: string, input: unknown): Promise<unknown> {
    if (!allowed.has(channel)) return Promise.reject(new Error(`unknown channel ${channel}`));
    return ipcRenderer.invoke(channel, input);
  },
});
