import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppError } from '../../src/shared/ipc/errors';
import { guards, handlers } from '../../src/main/features/index';
import { createDispatcher } from '../../src/main/kernel/dispatch';
import { AppContext, type Clock } from '../../src/main/kernel/context';
import type { LocalStore } from '../../src/main/kernel/store';
import { confirmRecoveryKey, createInstitution } from '../../src/main/features/app/setup';

export const ADMIN_PASSWORD = 'Admin-pass-2026';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(public t = Date.parse('2026-11-23T01:00:00Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestEnv {
  root: string;
  dataDir: string;
  configDir: string;
  clock: FakeClock;
  ctx: AppContext;
  /** A second app start on the same folders: same config, fresh memory. */
  restart(): AppContext;
  cleanup(): void;
}

export function newEnv(clock = new FakeClock()): TestEnv {
  const root = mkdtempSync(join(tmpdir(), 'lk-it-'));
  const dataDir = join(root, 'data');
  const configDir = join(root, 'config');
  const make = () => new AppContext({ configDir, defaultDataDir: dataDir, resourcesDir: resolve('resources') }, clock);
  const env: TestEnv = {
    root,
    dataDir,
    configDir,
    clock,
    ctx: make(),
    restart() {
      env.ctx.close();
      env.ctx = make();
      return env.ctx;
    },
    cleanup() {
      env.ctx.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return env;
}

/** Runs the first-run setup as the wizard would and returns the recovery key. */
export async function setUp(env: TestEnv, institution = '测试小额贷款有限公司'): Promise<string> {
  const { recoveryKey } = await createInstitution(env.ctx, {
    institution,
    branch: '营业部',
    dataDir: env.dataDir,
    adminUsername: 'admin',
    adminName: '王管理',
    password: ADMIN_PASSWORD,
    locale: 'zh-CN',
  });
  await confirmRecoveryKey(env.ctx);
  return recoveryKey;
}

export function dispatcherFor(ctx: AppContext) {
  return createDispatcher(ctx, handlers, { error: () => {} }, guards);
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The error a call fails with; the test fails if it succeeds. */
export function fail(p: Promise<unknown>): Promise<AppError> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as AppError,
  );
}

/** The open single-PC store of a context, for tests that reach into its file, folder or driver. */
export function localStoreOf(ctx: AppContext): LocalStore {
  const store = ctx.store;
  if (!store || store.kind !== 'local') throw new Error('no single-PC store is open');
  return store;
}
