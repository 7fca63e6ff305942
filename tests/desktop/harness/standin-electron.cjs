'use strict';
// The stand-in `electron` module for the main process under plain Node (the desktop harness's child side).
// It implements the APIs our main bundle calls, as Electron documents them, and forwards what a renderer
// would do to the harness's parent over Node's IPC channel, where Chromium runs the real renderer.
// Anything else throws loudly and is reported to the parent, so a new API in main fails the tests
// instead of being silently ignored.
const { EventEmitter } = require('node:events');
const net = require('node:net');
const { existsSync, mkdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const send = (msg) => process.send(msg);
let seq = 0;
const pending = new Map();

/** A request to the parent (the Chromium side); resolves with its answer. */
function ask(type, payload) {
  const id = ++seq;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send({ kind: 'req', id, type, ...payload });
  });
}
const tell = (type, payload) => send({ kind: 'event', type, ...payload });

function unimplemented(path) {
  const message = `stand-in electron: ${path} is not implemented`;
  tell('unimplemented', { path, stack: new Error(message).stack });
  throw new Error(message);
}

/** Wraps an object so that reading a property it lacks fails loudly (symbols and promise probes excepted). */
function strict(name, target) {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === 'symbol' || prop in t) return Reflect.get(t, prop, receiver);
      if (prop === 'then' || prop === '__esModule' || prop === 'toJSON') return undefined;
      return unimplemented(`${name}.${prop}`);
    },
  });
}

const env = JSON.parse(process.env.LK_HARNESS || '{}');

// ---- protocol -------------------------------------------------------------------------------------
const schemes = new Map();
let schemesRegistered = false;
let ready = false;
const protocol = strict('protocol', {
  registerSchemesAsPrivileged(list) {
    if (ready) throw new Error('protocol.registerSchemesAsPrivileged must be called before the app is ready');
    schemesRegistered = true;
    tell('schemes', { list });
  },
  handle(scheme, handler) {
    if (!ready) throw new Error('protocol.handle must be called after the app is ready');
    schemes.set(scheme, handler);
    tell('protocol', { scheme, privileged: schemesRegistered });
  },
});

async function serveProtocol({ url, method, headers }) {
  const scheme = new URL(url).protocol.replace(':', '');
  const handler = schemes.get(scheme);
  if (!handler) return { status: 404, headers: {}, body: '' };
  const res = await handler(new Request(url, { method, headers }));
  const body = Buffer.from(await res.arrayBuffer()).toString('base64');
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body };
}

// ---- ipcMain --------------------------------------------------------------------------------------
const handlers = new Map();
const ipcMain = strict('ipcMain', {
  handle(channel, fn) {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, fn);
  },
});

async function invokeHandler({ channel, input, senderUrl, winId }) {
  const fn = handlers.get(channel);
  if (!fn) throw new Error(`No handler registered for '${channel}'`);
  const win = windows.get(winId);
  const event = { sender: win ? win.webContents : null, senderFrame: senderUrl == null ? null : { url: senderUrl }, processId: 1, frameId: 1 };
  // Electron serialises with the structured clone algorithm; our values are plain JSON.
  return JSON.parse(JSON.stringify((await fn(event, input)) ?? null));
}

// ---- windows --------------------------------------------------------------------------------------
const windows = new Map();
let nextWinId = 1;
let focused = null;

class WebContents extends EventEmitter {
  constructor(win) {
    super();
    this.id = win.id;
    this._win = win;
    this._openHandler = null;
    return strict('webContents', this);
  }
  setWindowOpenHandler(fn) {
    this._openHandler = fn;
  }
  getURL() {
    return this._win._url;
  }
  print(options, callback) {
    ask('print', { winId: this.id, options: options ?? {} }).then(
      (r) => callback?.(r.success, r.failureReason ?? ''),
      (e) => callback?.(false, String(e.message ?? e)),
    );
  }
  async printToPDF(options) {
    const r = await ask('printToPDF', { winId: this.id, options: options ?? {} });
    return Buffer.from(r.base64, 'base64');
  }
}

class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    super();
    this.id = nextWinId++;
    this._options = options;
    this._destroyed = false;
    this._visible = false;
    this._minimized = false;
    this._url = '';
    this._loadedOnce = false;
    windows.set(this.id, this);
    const self = strict('BrowserWindow', this);
    this.webContents = new WebContents(self);
    tell('window', { winId: this.id, options: serialisable(options) });
    return self;
  }
  static getAllWindows() {
    return [...windows.values()].filter((w) => !w._destroyed);
  }
  static getFocusedWindow() {
    return focused && !focused._destroyed ? focused : null;
  }
  async loadURL(url) {
    this._url = url;
    const r = await ask('loadURL', { winId: this.id, url });
    if (!r.ok) {
      const e = new Error(`ERR_FAILED (-2) loading '${url}': ${r.error}`);
      e.code = 'ERR_FAILED';
      throw e;
    }
    this.webContents.emit('did-finish-load');
    if (!this._loadedOnce) {
      this._loadedOnce = true;
      this.emit('ready-to-show');
    }
  }
  show() {
    this._visible = true;
    this._minimized = false;
    focused = this;
    tell('show', { winId: this.id });
  }
  focus() {
    focused = this;
    tell('focus', { winId: this.id });
  }
  isVisible() {
    return this._visible;
  }
  isMinimized() {
    return this._minimized;
  }
  minimize() {
    this._minimized = true;
    tell('minimize', { winId: this.id });
  }
  restore() {
    this._minimized = false;
    tell('restore', { winId: this.id });
  }
  isDestroyed() {
    return this._destroyed;
  }
  close() {
    this.destroy();
  }
  destroy() {
    if (this._destroyed) return;
    this._destroyed = true;
    windows.delete(this.id);
    tell('destroy', { winId: this.id });
    this.emit('closed');
    if (windows.size === 0) app.emit('window-all-closed');
  }
}

function serialisable(o) {
  return JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'function' ? '[function]' : v)));
}

// ---- session ----------------------------------------------------------------------------------------
const policy = { request: null, check: null };
const defaultSession = strict('session.defaultSession', {
  setPermissionRequestHandler(fn) {
    policy.request = fn;
  },
  setPermissionCheckHandler(fn) {
    policy.check = fn;
  },
});
const session = strict('session', { defaultSession });

// ---- Menu, dialog, shell ---------------------------------------------------------------------------
const Menu = strict('Menu', {
  buildFromTemplate(template) {
    return { template };
  },
  setApplicationMenu(menu) {
    tell('menu', { template: serialisable(menu ? menu.template : null) });
  },
});

const dialogCall = (api) =>
  async function (...args) {
    const options = args.length > 1 ? args[1] : args[0];
    const parent = args.length > 1 && args[0] ? args[0].id : null;
    return ask('dialog', { api, options: serialisable(options), parent });
  };
const dialog = strict('dialog', {
  showOpenDialog: dialogCall('showOpenDialog'),
  showSaveDialog: dialogCall('showSaveDialog'),
  showMessageBox: dialogCall('showMessageBox'),
  showErrorBox(title, content) {
    tell('errorBox', { title, content });
  },
});

const shell = strict('shell', {
  async openPath(path) {
    return (await ask('shell', { api: 'openPath', arg: path })).result ?? '';
  },
  async openExternal(url) {
    await ask('shell', { api: 'openExternal', arg: url });
  },
  showItemInFolder(path) {
    tell('shellEvent', { api: 'showItemInFolder', arg: path });
  },
});

// ---- app --------------------------------------------------------------------------------------------
class App extends EventEmitter {
  constructor() {
    super();
    this.isPackaged = !!env.isPackaged;
    this._readyPromise = null;
    this._quitting = false;
    this._lockServer = null;
    return strict('app', this);
  }
  getPath(name) {
    const paths = { userData: env.userData, temp: env.temp, appData: env.appData, home: env.home, documents: env.documents, downloads: env.downloads, desktop: env.desktop };
    if (!paths[name]) return unimplemented(`app.getPath('${name}')`);
    return paths[name];
  }
  getAppPath() {
    return env.appPath;
  }
  getVersion() {
    return env.version;
  }
  getName() {
    return env.name;
  }
  getLocale() {
    return env.locale ?? 'zh-CN';
  }
  isReady() {
    return ready;
  }
  whenReady() {
    if (!this._readyPromise) {
      this._readyPromise = new Promise((resolve) => setImmediate(() => {
        ready = true;
        this.emit('ready');
        resolve();
      }));
    }
    return this._readyPromise;
  }
  /**
   * Like Electron's: a socket in userData. The first process listens; a later one connects, hands over its
   * argv (the first emits 'second-instance') and is told it lost.
   */
  requestSingleInstanceLock() {
    mkdirSync(env.userData, { recursive: true });
    const sock = join(env.userData, 'SingletonSocket');
    const lost = lockHeldBy(sock);
    if (lost) return false;
    if (existsSync(sock)) rmSync(sock, { force: true });
    this._lockServer = net.createServer((c) => {
      let data = '';
      c.on('data', (d) => (data += d));
      c.on('end', () => {
        c.end();
        this.emit('second-instance', { preventDefault() {} }, JSON.parse(data || '[]'), env.userData);
      });
    });
    this._lockServer.listen(sock);
    this._lockServer.unref();
    return true;
  }
  quit() {
    if (this._quitting) return;
    this._quitting = true;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) {
      this._quitting = false;
      return;
    }
    // A copy: destroy() deletes from the map being walked.
    // oxlint-disable-next-line no-useless-spread
    for (const w of [...windows.values()]) w.destroy();
    this.emit('will-quit', { preventDefault() {} });
    this.emit('quit');
    this._lockServer?.close();
    tell('quit', {});
    setImmediate(() => process.exit(0));
  }
  exit(code = 0) {
    tell('quit', { code });
    process.exit(code);
  }
}

/** Connects to the lock socket synchronously enough for main's top level: a child process does the probe. */
function lockHeldBy(sock) {
  if (!existsSync(sock)) return false;
  const probe = require('node:child_process').spawnSync(process.execPath, ['-e', `
    const c = require('node:net').connect(${JSON.stringify(sock)});
    c.on('connect', () => { c.end(${JSON.stringify(JSON.stringify(process.argv))}); process.exitCode = 3; });
    c.on('error', () => { process.exitCode = 0; });
  `]);
  return probe.status === 3;
}

const app = new App();

// ---- messages from the parent -----------------------------------------------------------------------
process.on('message', async (msg) => {
  if (msg.kind === 'res') {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error));
    else p.resolve(msg.value);
    return;
  }
  if (msg.kind !== 'req') return;
  const reply = (value, error) => send({ kind: 'res', id: msg.id, value, error });
  try {
    if (msg.type === 'protocol') return reply(await serveProtocol(msg));
    if (msg.type === 'invoke') return reply(await invokeHandler(msg));
    if (msg.type === 'will-navigate') {
      const win = windows.get(msg.winId);
      let prevented = false;
      win?.webContents.emit('will-navigate', { preventDefault: () => (prevented = true), url: msg.url }, msg.url);
      return reply({ prevented });
    }
    if (msg.type === 'window-open') {
      const win = windows.get(msg.winId);
      const handler = win?.webContents._openHandler;
      const r = handler ? handler({ url: msg.url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' } }) : { action: 'allow' };
      return reply({ action: r.action });
    }
    if (msg.type === 'permission') {
      const fn = msg.check ? policy.check : policy.request;
      if (!fn) return reply({ granted: null });
      if (msg.check) return reply({ granted: fn(null, msg.permission, msg.origin, {}) });
      return fn(null, msg.permission, (granted) => reply({ granted }), {});
    }
    if (msg.type === 'close') {
      windows.get(msg.winId)?.destroy();
      return reply({});
    }
    if (msg.type === 'quit') {
      reply({});
      return app.quit();
    }
    reply(null, `unknown request ${msg.type}`);
  } catch (e) {
    reply(null, e instanceof Error ? `${e.message}\n${e.stack}` : String(e));
  }
});

// ---- safeStorage ----------------------------------------------------------------------------------
// Like Electron's on Windows (DPAPI): a sealed Buffer that is never the plain text, opened only by this
// OS user (a key of theirs, the same in every run, so a restarted app opens what it sealed); a Buffer it did
// not seal is refused, as decryptString throws.
const { createHash, randomBytes, createCipheriv, createDecipheriv } = require('node:crypto');
const vaultKey = createHash('sha256').update(`stand-in DPAPI key of ${require('node:os').userInfo().username}`).digest();
const safeStorage = strict('safeStorage', {
  isEncryptionAvailable: () => true,
  encryptString(text) {
    if (typeof text !== 'string') throw new TypeError('encryptString expects a string');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', vaultKey, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
  },
  decryptString(sealed) {
    if (!Buffer.isBuffer(sealed) || sealed.length < 31 || sealed.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const decipher = createDecipheriv('aes-256-gcm', vaultKey, sealed.subarray(3, 15));
    decipher.setAuthTag(sealed.subarray(15, 31));
    return Buffer.concat([decipher.update(sealed.subarray(31)), decipher.final()]).toString('utf8');
  },
});

module.exports = strict('electron', {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  session,
  Menu,
  dialog,
  shell,
  safeStorage,
});
