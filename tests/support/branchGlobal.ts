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
let server: PgServer | null = null;

export const BRANCH_TEMPLATE = 'branch_template';

export async function setup(project: TestProject): Promise<void> {
  server = await startPgServer();
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
  project.provide('branchServerUrl', server.url);
}

export function teardown(): void {
  server?.stop();
  server = null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    branchServerUrl: string;
  }
}
