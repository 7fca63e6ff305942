import { afterEach, describe, expect, it } from 'vitest';
import { lendFile } from '../../src/main/features/archive/archive';
import { addPromise } from '../../src/main/features/collections/collections';
import { applyExtension } from '../../src/main/features/loanChanges/loanChanges';
import { confirmNotices, prepareNotices } from '../../src/main/features/collections/notices';
import { getToday } from '../../src/main/features/today/today';
import { newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe("today's work: collections and archive", () => {
  it('shows limitation warnings, broken promises, receipts to chase, requests to decide and overdue paper files', async () => {
    env = newEnv();
    env.clock.t = Date.parse('2026-01-05T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const b = await borrower(env.ctx);
    // Matured 2023-07-05 and never paid: the claim expires 2026-07-05, within 180 days.
    const old = await loan(env.ctx, b.id, { contractNo: 'HT-OLD', method: 'bullet', months: 6, startDate: '2023-01-05' });
    const live = await loan(env.ctx, b.id, { contractNo: 'HT-LIVE', method: 'bullet', months: 6, startDate: '2025-12-20' });
    await addPromise(env.ctx, { loanId: old.loan.id, amountFen: 100_000, promiseDate: '2026-01-02', madeOn: '2025-12-28', note: '' });
    const batch = await prepareNotices(env.ctx, { items: [{ loanId: old.loan.id, docType: 'overdue-notice' }], asOf: null, payBy: null });
    await confirmNotices(env.ctx, { batchId: batch.batchId! });
    await applyExtension(env.ctx, { loanId: live.loan.id, newMaturity: '2026-09-20', reason: '季节性回款' });
    env.clock.t = Date.parse('2026-01-25T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    let t = await getToday(env.ctx);
    // The promise (made 2025-12-28) restarted the clock: expiry 2028-12-28, so no warning yet.
    expect(t.collections!.limitation).toEqual([]);
    expect(t.collections!.brokenPromises.map((p) => p.contractNo)).toEqual(['HT-OLD']);
    expect(t.collections!.receiptsToChase.map((n) => n.serial)).toEqual([batch.notices[0].serial]);
    await loginAs(env.ctx, 'supervisor1');
    t = await getToday(env.ctx);
    expect(t.collections!.changesToDecide.map((c) => c.contractNo)).toEqual(['HT-LIVE']);
    await loginAs(env.ctx, 'archivist1');
    await lendFile(env.ctx, { loanId: old.loan.id, borrowerUser: 'officer1', purpose: '诉讼准备', dueBack: '2026-01-26' });
    env.clock.t = Date.parse('2026-02-03T02:00:00Z');
    await loginAs(env.ctx, 'archivist1');
    t = await getToday(env.ctx);
    expect(t.archive!.overdueLendings).toMatchObject([{ contractNo: 'HT-OLD', borrowerUser: 'officer1', daysOver: 8 }]);
    expect(t.archive!.gaps.map((g) => g.contractNo).sort()).toEqual(['HT-LIVE', 'HT-OLD']);
  });

  it('warns when the limitation period ends within 180 days', async () => {
    env = newEnv();
    env.clock.t = Date.parse('2026-03-01T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const b = await borrower(env.ctx);
    await loan(env.ctx, b.id, { contractNo: 'HT-OLD', method: 'bullet', months: 6, startDate: '2023-01-05' });
    const t = await getToday(env.ctx);
    expect(t.collections!.limitation).toMatchObject([{ contractNo: 'HT-OLD', expiry: '2026-07-05', warning: '180' }]);
  });
});
