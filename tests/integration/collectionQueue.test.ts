import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { addContact, addPromise } from '../../src/main/features/collections/collections';
import { assignCollector, collectionQueue, collectorResults, listCollectors } from '../../src/main/features/collections/queue';
import { getLoan } from '../../src/main/features/loans/loans';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
let overdue1: number;
let current1: number;
let overdue2: number;

beforeAll(async () => {
  env = newEnv();
  env.clock.t = Date.parse('2026-06-20T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  overdue1 = (await loan(env.ctx, b.id, { contractNo: 'HT-Q-1', startDate: '2026-01-15' })).loan.id;
  current1 = (await loan(env.ctx, b.id, { contractNo: 'HT-Q-2', startDate: '2026-06-01' })).loan.id;
  await actAs(env.ctx, 'officer2');
  const b2 = await borrower(env.ctx, '李四', '11010519800202123');
  overdue2 = (await loan(env.ctx, b2.id, { contractNo: 'HT-Q-3', startDate: '2026-03-15', officer: 'officer2' })).loan.id;
});
afterAll(() => env?.cleanup());

describe('collection queue (催收队列)', () => {
  it('a supervisor sees every overdue loan worst first and assigns only overdue loans to a real collector', async () => {
    await actAs(env.ctx, 'supervisor1');
    const all = await collectionQueue(env.ctx, { collector: null, unassignedOnly: false });
    expect(all.map((r) => r.contractNo)).toEqual(['HT-Q-1', 'HT-Q-3']);
    expect(all[0].dpd).toBeGreaterThan(all[1].dpd);
    expect(all.every((r) => r.collector === null && r.overdueFen > 0)).toBe(true);
    expect(await listCollectors(env.ctx)).toEqual([{ username: 'collector1', displayName: 'collector1', loans: 0 }]);
    expect((await fail(assignCollector(env.ctx, { loanIds: [overdue1], collector: 'officer1' }))).issues?.[0].path).toBe('collector');
    expect((await fail(assignCollector(env.ctx, { loanIds: [overdue1, current1], collector: 'collector1' }))).message).toContain('HT-Q-2');
    // Before the assignment the collector may not open the loan.
    await actAs(env.ctx, 'collector1');
    expect((await fail(getLoan(env.ctx, { id: overdue1, asOf: null }))).code).toBe('FORBIDDEN');
    expect(await collectionQueue(env.ctx, { collector: null, unassignedOnly: false })).toEqual([]);
    await actAs(env.ctx, 'supervisor1');
    const mine = await assignCollector(env.ctx, { loanIds: [overdue1], collector: 'collector1' });
    expect(mine.map((r) => [r.contractNo, r.collector])).toEqual([['HT-Q-1', 'collector1']]);
    expect((await collectionQueue(env.ctx, { collector: null, unassignedOnly: true })).map((r) => r.contractNo)).toEqual(['HT-Q-3']);
  });

  it('the collector works only the assigned loan, and the results count their contacts, promises kept and money recovered', async () => {
    await actAs(env.ctx, 'collector1');
    // Asking for someone else's queue gives one's own.
    expect((await collectionQueue(env.ctx, { collector: 'nobody', unassignedOnly: false })).map((r) => r.contractNo)).toEqual(['HT-Q-1']);
    const d = await getLoan(env.ctx, { id: overdue1, asOf: null });
    expect(d.loan.contractNo).toBe('HT-Q-1');
    expect((await fail(getLoan(env.ctx, { id: overdue2, asOf: null }))).code).toBe('FORBIDDEN');
    await addContact(env.ctx, { loanId: overdue1, channel: 'call', target: '张三', slot: 'morning', outcome: 'promised', note: '答应月底前还', contactedOn: '2026-06-20', reason: 'business-difficulty' });
    await addPromise(env.ctx, { loanId: overdue1, amountFen: 100_000, promiseDate: '2026-06-30', madeOn: '2026-06-20', note: '' });
    // A collector records no payments; the officer posts the one that keeps the promise.
    await actAs(env.ctx, 'officer1');
    await createRepayment(env.ctx, { loanId: overdue1, paidOn: '2026-06-20', amountFen: 150_000, note: '' });
    await actAs(env.ctx, 'collector1');
    const [r] = await collectorResults(env.ctx, { from: '2026-06-01', to: '2026-06-30' });
    expect(r).toEqual({ collector: 'collector1', displayName: 'collector1', loans: 1, contacts: 1, reached: 1, promises: 1, promisesKept: 1, recoveredFen: 150_000 });
    // Taken back, the loan is out of reach again.
    await actAs(env.ctx, 'supervisor1');
    await assignCollector(env.ctx, { loanIds: [overdue1], collector: null });
    await actAs(env.ctx, 'collector1');
    expect((await fail(getLoan(env.ctx, { id: overdue1, asOf: null }))).code).toBe('FORBIDDEN');
    expect(await collectionQueue(env.ctx, { collector: null, unassignedOnly: false })).toEqual([]);
  });
});
