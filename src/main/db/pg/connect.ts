import { Kysely } from 'kysely';
import pg from 'pg';
import type { Locale } from '../../../shared/ipc/app';
import { AppError, type ErrorCode } from '../../../shared/ipc/errors';
import { translate, type MessageKey } from '../../../shared/i18n';
import type { Database } from '../schema';
import { BranchDialect, type CommitHooks } from './writer';
import { isLoopback } from '../../../shared/serverAddress';

export { isLoopback };

/**
 * The branch server's connection: Kysely's PostgresDialect (with db/dialectSql.ts's compiler) over a node-postgres pool. Two rules live here and
 * nowhere else:
 *  - what comes back: node-postgres hands int8 (ids, money in fen, count(*)) and numeric (sum() of int8) back as
 *    strings; here they become numbers, and a value that is not a whole number within ±(2^53−1) stops the query
 *    with a clear error instead of turning into a rounded float. JSON stays text and a date stays its
 *    `YYYY-MM-DD` text, as SQLite gives them.
 *  - where it may go: a server on this PC (loopback, or a Unix socket) may be reached without TLS; any other host
 *    only over TLS with the server's certificate and name checked (`sslmode=verify-full` in the address, or a CA
 *    certificate given).
 */

/** An error of the branch server's connection, worded from the catalogues; crosses IPC as `{code, message}`. */
export class PostgresError extends AppError {
  constructor(
    code: ErrorCode,
    readonly key: MessageKey,
    readonly params: Record<string, string | number>,
    locale: Locale,
  ) {
    super(code, translate(locale, key, params));
    this.name = 'PostgresError';
  }
}

export interface PostgresTarget {
  /** `postgresql://user:password@host:port/database?sslmode=…` (`host=/dir` in the query for a Unix socket). */
  url: string;
  /** The CA certificate (PEM) that signed the server's certificate; implies a fully checked TLS connection. */
  ca?: string | Buffer;
  /** The language of the errors raised here. */
  locale?: Locale;
  /** Connections in the pool (a desktop PC needs few). */
  max?: number;
  /** Told of an idle connection's error (the server restarted, the network dropped); the pool replaces it. */
  onIdleError?: (e: Error) => void;
}

const PARAMS = new Set(['sslmode', 'host', 'application_name']);
const SSLMODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/** The pool's settings for a target: the address read strictly, the loopback rule applied. Throws PostgresError. */
export function poolConfig(target: PostgresTarget): pg.PoolConfig {
  const locale = target.locale ?? 'zh-CN';
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new PostgresError('VALIDATION', 'errors.pgBadUrl', {}, locale);
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') throw new PostgresError('VALIDATION', 'errors.pgBadUrl', {}, locale);
  for (const name of url.searchParams.keys()) {
    if (!PARAMS.has(name)) throw new PostgresError('VALIDATION', 'errors.pgUrlParam', { param: name }, locale);
  }
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !SSLMODES.has(sslmode)) throw new PostgresError('VALIDATION', 'errors.pgUrlParam', { param: `sslmode=${sslmode}` }, locale);
  const socketDir = url.searchParams.get('host');
  if (socketDir !== null && !socketDir.startsWith('/')) throw new PostgresError('VALIDATION', 'errors.pgUrlParam', { param: `host=${socketDir}` }, locale);
  // Named in full, so that PGHOST and the like in the environment never pick another server.
  const host = socketDir ?? (url.hostname === '' ? 'localhost' : url.hostname.replace(/^\[(.*)\]$/, '$1'));
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) throw new PostgresError('VALIDATION', 'errors.pgBadUrl', {}, locale);
  const port = url.port === '' ? 5432 : Number(url.port);

  let ssl: pg.PoolConfig['ssl'];
  const verified = { rejectUnauthorized: true, ...(target.ca !== undefined ? { ca: target.ca } : {}) };
  if (isLoopback(host)) {
    if (sslmode === 'verify-full' || sslmode === 'verify-ca' || target.ca !== undefined) ssl = verified;
    else if (sslmode === 'require') ssl = { rejectUnauthorized: false };
    else ssl = false;
  } else {
    const checked = sslmode === 'verify-full' || (target.ca !== undefined && (sslmode === null || sslmode === 'require' || sslmode === 'verify-ca'));
    if (!checked) throw new PostgresError('VALIDATION', 'errors.pgNeedsTls', { host }, locale);
    // Node checks the certificate's chain and that it names `host` (verify-full), whatever the mode said.
    ssl = verified;
  }
  return {
    host,
    port,
    database,
    user: decodeURIComponent(url.username) || undefined,
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    application_name: url.searchParams.get('application_name') ?? 'LoanKeeper',
    // The batch's chunk query costs enough for PostgreSQL to compile it (JIT), some 25 ms each time, more than it
    // saves on 1,000 loans; our queries are short, so compiling never pays here. Nor do parallel workers: a list
    // page of 100,000 loans took 122 ms with two (two processes started, a merge of sorted halves) and 18 ms
    // without, and with twenty PCs the cores are taken anyway. Off for our sessions only.
    options: '-c jit=off -c max_parallel_workers_per_gather=0',
    ssl,
    max: target.max ?? 4,
    types: typeParsers(locale),
  };
}

const INT8 = 20;
const NUMERIC = 1700;
const INT8_ARRAY = 1016;
const NUMERIC_ARRAY = 1231;
const TEXT_ARRAY = 1009;
const JSON_OID = 114;
const JSONB = 3802;
const JSON_ARRAY = 199;
const JSONB_ARRAY = 3807;
const DATE = 1082;

/**
 * A whole number within JavaScript's safe integers, from int8 or numeric text. numeric's `12.000` is 12; a real
 * fraction, or a value beyond ±(2^53−1), throws: money and counts are never read approximately.
 */
export function safeInteger(text: string, type: 'int8' | 'numeric', locale: Locale = 'zh-CN'): number {
  const m = /^(-?\d+)(?:\.0*)?$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n)) throw new PostgresError('INTERNAL', 'errors.pgNotSafeInteger', { value: text, type }, locale);
  return n === 0 ? 0 : n; // never -0
}

type Nested<T> = T | null | Nested<T>[];

/** The one place where the types of PostgreSQL's results are decided (see the comment at the top). */
export function typeParsers(locale: Locale): { getTypeParser: (oid: number, format?: string) => (value: string) => unknown } {
  // pg-types' own parsers, by any OID (its TypeId enum lists only some).
  const builtin = pg.types.getTypeParser as unknown as (oid: number, format: string) => (value: string) => unknown;
  const textArray = builtin(TEXT_ARRAY, 'text') as (value: string) => Nested<string>;
  const mapNested = <T>(v: Nested<string>, f: (s: string) => T): Nested<T> => (v === null ? null : Array.isArray(v) ? v.map((x) => mapNested(x, f)) : f(v));
  const own: Record<number, (value: string) => unknown> = {
    [INT8]: (v) => safeInteger(v, 'int8', locale),
    [NUMERIC]: (v) => safeInteger(v, 'numeric', locale),
    [INT8_ARRAY]: (v) => mapNested(textArray(v), (s) => safeInteger(s, 'int8', locale)),
    [NUMERIC_ARRAY]: (v) => mapNested(textArray(v), (s) => safeInteger(s, 'numeric', locale)),
    [JSON_OID]: (v) => v,
    [JSONB]: (v) => v,
    [JSON_ARRAY]: (v) => textArray(v),
    [JSONB_ARRAY]: (v) => textArray(v),
    [DATE]: (v) => v,
  };
  return {
    getTypeParser: (oid, format = 'text') => (format === 'text' && own[oid]) || builtin(oid, format),
  };
}

/** A Kysely over a new pool for the target. `db.destroy()` closes the pool. Throws PostgresError on a refused address. */
export function openPostgres(target: PostgresTarget, hooks?: CommitHooks): Kysely<Database> {
  const pool = new pg.Pool(poolConfig(target));
  // Without a listener, an idle connection's error (the server restarting) would end the process.
  pool.on('error', (e) => target.onIdleError?.(e));
  // pg-pool listens only while a connection is idle. One lost while checked out, between the statements of a
  // transaction, would end the process too: here its next statement fails instead, and the pool drops it.
  pool.on('connect', (c) => c.on('error', (e) => target.onIdleError?.(e)));
  // Which server sessions are this pool's own (a key rotation asks the server who else is connected).
  const pidOf = (c: pg.PoolClient) => (c as unknown as { processID?: number }).processID;
  if (hooks?.sessionOpened) pool.on('connect', (c) => void (pidOf(c) && hooks.sessionOpened!(pidOf(c)!)));
  if (hooks?.sessionClosed) pool.on('remove', (c) => void (pidOf(c) && hooks.sessionClosed!(pidOf(c)!)));
  // The writer lock (writer.ts), and the neutral functions of db/dialect.ts in PostgreSQL's SQL.
  return new Kysely<Database>({ dialect: new BranchDialect({ pool }, hooks) });
}
