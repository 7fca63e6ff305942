import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_init';
import * as m0002 from './0002_portfolio';

/** Static map: bundlers cannot see a folder scan, and the order must never depend on the file system. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_portfolio': m0002,
};
