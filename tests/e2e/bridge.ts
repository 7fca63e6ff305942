import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningBridge {
  url: string;
  root: string;
  dataDir: string;
  /** Stops the bridge (it closes the store) and removes its folders, unless `keep`. */
  stop(keep?: boolean): Promise<void>;
}

/**
 * Starts `out/cli/web.mjs` (what `npm run web` runs) and waits for its URL: on fresh folders, or on a copy of
 * the folders of a stopped bridge (`copyOf`, its root), as if that installation had been moved to another PC.
 */
export async function startBridge(opts: { copyOf?: string } = {}): Promise<RunningBridge> {
  const root = mkdtempSync(join(tmpdir(), 'lk-e2e-'));
  const dataDir = join(root, 'data');
  const configDir = join(root, 'config');
  if (opts.copyOf) {
    cpSync(opts.copyOf, root, { recursive: true });
    // The config names the data folder by its absolute path: point it at the copy.
    const configFile = join(configDir, 'config.json');
    if (existsSync(configFile)) writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), dataDir }, null, 2));
  } else {
    mkdirSync(configDir);
  }
  const child: ChildProcess = spawn(process.execPath, ['out/cli/web.mjs', '--data-dir', dataDir, '--config-dir', configDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`bridge did not start:\n${log}`)), 20_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    child.on('exit', (code) => fail(new Error(`bridge exited ${code}:\n${log}`)));
  });
  return {
    url,
    root,
    dataDir,
    stop: async (keep = false) => {
      await new Promise<void>((ok) => {
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      });
      if (!keep) rmSync(root, { recursive: true, force: true });
    },
  };
}
