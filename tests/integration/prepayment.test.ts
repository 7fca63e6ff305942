import { afterEach, describe, expect, it } from 'vitest';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { prepay, prepayQuote } from '../../src/main/features/repayments/prepayment';
import { decideReversal, pendingReversals, productNames, proposeReversal, setFeeRule } from '../../src/main/features/repayments/servicing';
import { loanLedger } from '../../src/main/features/repayments/ledger';
import { getLoan } from '../../src/main/features/loans/loans';
import { fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

async function world() {
  env = newEnv();
  env.clock.t = Date.parse('2026-06-20T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  // 120,000 yuan, 12% a year, 12 monthly instalments of equal amount from 2026-06-15; the first one paid on time.
  const l = await loan(env.ctx, b.id, { method: 'equal-installment', startDate: '2026-05-15' });
  const first = l.schedule[0];
  await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-06-15', amountFen: first.principalFen + first.interestFen, note: '' });
  return l.loan.id;
}

describe('partial prepayment (部分提前还款)', () => {
  it('quotes both choices, posts the shorter term with a new schedule, and a reversal approved by another brings the old one back', async () => {
    const loanId = await world();
    const before = await getLoan(env.ctx, { id: loanId, asOf: null });
    const instalment = before.schedule[1].principalFen + before.schedule[1].interestFen;
    const remaining = before.schedule.slice(1).reduce((n, p) => n + p.principalFen, 0);

    const lower = await prepayQuote(env.ctx, { loanId, paidOn: '2026-06-20', principalFen: 3_000_000, mode: 'lower' });
    // 30,000 yuan × 12% × 5 days / 360 = 50 yuan; nothing else due, no fee rule for the product.
    expect(lower).toMatchObject({ dueFen: 0, principalFen: 3_000_000, interestFen: 5_000, feeFen: 0, totalFen: 3_005_000, maturityAfter: before.loan.maturityDate, periodsBefore: 11, periodsAfter: 11, remainingAfterFen: remaining - 3_000_000 });
    expect(lower.instalmentAfterFen).toBeLessThan(instalment);
    const shorter = await prepayQuote(env.ctx, { loanId, paidOn: '2026-06-20', principalFen: 3_000_000, mode: 'shorten' });
    expect(shorter.periodsAfter).toBeLessThan(11);
    expect(shorter.instalmentAfterFen).toBeLessThanOrEqual(instalment);
    expect(shorter.maturityAfter < before.loan.maturityDate).toBe(true);
    expect(shorter.schedule.reduce((n, r) => n + r.principalFen, 0)).toBe(remaining - 3_000_000);

    // A product fee rule is charged on the prepaid principal.
    await loginAs(env.ctx, 'admin');
    // The administrator sees the products on file (names only) to set their rules.
    expect(await productNames(env.ctx)).toEqual([before.loan.product]);
    await setFeeRule(env.ctx, { product: before.loan.product, rule: { kind: 'percent', percent: '1' } });
    await loginAs(env.ctx, 'officer1');
    const withFee = await prepayQuote(env.ctx, { loanId, paidOn: '2026-06-20', principalFen: 3_000_000, mode: 'shorten' });
    expect(withFee).toMatchObject({ feeFen: 30_000, totalFen: 3_035_000 });

    const after = await prepay(env.ctx, { loanId, paidOn: '2026-06-20', principalFen: 3_000_000, mode: 'shorten', note: '客户部分提前还款' });
    expect(after.loan.maturityDate).toBe(withFee.maturityAfter);
    // The schedule was recast; the page gives the term as the contract's (原合同期限).
    expect(before.loan.prepaid).toBe(false);
    expect(after.loan).toMatchObject({ prepaid: true, accelerated: false });
    expect(after.state.balanceFen).toBe(remaining - 3_000_000);
    expect(after.state.dpd).toBe(0);
    expect(after.repayments.at(-1)).toMatchObject({ amountFen: 3_035_000 });
    const ledger = (await loanLedger(env.ctx, { loanId })).entries;
    expect(ledger.find((e) => e.kind === 'prepayment')?.description).toBe(`部分提前还本 30,000.00，缩短期限：到期日由 ${env.ctx.day(before.loan.maturityDate)} 改为 ${env.ctx.day(withFee.maturityAfter)}`);
    expect(ledger.find((e) => e.kind === 'repayment' && e.amountFen === 3_035_000)).toMatchObject({ principalFen: -3_000_000, interestFen: 5_000 });

    // The reversal waits for someone else; approved, the old schedule and balance are back.
    const repId = after.repayments.at(-1)!.id;
    await proposeReversal(env.ctx, { repaymentId: repId, reason: '银行退票' });
    await loginAs(env.ctx, 'supervisor1');
    const [p] = await pendingReversals(env.ctx);
    const undone = await decideReversal(env.ctx, { reversalId: p.id, approve: true, comment: '' });
    expect(undone.loan.maturityDate).toBe(before.loan.maturityDate);
    expect(undone.schedule.map((r) => [r.dueDate, r.principalFen, r.interestFen])).toEqual(before.schedule.map((r) => [r.dueDate, r.principalFen, r.interestFen]));
    expect(undone.state.balanceFen).toBe(remaining);
    expect(undone.loan.prepaid).toBe(false);
  });

  it('refuses all of the principal, a shorter term on a bullet loan, and a reversal once the schedule changed again', async () => {
    const loanId = await world();
    const d = await getLoan(env.ctx, { id: loanId, asOf: null });
    const remaining = d.schedule.slice(1).reduce((n, p) => n + p.principalFen, 0);
    expect((await fail(prepayQuote(env.ctx, { loanId, paidOn: '2026-06-20', principalFen: remaining, mode: 'lower' }))).message).toContain('提前结清');
    const b = await getLoan(env.ctx, { id: loanId, asOf: null });
    const bullet = await loan(env.ctx, b.borrower.id, { contractNo: 'HT-BULLET', method: 'bullet', months: 6, startDate: '2026-05-15' });
    expect((await fail(prepayQuote(env.ctx, { loanId: bullet.loan.id, paidOn: '2026-06-20', principalFen: 1_000_000, mode: 'shorten' }))).issues?.[0].path).toBe('mode');
    // A bullet loan can lower what is left: its interest runs by the day on the smaller principal.
    const q = await prepayQuote(env.ctx, { loanId: bullet.loan.id, paidOn: '2026-06-20', principalFen: 2_000_000, mode: 'lower' });
    expect(q).toMatchObject({ interestFen: Math.round((2_000_000 * 0.12 * 36) / 360), periodsAfter: 1, maturityAfter: bullet.loan.maturityDate });
    const first = await prepay(env.ctx, { loanId, paidOn: '2026-06-19', principalFen: 1_000_000, mode: 'lower', note: '' });
    await prepay(env.ctx, { loanId, paidOn: '2026-06-20', principalFen: 1_000_000, mode: 'lower', note: '' });
    const older = first.repayments.at(-1)!.id;
    expect((await fail(proposeReversal(env.ctx, { repaymentId: older, reason: '录入错误' }))).message).toContain('再次变更');
  });
});
