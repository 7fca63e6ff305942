/**
 * The built preload, evaluated as Electron evaluates a sandboxed preload: wrapped in a function whose
 * `require` knows only `electron`'s renderer modules and the few built-ins a sandboxed preload may load
 * (`events`, `timers`, `url`); any other module throws, as it would in the real window, and the error is
 * reported. `contextBridge.exposeInMainWorld` copies the API onto the page (values cross as clones) and
 * `ipcRenderer.invoke` reaches main's `ipcMain.handle` through the harness.
 *
 * What differs from Electron: the preload runs in the page's world rather than an isolated one, so the
 * harness hides its own binding from the page before any page script runs.
 */
export function preloadScript(source: string): string {
  return `(() => {
  const harnessIpc = window.__lkHarnessIpc;
  try { delete window.__lkHarnessIpc; } catch {}
  const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  const ipcRenderer = {
    invoke: async (channel, ...args) => clone(await harnessIpc(String(channel), clone(args[0]))),
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      const wrap = (v) =>
        typeof v === 'function'
          ? (...a) => { const r = v(...a.map(clone)); return r && typeof r.then === 'function' ? r.then(clone) : clone(r); }
          : v && typeof v === 'object'
            ? Object.freeze(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x)])))
            : v;
      Object.defineProperty(window, key, { value: wrap(api), enumerable: true, configurable: false, writable: false });
    },
  };
  const allowed = {
    electron: Object.freeze({ contextBridge, ipcRenderer }),
    events: { EventEmitter: class EventEmitter {} },
    timers: { setTimeout, clearTimeout, setInterval, clearInterval },
    url: { URL, URLSearchParams },
  };
  const require = (name) => {
    if (Object.prototype.hasOwnProperty.call(allowed, name)) return allowed[name];
    throw new Error("module not found: " + name + " (a sandboxed preload may require only electron, events, timers and url)");
  };
  const module = { exports: {} };
  try {
    (function (exports, require, module, __filename, __dirname) {
${source}
    })(module.exports, require, module, 'preload.js', '.');
  } catch (e) {
    console.error('[preload] ' + (e && e.message ? e.message : String(e)));
  }
})();`;
}
