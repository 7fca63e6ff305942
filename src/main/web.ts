import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBridge } from './bridge/server';
import { guards, handlers } from './features/index';
import { scheduleDailyBatch } from './jobs/dailyBatch';
import { createDispatcher } from './kernel/dispatch';
import { assertNode22, repoDir, resourcesDir } from './nodePaths';
import { AppContext } from './kernel/context';
import { storeExists } from './kernel/store';
import { usePdfWorker } from './pdf/offThread';

// `npm run web`: the test bridge. Serves out/renderer with the real handlers on 127.0.0.1 only.
assertNode22();
const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'config-dir': { type: 'string' },
    port: { type: 'string' },
  },
});
const dataDir = resolve(values['data-dir'] ?? process.env.LK_DATA_DIR ?? join(tmpdir(), 'loankeeper-web-data'));
const configDir = resolve(values['config-dir'] ?? process.env.LK_CONFIG_DIR ?? mkdtempSync(join(tmpdir(), 'loankeeper-web-config-')));
const ctx = new AppContext({ configDir, defaultDataDir: dataDir, resourcesDir: resourcesDir() });
if (!ctx.config.dataDir && storeExists(dataDir)) ctx.saveConfig({ dataDir });
// An export's cards and ledgers on the PDF worker, as in the app (its bundle sits next to this one).
usePdfWorker(join(dirname(fileURLToPath(import.meta.url)), 'pdfWorker.mjs'));
// The daily batch at a change of day (and at sign-in, through the session channels).
scheduleDailyBatch(ctx);

const bridge = await startBridge({
  rendererDir: join(repoDir(), 'out/renderer'),
  dispatch: createDispatcher(ctx, handlers, undefined, guards),
  port: Number(values.port ?? process.env.LK_PORT ?? 0),
});
console.log(`LoanKeeper test bridge (loopback only): ${bridge.url}`);
console.log(`data folder: ${dataDir}  config folder: ${configDir}`);

const stop = () => {
  ctx.close();
  void bridge.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
