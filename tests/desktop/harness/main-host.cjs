'use strict';
// The desktop harness's child: a main process. `require('electron')` answers with the stand-in, then the
// BUILT main bundle (out/main/index.js) runs exactly as the installed app would run it.
const Module = require('node:module');
const { resolve } = require('node:path');

const standin = require('./standin-electron.cjs');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'electron') return standin;
  return load.call(this, request, parent, isMain);
};

const env = JSON.parse(process.env.LK_HARNESS || '{}');
if (env.isPackaged) process.resourcesPath = env.resourcesPath;
process.on('uncaughtException', (e) => {
  process.send({ kind: 'event', type: 'crash', message: String(e && e.stack ? e.stack : e) });
  process.exit(70);
});
process.on('unhandledRejection', (e) => {
  process.send({ kind: 'event', type: 'crash', message: `unhandled rejection: ${String(e && e.stack ? e.stack : e)}` });
});
require(resolve(env.mainBundle));
