import { afterEach, describe, expect, it } from 'vitest';
import { lock, unlock } from '../../src/main/features/session/session';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { createStaff, loginAs, PASSWORDS } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('drafts', () => {
  it('keeps one draft per user and form, across a lock and a new start, and clears it', async () => {
    env = newEnv();
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const call = dispatcherFor(env.ctx);
    const key = 'report:inspection:7';

    expect(await call('drafts.get', { formKey: key })).toEqual({ ok: true, value: null });
    expect((await call('drafts.save', { formKey: key, values: JSON.stringify({ operations: '门店经营正常', evidence: ['contract'] }) })).ok).toBe(true);
    expect((await call('drafts.save', { formKey: key, values: JSON.stringify({ operations: '门店经营正常，客流稳定', evidence: [] }) })).ok).toBe(true);

    lock(env.ctx);
    expect(await call('drafts.get', { formKey: key })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    await unlock(env.ctx, { password: PASSWORDS.officer1 });
    const got = await call('drafts.get', { formKey: key });
    expect(got).toMatchObject({ ok: true, value: { formKey: key } });
    expect(JSON.parse((got as { value: { values: string } }).value.values)).toEqual({ operations: '门店经营正常，客流稳定', evidence: [] });

    // Another user never sees it, even under the same key.
    await loginAs(env.ctx, 'officer2');
    expect(await call('drafts.get', { formKey: key })).toEqual({ ok: true, value: null });

    // A new start (the store opened again) still has it.
    env.restart();
    await loginAs(env.ctx, 'officer1');
    const again = dispatcherFor(env.ctx);
    expect(await again('drafts.get', { formKey: key })).toMatchObject({ ok: true, value: { formKey: key } });
    expect(await again('drafts.clear', { formKey: key })).toEqual({ ok: true, value: { cleared: true } });
    expect(await again('drafts.get', { formKey: key })).toEqual({ ok: true, value: null });
  });

  it('refuses a malformed key and an oversized draft', async () => {
    env = newEnv();
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const call = dispatcherFor(env.ctx);
    expect(await call('drafts.save', { formKey: '../x', values: '{}' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('drafts.save', { formKey: 'big', values: JSON.stringify({ text: 'x'.repeat(300_000) }) })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
