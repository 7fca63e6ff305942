import { existsSync, readFileSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/ipc/errors';
import { openSqlite } from '../../src/main/db/open';
import { login } from '../../src/main/features/session/session';
import { openStore } from '../../src/main/kernel/store';
import { createUser } from '../../src/main/features/users/users';
import { ADMIN_PASSWORD, newEnv, setUp, sha256File, type TestEnv } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

const PROBE = '明文探针ZXQ-7731';

describe('encrypted store on disk', () => {
  it('keeps no plaintext in the database or its -wal file', async () => {
    env = newEnv();
    await setUp(env, `${PROBE}小贷公司`);
    await createUser(env.ctx, { username: 'officer1', displayName: `${PROBE}信贷员`, roles: ['officer'], password: 'Officer-pass-1' });
    const db = join(env.dataDir, 'loankeeper.db');
    const wal = `${db}-wal`;
    // Still open: recent writes sit in the WAL.
    expect(existsSync(wal)).toBe(true);
    expect(readFileSync(wal).length).toBeGreaterThan(0);
    const needles = [Buffer.from(PROBE, 'utf8'), Buffer.from('officer1', 'utf8'), Buffer.from('SQLite format 3', 'utf8')];
    for (const file of [db, wal]) {
      const bytes = readFileSync(file);
      for (const n of needles) expect(bytes.includes(n), `${n.toString()} in ${file}`).toBe(false);
    }
    // And the value really is stored: it reads back through the key.
    const rows = await env.ctx.store!.db.selectFrom('users').select('display_name').execute();
    expect(rows.map((r) => r.display_name)).toContain(`${PROBE}信贷员`);
  });

  it('maps a wrong key to SQLITE_NOTADB and a clear message naming the file', async () => {
    env = newEnv();
    await setUp(env);
    env.ctx.close();
    const file = join(env.dataDir, 'loankeeper.db');
    expect(() => openSqlite(file, randomBytes(32), { create: false })).toThrow(/not-a-database/);
    try {
      openSqlite(file, randomBytes(32), { create: false });
    } catch (e) {
      expect(((e as Error).cause as { code: string }).code).toBe('SQLITE_NOTADB');
    }
    const before = sha256File(file);
    const err = await openStore(env.ctx, env.dataDir, randomBytes(32)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toContain(file);
    expect((err as AppError).message).toContain('不是贷后管家的数据库');
    expect(sha256File(file)).toBe(before);
  });

  it.each([
    ['random bytes', (f: string) => writeFileSync(f, randomBytes(64 * 1024))],
    ['truncated', (f: string) => truncateSync(f, 3000)],
  ])('refuses a %s database file with a clear message and never overwrites it', async (_name, damage) => {
    env = newEnv();
    await setUp(env);
    env.ctx.close();
    const file = join(env.dataDir, 'loankeeper.db');
    for (const side of ['-wal', '-shm']) if (existsSync(file + side)) throw new Error('store left a side file after close');
    damage(file);
    const before = sha256File(file);
    const ctx = env.restart();
    const err = await login(ctx, { username: 'admin', password: ADMIN_PASSWORD }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('IO');
    expect((err as AppError).message).toContain(file);
    expect(sha256File(file)).toBe(before);
    expect(ctx.session).toBeNull();
  });

  it('a database that is not ours at all (a plain SQLite file) is refused, not overwritten', async () => {
    env = newEnv();
    await setUp(env);
    env.ctx.close();
    const file = join(env.dataDir, 'loankeeper.db');
    const other = join(env.root, 'other.db');
    const plain = openSqlite(other, null, { create: true });
    plain.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    plain.close();
    copyFileSync(other, file);
    const before = sha256File(file);
    const err = await login(env.restart(), { username: 'admin', password: ADMIN_PASSWORD }).catch((e: unknown) => e);
    expect((err as AppError).message).toContain(file);
    expect(sha256File(file)).toBe(before);
  });
});
