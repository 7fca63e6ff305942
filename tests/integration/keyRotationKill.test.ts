import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { fileKey, keyIndexOfFile, listStoredFiles, readEncryptedFileWhole, writeEncryptedFile } from '../../src/main/db/fileStore';
import { keyOpensDatabase } from '../../src/main/db/recoveryKey';
import { runChecks } from '../../src/main/features/backups/maintenance';
import { confirmPendingRecoveryKey, newRecoveryKey, readJournal, startRotation, waitForRotation } from '../../src/main/features/keys/rotation';
import { login } from '../../src/main/features/session/session';
import { appInfo } from '../../src/main/features/app/setup';
import { ADMIN_PASSWORD, newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';
import pkg from '../../package.json' with { type: 'json' };

let env: TestEnv | undefined;
afterEach(() => {
  env?.cleanup();
  env = undefined;
});

async function workerScript(): Promise<string> {
  const outDir = resolve('node_modules/.cache/lk-rotation-worker');
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      ssr: 'tests/helpers/rotationWorker.ts',
      outDir,
      emptyOutDir: true,
      target: 'node22',
      minify: false,
      rollupOptions: {
        external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)],
        output: { format: 'es', entryFileNames: 'rotationWorker.mjs' },
      },
    },
  });
  return join(outDir, 'rotationWorker.mjs');
}

/** Runs the rotation in a child process and kills it (SIGKILL) `afterMs` after it starts. Returns how it ended. */
function rotateAndKill(script: string, dir: string, afterMs: number): Promise<string> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, [script, dir, ADMIN_PASSWORD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => {
      out += String(d);
      if (out.includes('started') && !p.killed) setTimeout(() => p.kill('SIGKILL'), afterMs);
    });
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('exit', (code, signal) => (signal === 'SIGKILL' || code === 0 ? ok(out.trim().split('\n').at(-1) ?? '') : fail(new Error(`rotation exited ${code}: ${err}`))));
  });
}

describe('a rotation killed with SIGKILL', () => {
  it('leaves every document file whole under the old or the new key, and signing in again finishes it', { timeout: 300_000 }, async () => {
    const script = await workerScript();
    const seen: string[] = [];
    for (const afterMs of [0, 40, 120, 400]) {
      const e = (env = newEnv());
      await setUp(e);
      const store = localStoreOf(e.ctx);
      const oldKey = Buffer.from(store.dataKey);
      const plain = new Map<string, Buffer>();
      for (let i = 0; i < 40; i++) {
        const bytes = randomBytes(150_000 + i);
        plain.set(writeEncryptedFile(store.files.dir, store.files.key, bytes), bytes);
      }
      e.ctx.close();
      const ended = await rotateAndKill(script, e.dataDir, afterMs);
      // What the crash left, before anyone touches it.
      const snapshot = join(e.root, 'at-crash');
      cpSync(join(e.dataDir, 'files'), snapshot, { recursive: true });
      const ctx = e.restart();
      await login(ctx, { username: 'admin', password: ADMIN_PASSWORD });
      const j = readJournal(e.dataDir);
      seen.push(j ? j.phase : ended);
      if (j && j.phase !== 'confirm') {
        await startRotation(ctx, { resetLegacyUsers: false });
        expect((await waitForRotation(ctx))?.phase, `killed ${afterMs} ms in (${ended})`).toBe('done');
      }
      if (ctx.pendingRecovery === null && readJournal(e.dataDir)) await newRecoveryKey(ctx);
      if (readJournal(e.dataDir)) await confirmPendingRecoveryKey(ctx, () => appInfo(ctx));
      const newKey = Buffer.from(localStoreOf(ctx).dataKey);
      expect(newKey.equals(oldKey), `killed ${afterMs} ms in`).toBe(false);
      expect(keyOpensDatabase(join(e.dataDir, 'loankeeper.db'), oldKey)).toBe(false);
      // At the moment of the kill each file was whole under exactly one of the keys.
      const at = listStoredFiles(snapshot).map((ref) => keyIndexOfFile(snapshot, ref, [fileKey(newKey), fileKey(oldKey)]));
      expect(at.filter((k) => k < 0), `killed ${afterMs} ms in`).toEqual([]);
      seen.push(`${at.filter((k) => k === 0).length} new/${at.filter((k) => k === 1).length} old`);
      // Now every one is under the new key and gives back its bytes.
      for (const [ref, bytes] of plain) expect(readEncryptedFileWhole(localStoreOf(ctx).files.dir, localStoreOf(ctx).files.key, ref).equals(bytes)).toBe(true);
      expect(readdirSync(localStoreOf(ctx).files.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const checks = await runChecks(ctx);
      expect(checks.audit, `killed ${afterMs} ms in`).toMatchObject({ ok: true });
      expect(checks.integrity).toBe('ok');
      e.cleanup();
      env = undefined;
    }
    // The first kill (right after the start) lands while files are being re-encrypted.
    expect(seen[0]).toBe('files');
    console.log(`rotation kill trials (journal phase at restart, files under each key at the kill): ${seen.join('; ')}`);
  });
});
