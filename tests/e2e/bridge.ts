import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningBridge {
  url: string;
  root: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts `out/cli/web.mjs` (what `npm run web` runs) on fresh folders and waits for its URL. */
export async function startBridge(): Promise<RunningBridge> {
  const root = mkdtempSync(join(tmpdir(), 'lk-e2e-'));
  const dataDir = join(root, 'data');
  const configDir = join(root, 'config');
  mkdirSync(configDir);
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
    stop: async () => {
      await new Promise<void>((ok) => {
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
