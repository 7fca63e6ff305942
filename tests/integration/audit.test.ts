import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/main/services/audit';
import { runChecks } from '../../src/main/services/maintenance';
import { DEFAULT_SETTINGS, updateSettings } from '../../src/main/services/settings';
import { createUser } from '../../src/main/services/users';
import { newEnv, setUp, type TestEnv } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('audit hash chain', () => {
  it('records who, when, what and why, and detects an edited row', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'risk1', displayName: '风控甲', roles: ['risk'], password: 'Risk-pass-001' });
    await updateSettings(env.ctx, { ...DEFAULT_SETTINGS, institution: '测试小额贷款有限公司', branch: '城东支行', idleMinutes: 10, ltvLimitPercent: 60, allocationOrder: ['interest', 'penalty', 'principal'], attachmentMaxMb: 20 });
    const ok = await verifyAudit(env.ctx);
    expect(ok).toEqual({ ok: true, count: 4, brokenAt: null });
    const rows = await env.ctx.store!.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['setup.create', 'setup.confirmRecoveryKey', 'users.create', 'settings.update']);
    expect(rows[2]).toMatchObject({ actor: 'admin', entity: 'user', entity_id: 'risk1', at: '2026-11-23T01:00:00.000Z' });

    env.ctx.store!.sqlite.prepare(`UPDATE audit_log SET detail = '{"roles":["admin"]}' WHERE id = ?`).run(rows[2].id);
    expect(await verifyAudit(env.ctx)).toEqual({ ok: false, count: 4, brokenAt: rows[2].id });
    expect((await runChecks(env.ctx)).ok).toBe(false);
  });

  it('detects a deleted row in the middle of the chain', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'risk1', displayName: '风控甲', roles: ['risk'], password: 'Risk-pass-001' });
    env.ctx.store!.sqlite.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(await verifyAudit(env.ctx)).toMatchObject({ ok: false, brokenAt: 3 });
  });
});
