import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/main/reactions';
import { translate } from '../../src/shared/i18n';
import { dailyBatchSettled, dailyBatchStatus, dailyBatchTick, runBatchCommand } from '../../src/main/jobs/dailyBatch';
import { giveWay, runBatchOnOwnConnection, type BatchThreadMessage } from '../../src/main/jobs/batchThread';
import { newWriteWaiters, openSqlite } from '../../src/main/db/open';
import { today } from '../../src/main/kernel/context';
import { readKeyring } from '../../src/main/db/keyring';
import { syncAuditHead } from '../../src/main/kernel/auditHead';
import { addDays } from '../../src/shared/domain/dates';
import { statusesAsOf } from '../../src/main/domain/batch';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { newEnv, setUp, type TestEnv, localStoreOf } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

/**
 * The daily batch job: the worker thread's body on a connection of its own, and what a failed run leaves behind.
 * (The built app running it on a real worker thread is tests/desktop/dailyBatchWorker.spec.ts.)
 */

const DAY = 24 * 3600_000;
let env: TestEnv;
const statusDays = () => localStoreOf(env.ctx).sqlite.prepare('SELECT loan_id, as_of, dpd FROM loan_status ORDER BY loan_id').all() as { loan_id: number; as_of: string; dpd: number }[];

beforeAll(async () => {
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx, '李四');
  const l = await loan(env.ctx, b.id, { contractNo: 'HT-JOB-0001', startDate: '2025-11-01', guaranteeModes: ['credit'] });
  await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2025-12-01', amountFen: 50_000, note: '' });
  await loan(env.ctx, b.id, { contractNo: 'HT-JOB-0002', startDate: '2025-12-01', guaranteeModes: ['credit'] });
  await actAs(env.ctx, 'supervisor1');
  await runBatchCommand(env.ctx, { asOf: null });
}, 120_000);
afterAll(() => env.cleanup());

describe('the daily batch job', () => {
  it("the worker's body runs the batch on its own connection, reports progress, and zeroes the key it was given", async () => {
    const store = localStoreOf(env.ctx);
    const asOf = addDays(today(env.ctx), 1);
    const key = new Uint8Array(store.dataKey);
    const messages: BatchThreadMessage[] = [];
    await runBatchOnOwnConnection(
      { dir: store.dir, file: store.file, key, asOf, actor: 'system', clockOffsetMs: env.ctx.clock.now().getTime() - Date.now(), locale: 'zh-CN', paths: env.ctx.paths },
      (m) => messages.push(m),
    );
    expect(messages.map((m) => (m.type === 'progress' ? `${m.progress.phase} ${m.progress.done}/${m.progress.total}` : m.type))).toEqual(['statuses 0/2', 'statuses 2/2', 'reactions 2/2', 'done']);
    expect(key.every((b) => b === 0)).toBe(true);
    // Main's connection sees what the other one committed: the statuses, the as-of day, the audit entry.
    expect(await statusesAsOf(store)).toBe(asOf);
    expect(statusDays().map((r) => r.as_of)).toEqual([asOf, asOf]);
    const last = store.sqlite.prepare(`SELECT actor, action, entity_id, at FROM audit_log WHERE action = 'batch.run' ORDER BY id DESC LIMIT 1`).get() as { at: string };
    expect(last).toMatchObject({ actor: 'system', action: 'batch.run', entity_id: asOf });
    // By main's clock (set by the test), carried over as an offset.
    expect(Math.abs(Date.parse(last.at) - env.ctx.clock.now().getTime())).toBeLessThan(5_000);
    // The head outside follows the chain the worker's entries extended.
    syncAuditHead(store);
    const kr = readKeyring(store.dir);
    const tip = store.sqlite.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string };
    expect(kr.kind === 'ok' && kr.keyring.auditHead).toMatchObject({ id: tip.id, hash: tip.hash });
  });

  it('a run that fails leaves the failed chunk as it was, says why in the user’s language, and the next trigger runs it again', async () => {
    const store = localStoreOf(env.ctx);
    env.clock.advance(3 * DAY);
    const before = statusDays();
    const asOfBefore = await statusesAsOf(store);
    // A fault in the middle of the chunk's writes (a temporary trigger on this connection only).
    store.sqlite.exec(`CREATE TEMP TRIGGER lk_fail BEFORE UPDATE ON loan_status BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    // Signing in again (the session locked meanwhile) starts the batch, which fails; the schedule's check fails again.
    await actAs(env.ctx, 'supervisor1');
    await dailyBatchSettled(env.ctx);
    await dailyBatchTick(env.ctx);
    const failed = await dailyBatchStatus(env.ctx);
    expect(failed).toMatchObject({ running: false, statusesAsOf: asOfBefore, error: { code: 'INTERNAL', message: translate('zh-CN', 'errors.batchFailed', { detail: 'disk on fire' }) } });
    expect(statusDays()).toEqual(before);

    store.sqlite.exec('DROP TRIGGER lk_fail');
    await dailyBatchTick(env.ctx);
    const done = await dailyBatchStatus(env.ctx);
    expect(done).toMatchObject({ running: false, statusesAsOf: today(env.ctx), error: null, lastRun: { asOf: today(env.ctx), loans: 2, thread: 'main' } });
    expect(statusDays().map((r) => r.as_of)).toEqual([today(env.ctx), today(env.ctx)]);
  });

  it("the thread gives way to main's writers waiting for the lock, and main counts them only while they wait", async () => {
    const store = localStoreOf(env.ctx);
    const waiters = store.writeWaiters!;
    expect(Atomics.load(waiters, 0)).toBe(0);
    // A writer on main that cannot get the lock (another connection holds it) is no longer counted once it gives up.
    const other = openSqlite(store.file, store.dataKey, { create: false });
    other.exec('BEGIN IMMEDIATE');
    store.sqlite.pragma('busy_timeout=50');
    try {
      await expect(store.db.transaction().execute((trx) => trx.insertInto('settings').values({ key: 'lk.test', value: '1' }).execute())).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      expect(Atomics.load(waiters, 0)).toBe(0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      store.sqlite.pragma('busy_timeout=5000');
    }
    await store.db.transaction().execute((trx) => trx.insertInto('settings').values({ key: 'lk.test', value: '1' }).execute());
    expect(Atomics.load(waiters, 0)).toBe(0);

    // The thread's side: at once when no one waits; until the writer has the lock; never longer than its bound.
    const w = newWriteWaiters();
    let t = performance.now();
    await giveWay(w);
    expect(performance.now() - t).toBeLessThan(50);
    Atomics.store(w, 0, 1);
    setTimeout(() => Atomics.store(w, 0, 0), 60);
    t = performance.now();
    await giveWay(w);
    expect(performance.now() - t).toBeGreaterThanOrEqual(55);
    expect(performance.now() - t).toBeLessThan(900);
    Atomics.store(w, 0, 1);
    t = performance.now();
    await giveWay(w, 80);
    expect(performance.now() - t).toBeGreaterThanOrEqual(75);
  });
});
