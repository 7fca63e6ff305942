import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPgTools, toolEnv } from '../../src/main/db/pg/tools';

/** How pg_dump and pg_restore are found and what they are given: credentials in their environment only. */

const dir = mkdtempSync(join(tmpdir(), 'lk-pgtools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeTools(folder: string, version: string): void {
  mkdirSync(folder, { recursive: true });
  for (const tool of ['pg_dump', 'pg_restore']) {
    writeFileSync(join(folder, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) ${version}"\n`);
    chmodSync(join(folder, tool), 0o755);
  }
}

describe.skipIf(process.platform === 'win32')('PostgreSQL client tools', () => {
  it('a configured folder is the only one looked at: missing, older than the server, or usable', () => {
    expect(findPgTools(15, join(dir, 'none'))).toEqual({ ok: false, problem: 'missing', searched: [join(dir, 'none')] });
    fakeTools(join(dir, 'v14'), '14.12');
    expect(findPgTools(15, join(dir, 'v14'))).toEqual({ ok: false, problem: 'old', dir: join(dir, 'v14'), version: 14 });
    fakeTools(join(dir, 'v16'), '16.4 (Debian 16.4-1)');
    expect(findPgTools(15, join(dir, 'v16'))).toMatchObject({ ok: true, tools: { dir: join(dir, 'v16'), version: 16 } });
  });

  it('the password goes into the environment, every PG* variable of this process is dropped, TLS follows the address', () => {
    process.env.PGHOST = 'elsewhere.example';
    process.env.PGSERVICE = 'other';
    try {
      const local = toolEnv({ url: 'postgresql://lk:s%40cret@127.0.0.1:5433/branch' });
      expect(local.env).toMatchObject({ PGHOST: '127.0.0.1', PGPORT: '5433', PGDATABASE: 'branch', PGUSER: 'lk', PGPASSWORD: 's@cret', PGSSLMODE: 'disable' });
      expect(local.env.PGSERVICE).toBeUndefined();
      local.release();
      const scratch = toolEnv({ url: 'postgresql://lk:x@localhost/branch' }, 'lk_verify_1');
      expect(scratch.env.PGDATABASE).toBe('lk_verify_1');
      const remote = toolEnv({ url: 'postgresql://lk:x@db.branch.example/branch', ca: '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n' });
      expect(remote.env.PGSSLMODE).toBe('verify-full');
      const ca = remote.env.PGSSLROOTCERT!;
      expect(readFileSync(ca, 'utf8')).toContain('BEGIN CERTIFICATE');
      remote.release();
      expect(existsSync(ca)).toBe(false);
      expect(toolEnv({ url: 'postgresql://lk:x@db.branch.example/branch?sslmode=verify-full' }).env.PGSSLROOTCERT).toBe('system');
      expect(() => toolEnv({ url: 'postgresql://lk:x@db.branch.example/branch' })).toThrow();
    } finally {
      delete process.env.PGHOST;
      delete process.env.PGSERVICE;
    }
  });
});
