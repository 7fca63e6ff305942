import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { access, contract, type Channel } from '../../src/shared/ipc/contract';
import { dailyBatchSettled, dailyBatchTick, runBatchCommand } from '../../src/main/jobs/dailyBatch';
import { today } from '../../src/main/kernel/context';
import { statusesAsOf } from '../../src/main/domain/batch';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { sample } from '../helpers/payloads';
import { ADMIN_PASSWORD, dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs } from '../helpers/portfolio';
import { storeWrites } from '../helpers/storeSql';

/**
 * Reads never write: on a new business day, before the day's batch, every channel declared a read leaves the
 * database as it was, whoever calls it, on either store: the writes counted (tests/helpers/writes.ts) stay as they
 * were. The batch is a job (sign-in, change of day, schedule), never a side effect of a read.
 */

// Documents are built as usual but not typeset in CJK fonts (seconds each, dozens of times over).
vi.mock('../../src/main/pdf/render', async (original) => ({ ...(await original<object>()), renderPdf: async () => Buffer.from('%PDF-1.4\n%%EOF\n') }));

const DAY = 24 * 3600_000;
const READS = (Object.keys(contract) as Channel[]).filter((c) => !access[c].write);

let env: TestEnv;
const version = () => storeWrites(env.ctx);

function payload(ch: Channel): Record<string, unknown> {
  const none = join(env.root, 'nothing-here');
  const over: Partial<Record<Channel, Record<string, unknown>>> = {
    'archive.verify': { file: none },
    'archive.importPackage': { file: none },
  };
  return { ...(sample(contract[ch] as never) as Record<string, unknown>), ...over[ch] };
}

beforeAll(async () => {
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx, '张三');
  // Started a year ago, one payment: overdue, so a new day moves its DPD, penalty and perhaps its class.
  const l = await loan(env.ctx, b.id, { contractNo: 'HT-READ-0001', startDate: '2025-11-01', guaranteeModes: ['credit'] });
  await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2025-12-01', amountFen: 50_000, note: '' });
  await actAs(env.ctx, 'supervisor1');
  await runBatchCommand(env.ctx, { asOf: null });
}, 120_000);
afterAll(() => {
  env.cleanup();
});

describe('reads never write', () => {
  it('the reads are many (the declarations say which)', () => {
    expect(READS.length).toBeGreaterThan(40);
    expect(READS).toContain('loans.list');
    expect(READS).toContain('today.get');
  });

  it.each(['admin', 'officer1'])('on a new business day, no read called by %s changes the database', async (user) => {
    env.clock.advance(DAY);
    const dispatch = dispatcherFor(env.ctx);
    const stale = await statusesAsOf(env.ctx.store!);
    expect(stale).not.toBe(today(env.ctx));
    const wrote: string[] = [];
    for (const ch of READS) {
      if (ch === 'session.logout') continue;
      await actAs(env.ctx, user);
      const before = await version();
      const r = await dispatch(ch, payload(ch));
      if ((await version()) !== before) wrote.push(`${ch} (${r.ok ? 'ok' : r.error.code})`);
    }
    expect(wrote).toEqual([]);
    // The statuses are still the old day's: no read ran the batch.
    expect(await statusesAsOf(env.ctx.store!)).toBe(stale);
    await actAs(env.ctx, 'officer1');
    const list = await dispatch('loans.list', payload('loans.list'));
    expect(list.ok && (list.value as { asOf: string }).asOf).toBe(stale);
  });

  it('the batch is a job: a sign-in starts it, a read waits for it, and the schedule starts it at a change of day', async () => {
    const dispatch = dispatcherFor(env.ctx);
    const signedIn = await dispatch('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(signedIn.ok).toBe(true);
    const running = await dispatch('batch.status', {});
    expect(running.ok && running.value).toMatchObject({ running: true, today: today(env.ctx) });
    await dailyBatchSettled(env.ctx);
    const done = await dispatch('batch.status', {});
    expect(done.ok && done.value).toMatchObject({ running: false, statusesAsOf: today(env.ctx), error: null, lastRun: { asOf: today(env.ctx) } });

    env.clock.advance(DAY);
    const before = await version();
    await dailyBatchTick(env.ctx);
    expect(await version()).not.toBe(before);
    expect(await statusesAsOf(env.ctx.store!)).toBe(today(env.ctx));
    // Nothing to do on the same day.
    const after = await version();
    await dailyBatchTick(env.ctx);
    expect(await version()).toBe(after);
  });
});
