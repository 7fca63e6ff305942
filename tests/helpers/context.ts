import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppError } from '../../src/shared/ipc/errors';
import { guards, handlers } from '../../src/main/features/index';
import { createDispatcher } from '../../src/main/kernel/dispatch';
import { AppContext, type Clock } from '../../src/main/kernel/context';
import type { LocalStore } from '../../src/main/kernel/store';
import { confirmRecoveryKey, createInstitution, createOnServer } from '../../src/main/features/app/setup';
import pg from 'pg';
import { inject, it } from 'vitest';
import { BRANCH_TEMPLATE } from '../support/branchGlobal';

export const ADMIN_PASSWORD = 'Admin-pass-2026';

/**
 * The suite's second pass (`npm run test:branch`, vitest.branch.config.mts) sets every test environment up as a
 * branch on a PostgreSQL server, a database of its own each, instead of a data folder: the same tests, the same
 * services, the other store. Tests of what only one store has are not in that pass's list of files.
 */
export const ON_BRANCH_SERVER = process.env.LK_TEST_STORE === 'branch';

/**
 * A test of what only the single-PC store has (its document files and their reader thread, rows from before the
 * file store): reported as skipped on the branch pass, whose own files test the server's counterparts.
 */
export const itOnOnePc = ON_BRANCH_SERVER ? it.skip : it;

/** The branch server's address without its password, and the password, for this pass (tests/support/branchGlobal.ts). */
function branchServer(): { url: URL; password: string } {
  const url = new URL(inject('branchServerUrl'));
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url, password };
}

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
  /** On the branch pass, the test's branch database, its password in the address, for the command line. */
  database?: string;
  /** A second app start on the same folders: same config, fresh memory. */
  restart(): AppContext;
  cleanup(): void;
}

export function newEnv(clock = new FakeClock()): TestEnv {
  const root = mkdtempSync(join(tmpdir(), 'lk-it-'));
  const dataDir = join(root, 'data');
  const configDir = join(root, 'config');
  const make = () => {
    const ctx = new AppContext({ configDir, defaultDataDir: dataDir, resourcesDir: resolve('resources') }, clock);
    // As the app after its wizard on a PC whose OS keeps no secrets: the database's password for this run.
    if (ON_BRANCH_SERVER) ctx.serverPassword = branchServer().password;
    return ctx;
  };
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
  if (ON_BRANCH_SERVER) return setUpOnServer(env, institution);
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

/** The wizard's "connect to the branch server" path, on a new empty database of the pass's server. */
async function setUpOnServer(env: TestEnv, institution: string): Promise<string> {
  const { url, password } = branchServer();
  const database = `branch_${randomBytes(6).toString('hex')}`;
  // Copying the template's files is a third of the time of the default, which writes every page to the WAL.
  const admin = new pg.Client({ host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), password, database: url.pathname.slice(1) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database} TEMPLATE ${BRANCH_TEMPLATE} STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${database}`;
  const { recoveryKey } = await createOnServer(env.ctx, {
    url: url.toString(),
    dbPassword: password,
    ca: null,
    locale: 'zh-CN',
    institution,
    branch: '营业部',
    adminUsername: 'admin',
    adminName: '王管理',
    password: ADMIN_PASSWORD,
  });
  await confirmRecoveryKey(env.ctx);
  url.password = encodeURIComponent(password);
  env.database = url.toString();
  return recoveryKey;
}

/** The command line's flags for the test's store: its data folder, or its branch database on the branch pass. */
export function storeFlags(env: TestEnv): { 'data-dir': string } | { database: string } {
  return env.database ? { database: env.database } : { 'data-dir': env.dataDir };
}

export function dispatcherFor(ctx: AppContext) {
  return createDispatcher(ctx, handlers, { error: () => {} }, guards);
}

/** Calls a channel through the dispatcher and returns its value; a refusal is thrown as an Error with its code. */
export function channelCaller(ctx: AppContext) {
  const d = dispatcherFor(ctx);
  return async <T,>(channel: string, input: unknown): Promise<T> => {
    const r = (await d(channel as never, input as never)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value;
  };
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
