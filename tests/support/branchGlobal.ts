import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/main/db/pg/connect';
import { migratePostgres } from '../../src/main/db/pg/migrate';
import { startPgServer, type PgServer } from './pgServer';

/**
 * The integration suite's second pass (`vitest.branch.config.mts`): one throwaway PostgreSQL cluster for the whole
 * run, named to every test file. Each test environment sets its branch up on a database of its own
 * (tests/helpers/context.ts), copied from one that the migrations brought up to date here, so that each does not
 * run them again: its wizard still runs them, and finds nothing to do, as on a server that was prepared.
 */
export const BRANCH_TEMPLATE = 'branch_template';

/**
 * Vitest runs a global setup once for the root and once for each project of the config (vitest.config.mts splits
 * the files in two): they share one server, started by the first and stopped by the last teardown.
 */
const shared = globalThis as { __lkBranchServer?: { server: Promise<PgServer>; users: number } };

export async function setup(project: TestProject): Promise<void> {
  shared.__lkBranchServer ??= { server: startBranchServer(), users: 0 };
  shared.__lkBranchServer.users++;
  project.provide('branchServerUrl', (await shared.__lkBranchServer.server).url);
}

export async function teardown(): Promise<void> {
  const held = shared.__lkBranchServer;
  if (!held || --held.users > 0) return;
  shared.__lkBranchServer = undefined;
  (await held.server).stop();
}

async function startBranchServer(): Promise<PgServer> {
  const server = await startPgServer();
  const url = new URL(server.url);
  const admin = new pg.Client({ host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${BRANCH_TEMPLATE}`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${BRANCH_TEMPLATE}`;
  const db = openPostgres({ url: url.toString(), locale: 'zh-CN' });
  try {
    await migratePostgres(db);
  } finally {
    await db.destroy();
  }
  return server;
}

declare module 'vitest' {
  export interface ProvidedContext {
    branchServerUrl: string;
  }
}
