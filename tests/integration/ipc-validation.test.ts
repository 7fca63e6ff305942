import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type Channel } from '../../src/shared/ipc/contract';
import { badPayloads, sample } from '../helpers/payloads';
import { dispatcherFor, newEnv, setUp, sha256File, type TestEnv } from '../helpers/context';

let env: TestEnv;
beforeAll(async () => {
  env = newEnv();
  await setUp(env);
});
afterAll(() => env.cleanup());

async function snapshot() {
  const db = env.ctx.store!.db;
  const files = ['loankeeper.db', 'loankeeper.db-wal', 'keyring.json'].map((f) => join(env.dataDir, f)).filter(existsSync);
  return {
    audit: await db.selectFrom('audit_log').selectAll().execute(),
    users: await db.selectFrom('users').selectAll().execute(),
    settings: await db.selectFrom('settings').selectAll().execute(),
    files: Object.fromEntries(files.map((f) => [f, sha256File(f)])),
    config: readFileSync(join(env.configDir, 'config.json'), 'utf8'),
  };
}

describe('every IPC channel validates its input in main', () => {
  const channels = Object.keys(contract) as Channel[];

  it('the generator produces payloads that the schemas accept', () => {
    for (const ch of channels) expect(contract[ch].safeParse(sample(contract[ch] as never)).success, ch).toBe(true);
  });

  it.each(channels)('%s rejects malformed input with VALIDATION and writes nothing', async (channel) => {
    const dispatch = dispatcherFor(env.ctx);
    const before = await snapshot();
    const cases = badPayloads(contract[channel] as never);
    expect(cases.length).toBeGreaterThan(8);
    for (const c of cases) {
      const r = await dispatch(channel, c.input);
      expect(r.ok, `${channel}: ${c.name}`).toBe(false);
      if (!r.ok) {
        expect(r.error.code, `${channel}: ${c.name}`).toBe('VALIDATION');
        expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('names the field and says what is wrong, in Chinese', async () => {
    const r = await dispatcherFor(env.ctx)('users.create', { username: 'a b', displayName: '', roles: [], password: 'short' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.error.issues!.map((i) => [i.path, i.message]));
    expect(byPath).toMatchObject({
      username: '只能包含字母、数字、下划线、点和短横线',
      displayName: '此项必填',
      roles: '此项必填',
      password: '至少 12 个字符',
    });
  });

  it('refuses unknown channels', async () => {
    const r = await dispatcherFor(env.ctx)('fs.readFile', { path: '/etc/passwd' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
