import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for a test file or a bench run (never the app): `initdb` into a temp folder, a server on 127.0.0.1 at a free
 * port (its Unix socket in that folder too, so nothing else on the machine is touched), fsync off, one database,
 * and `stop()` that shuts it down and removes everything. Starting one costs a few seconds: start it once per file,
 * in beforeAll.
 *
 * PostgreSQL's binaries come from Debian's `postgresql` package (/usr/lib/postgresql/<version>/bin), which
 * scripts/setup-and-test.sh installs; LK_PG_BINDIR names another folder. Missing binaries fail the test (a test
 * that silently skipped would pass on a machine where the branch server was never tried) and stop the bench's
 * branch-server part with the same message. tests/support/pgServer.ts re-exports this for the tests.
 */

export interface PgServer {
  /** postgresql://… of the test database, over TCP on 127.0.0.1 with a password. */
  url: string;
  /** The server's major version. */
  version: number;
  /** The server's CPU time so far, in seconds: the postmaster and every backend, living or ended (Linux /proc). */
  cpuSeconds(): number;
  stop(): void;
}

/** user + system CPU of a process and of its children that have ended, in seconds (fields 14–17 of /proc/<pid>/stat). */
function procCpu(pid: number, withEnded: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]) + (withEnded ? Number(f[13]) + Number(f[14]) : 0);
    return ticks / 100;
  } catch {
    return 0;
  }
}

/** The postmaster's CPU and its backends' (its children's), living and ended. */
function clusterCpu(data: string): number {
  let pid: number;
  try {
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return 0;
  }
  let total = procCpu(pid, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) total += procCpu(Number(entry), false);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const MIN_VERSION = 15;
const USER = 'lk';
const DATABASE = 'loankeeper';

/**
 * initdb and pg_ctl: those of LK_PG_BINDIR when set (and only those), else of the newest PostgreSQL under `root`;
 * or a failure that says how to install it.
 */
export function findBinDir(root = '/usr/lib/postgresql', fromEnv = process.env.LK_PG_BINDIR): { dir: string; version: number } {
  const install = "Run `bash scripts/setup-and-test.sh`, which installs Debian's postgresql package.";
  const hasTools = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  if (fromEnv) {
    if (!hasTools(fromEnv)) throw new Error(`LK_PG_BINDIR=${fromEnv} holds no initdb and pg_ctl. ${install}`);
    const out = spawnSync(join(fromEnv, 'pg_ctl'), ['--version'], { encoding: 'utf8' }).stdout ?? '';
    const version = Number(/(\d+)(?:\.\d+)?/.exec(out)?.[1] ?? 0);
    if (version < MIN_VERSION) throw new Error(`LK_PG_BINDIR=${fromEnv} holds PostgreSQL ${version}; ${MIN_VERSION} or newer is needed. ${install}`);
    return { dir: fromEnv, version };
  }
  const found = (existsSync(root) ? readdirSync(root) : [])
    .filter((v) => /^\d+$/.test(v) && Number(v) >= MIN_VERSION)
    .map((v) => ({ dir: join(root, v, 'bin'), version: Number(v) }))
    .sort((a, b) => b.version - a.version)
    .find((c) => hasTools(c.dir));
  if (!found) throw new Error(`PostgreSQL ${MIN_VERSION} or newer is needed for the branch server's tests and benches and was not found (no initdb and pg_ctl under ${root}/<version>/bin). ${install}`);
  return found;
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to `postgres` (or `nobody`) and runs as it. */
function runAs(): { user: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ['postgres', 'nobody']) {
    const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
    if (uid.status === 0 && gid.status === 0) return { user, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('running as root, and neither the user postgres nor nobody exists to run PostgreSQL as');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPgServer(): Promise<PgServer> {
  const { dir: bin, version } = findBinDir();
  const owner = runAs();
  const root = mkdtempSync(join(tmpdir(), 'lk-pg-'));
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  const password = randomBytes(18).toString('base64url');
  writeFileSync(join(root, 'pwfile'), password);
  if (owner) {
    chownSync(root, owner.uid, owner.gid);
    chownSync(join(root, 'pwfile'), owner.uid, owner.gid);
  }
  const run = (tool: string, args: string[]): SpawnSyncReturns<string> => {
    const cmd = join(bin, tool);
    const r = owner ? spawnSync('runuser', ['-u', owner.user, '--', cmd, ...args], { encoding: 'utf8', cwd: root }) : spawnSync(cmd, args, { encoding: 'utf8', cwd: root });
    if (r.status !== 0) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${tool} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}${r.error ? ` ${r.error.message}` : ''}\n${serverLog}`);
    }
    return r;
  };
  let running = false;
  const stop = () => {
    process.removeListener('exit', stop);
    try {
      if (running) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      running = false;
      rmSync(root, { recursive: true, force: true });
    }
  };
  try {
    // C.UTF-8: code-point order, as SQLite's BINARY collation, and pg_trgm sees Chinese characters as letters.
    run('initdb', ['-D', data, '-U', USER, '--pwfile', join(root, 'pwfile'), '--auth', 'scram-sha-256', '--encoding', 'UTF8', '--locale', 'C.UTF-8', '--no-sync', '--no-instructions']);
    const port = await freePort();
    const options = ['-c listen_addresses=127.0.0.1', `-c port=${port}`, `-c unix_socket_directories=${root}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'];
    run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', options.join(' '), 'start']);
    running = true;
    process.once('exit', stop);
    const admin = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
    return { url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`, version, cpuSeconds: () => clusterCpu(data), stop };
  } catch (e) {
    stop();
    throw e;
  }
}
