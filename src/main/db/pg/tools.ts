import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { poolConfig, type PostgresTarget } from './connect';

/**
 * PostgreSQL's own client programs (pg_dump, pg_restore) for the branch server's backups. On a branch PC they are
 * in the vendor's installation folder (C:\Program Files\PostgreSQL\16\bin); a folder named in config.json
 * (`pgBinDir`) is the only one looked at when set. pg_dump refuses a server newer than itself, so the newest
 * installation at least as new as the server is taken.
 */

export interface PgTools {
  dir: string;
  version: number;
  pgDump: string;
  pgRestore: string;
}

export type ToolsFound = { ok: true; tools: PgTools } | { ok: false; problem: 'missing'; searched: string[] } | { ok: false; problem: 'old'; dir: string; version: number };

const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);

/** Where PostgreSQL's installers put their programs on this system, newest version first within each root. */
export function candidateDirs(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string[] {
  const roots: string[] = [];
  const versioned = (root: string, tail: (v: string) => string) => {
    let names: string[] = [];
    try {
      names = existsSync(root) ? readdirSync(root) : [];
    } catch {
      names = [];
    }
    for (const v of names.filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a))) roots.push(tail(v));
  };
  if (platform === 'win32') {
    for (const pf of [env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramW6432]) if (pf) versioned(join(pf, 'PostgreSQL'), (v) => join(pf, 'PostgreSQL', v, 'bin'));
  } else if (platform === 'darwin') {
    versioned('/Library/PostgreSQL', (v) => join('/Library/PostgreSQL', v, 'bin'));
    versioned('/Applications/Postgres.app/Contents/Versions', (v) => join('/Applications/Postgres.app/Contents/Versions', v, 'bin'));
  } else {
    versioned('/usr/lib/postgresql', (v) => join('/usr/lib/postgresql', v, 'bin'));
  }
  for (const d of (env.PATH ?? env.Path ?? '').split(delimiter)) if (d) roots.push(d);
  return [...new Set(roots)];
}

/** The major version a program reports (`pg_dump (PostgreSQL) 16.4` → 16); 0 when it does not run. */
export function toolVersion(path: string): number {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', windowsHide: true, timeout: 15_000 });
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : 0;
}

/** pg_dump and pg_restore of one folder, at least as new as the server (`serverMajor`). */
export function findPgTools(serverMajor: number, configured: string | null | undefined): ToolsFound {
  const dirs = configured ? [configured] : candidateDirs();
  let older: { dir: string; version: number } | null = null;
  let best: PgTools | null = null;
  for (const dir of dirs) {
    const pgDump = join(dir, exe('pg_dump'));
    const pgRestore = join(dir, exe('pg_restore'));
    if (!existsSync(pgDump) || !existsSync(pgRestore)) continue;
    const version = toolVersion(pgDump);
    if (version === 0) continue;
    if (version < serverMajor) {
      if (!older || version > older.version) older = { dir, version };
      continue;
    }
    if (!best || version > best.version) best = { dir, version, pgDump, pgRestore };
  }
  if (best) return { ok: true, tools: best };
  if (older) return { ok: false, problem: 'old', ...older };
  return { ok: false, problem: 'missing', searched: dirs };
}

/**
 * The environment of a tool run against `target`: the credentials and the TLS rule of connect.ts, never on the
 * command line. Every PG* variable of this process is dropped first, so that none can point the tool elsewhere.
 * `database` replaces the target's database (a scratch one). `release()` removes the CA certificate's file.
 */
export function toolEnv(target: PostgresTarget, database?: string): { env: NodeJS.ProcessEnv; release: () => void } {
  const config = poolConfig(target);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^PG/i.test(k)) env[k] = v;
  env.PGHOST = String(config.host);
  env.PGPORT = String(config.port);
  env.PGDATABASE = database ?? String(config.database);
  if (config.user) env.PGUSER = String(config.user);
  if (typeof config.password === 'string') env.PGPASSWORD = config.password;
  env.PGAPPNAME = 'LoanKeeper backup';
  env.PGCONNECT_TIMEOUT = '20';
  // No password file, service file or client certificate of this user's profile is read.
  env.PGPASSFILE = join(tmpdir(), 'lk-no-pgpass');
  env.PGSERVICEFILE = join(tmpdir(), 'lk-no-pgservice');
  let caDir: string | null = null;
  const ssl = config.ssl;
  if (ssl === false || ssl === undefined) env.PGSSLMODE = 'disable';
  else if (typeof ssl === 'object' && ssl.rejectUnauthorized === false) env.PGSSLMODE = 'require';
  else {
    env.PGSSLMODE = 'verify-full';
    if (target.ca !== undefined) {
      caDir = mkdtempSync(join(tmpdir(), 'lk-ca-'));
      const file = join(caDir, 'root.crt');
      writeFileSync(file, target.ca, { mode: 0o600 });
      env.PGSSLROOTCERT = file;
    } else {
      env.PGSSLROOTCERT = 'system';
    }
  }
  return { env, release: () => void (caDir && rmSync(caDir, { recursive: true, force: true })) };
}

export interface ToolRun {
  stdout: AsyncIterable<Buffer>;
  /** Resolves with the exit code and the end of stderr once the program ends (after stdin and stdout are done). */
  done: Promise<{ code: number | null; stderr: string }>;
  stdin: NodeJS.WritableStream;
  kill(): void;
}

/** Starts a tool with its arguments and environment; nothing goes through a shell. */
export function runTool(path: string, args: string[], env: NodeJS.ProcessEnv): ToolRun {
  const child = spawn(path, args, { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, shell: false });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr = (stderr + s).slice(-4000);
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.once('error', (e) => resolve({ code: -1, stderr: `${stderr}${e.message}` }));
    child.once('close', (code) => resolve({ code, stderr: stderr.trim() }));
  });
  // A program that ends before reading all of its input must not crash main with EPIPE.
  child.stdin.on('error', () => {});
  return { stdout: child.stdout, stdin: child.stdin, done, kill: () => void child.kill() };
}
