import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/db/migrate';
import { MIGRATIONS } from '../../src/main/db/migrations';
import { kyselyOf, openSqlite } from '../../src/main/db/open';
import { newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('migrations', () => {
  it('the static map lists exactly the files in the migrations folder, in order', () => {
    const files = readdirSync(join('src/main/db/migrations'))
      .filter((f) => /^\d{4}_.+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(MIGRATIONS)).toEqual(files);
  });

  it('seeds, migrates with a new step, keeps the data and copies the database first', async () => {
    env = newEnv();
    await setUp(env);
    const { sqlite, dataKey } = localStoreOf(env.ctx);
    const key = Buffer.from(dataKey);
    env.ctx.close();
    const db = openSqlite(sqlite.name, key, { create: false });
    const k = kyselyOf(db);
    const next = {
      ...MIGRATIONS,
      '9999_test_column': { up: async (d: typeof k) => void (await sql`ALTER TABLE users ADD COLUMN phone TEXT`.execute(d)) },
    };
    const r = await migrate(k, db, env.dataDir, '2026-11-23T01:00:00.000Z', next as never);
    expect(r.applied).toEqual(['9999_test_column']);
    expect(r.backup).toMatch(/backups[\\/]before-9999_test_column-/);
    const users = db.prepare('SELECT username, phone FROM users').all();
    expect(users).toEqual([{ username: 'admin', phone: null }]);
    // The copy is encrypted with the same key and still has the old schema.
    const copy = openSqlite(r.backup!, key, { create: false });
    const cols = (copy.prepare('PRAGMA table_info(users)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).not.toContain('phone');
    expect(copy.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 1 });
    copy.close();
    expect(await migrate(k, db, env.dataDir, 'x', next as never)).toEqual({ applied: [], backup: null });
    db.close();
  });
});
