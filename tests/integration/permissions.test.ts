import { afterEach, describe, expect, it } from 'vitest';
import { type Channel } from '../../src/shared/ipc/contract';
import { login, logout } from '../../src/main/features/session/session';
import { createUser } from '../../src/main/features/users/users';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';

let env: TestEnv;
afterEach(() => env?.cleanup());

const calls: Array<[Channel, unknown]> = [
  ['users.list', {}],
  ['users.create', { username: 'mallory', displayName: '某人', roles: ['admin'], password: 'Mallory-pass' }],
  ['users.resetPassword', { username: 'admin', newPassword: 'Taken-over-1' }],
  ['settings.update', { institution: '篡改', branch: '', idleMinutes: 240, ltvLimitPercent: 100, allocationOrder: ['principal', 'interest', 'penalty'], attachmentMaxMb: 100, extensionLeadDays: 15, receiptChaseDays: 15, reminderLeadDays: 3, maturityReminderLeadDays: 30, overdueNoticeRepeatDays: 30, retentionYears: 30, debtRatioLimitPercent: 70, debtRatioJumpPoints: 10, worklogMinGood: 1, worklogMinNormal: 1, worklogMinRisk: 1, legalMinDpd: 90 }],
  ['settings.get', {}],
];

describe('permissions are enforced in main, whatever the UI shows', () => {
  it('an officer calling admin channels directly gets FORBIDDEN and nothing changes', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'Officer-pass-1' });
    await createUser(env.ctx, { username: 'archivist1', displayName: '周档案', roles: ['archivist'], password: 'Archivist-pass' });
    for (const user of ['officer1', 'archivist1']) {
      logout(env.ctx);
      await login(env.ctx, { username: user, password: user === 'officer1' ? 'Officer-pass-1' : 'Archivist-pass' });
      const dispatch = dispatcherFor(env.ctx);
      for (const [ch, input] of [...calls, ['audit.verify', {}] as [Channel, unknown]]) {
        expect(await dispatch(ch, input), `${user} ${ch}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
    const users = await env.ctx.store!.db.selectFrom('users').select('username').execute();
    expect(users.map((u) => u.username).sort()).toEqual(['admin', 'archivist1', 'officer1']);
  });

  it('the risk officer may verify the audit chain but not manage users; the admin may do both', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'risk1', displayName: '风控甲', roles: ['risk'], password: 'Risk-pass-001' });
    let dispatch = dispatcherFor(env.ctx);
    expect(await dispatch('users.list', {})).toMatchObject({ ok: true });
    expect(await dispatch('audit.verify', {})).toMatchObject({ ok: true, value: { ok: true } });
    logout(env.ctx);
    await login(env.ctx, { username: 'risk1', password: 'Risk-pass-001' });
    dispatch = dispatcherFor(env.ctx);
    expect(await dispatch('audit.verify', {})).toMatchObject({ ok: true });
    expect(await dispatch('users.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('nobody logged in: business channels answer LOCKED', async () => {
    env = newEnv();
    await setUp(env);
    logout(env.ctx);
    const dispatch = dispatcherFor(env.ctx);
    for (const [ch, input] of calls) expect(await dispatch(ch, input)).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
  });

  it('the last active administrator cannot be disabled or demoted', async () => {
    env = newEnv();
    await setUp(env);
    await createUser(env.ctx, { username: 'officer1', displayName: '李信贷', roles: ['officer'], password: 'Officer-pass-1' });
    const dispatch = dispatcherFor(env.ctx);
    expect(await dispatch('users.update', { username: 'admin', displayName: '王管理', roles: ['officer'] })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION' },
    });
    expect(await dispatch('users.setDisabled', { username: 'admin', disabled: true, reason: '测试' })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION' },
    });
  });
});
