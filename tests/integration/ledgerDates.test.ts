import { afterEach, describe, expect, it } from 'vitest';
import { addCollateral, addGuarantee } from '../../src/main/features/loans/collateral';
import { getLoan } from '../../src/main/features/loans/loans';
import { decideClassification, proposeClassification } from '../../src/main/features/repayments/classification';
import { loanLedger } from '../../src/main/features/repayments/ledger';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs, residentId } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

describe('the ledger dates what happened at a moment by its business day in Beijing', () => {
  it('a classification, a guarantee and a collateral registered at 07:30 Beijing (23:30 UTC the day before) fall on the Beijing day, after the repayment that caused them', async () => {
    env = newEnv();
    env.clock.t = Date.parse('2026-03-01T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const b = await borrower(env.ctx);
    // 2026-02-15 fell due unpaid: the loan is special mention.
    const l = await loan(env.ctx, b.id, { guaranteeModes: ['credit'] });
    expect(l.state.level).toBe('special-mention');

    // 2026-03-02 07:30 in Beijing; the UTC prefix still says 2026-03-01.
    env.clock.t = Date.parse('2026-03-01T23:30:00Z');
    await loginAs(env.ctx, 'officer1');
    const now = await getLoan(env.ctx, { id: l.loan.id, asOf: null });
    expect(now.state.asOf).toBe('2026-03-02');
    const due = now.schedule[0];
    const paid = await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-03-02', amountFen: due.principalFen + due.interestFen + now.state.penaltyOutstandingFen, note: '现金' });
    expect(paid.state.level).toBe('normal');
    await addGuarantee(env.ctx, {
      loanId: l.loan.id,
      guarantor: { kind: 'person', name: '王保证', idNumber: residentId('11010519750808123'), phone: '13900000000', address: '北京市海淀区中关村大街1号' },
      guaranteeType: 'joint',
      amountFen: 12_000_000,
      periodEnd: '2027-07-15',
    });
    await addCollateral(env.ctx, { loanId: l.loan.id, kind: 'mortgage', type: '房产', description: '朝阳区住宅一套', owner: '张三', registrationAuthority: '不动产登记中心', registrationNo: '京抵2026第1号', valueFen: 50_000_000, valuedOn: '2026-03-01', certificates: [] });
    const proposed = await proposeClassification(env.ctx, { loanId: l.loan.id, level: 'substandard', reason: '经营恶化，主要客户流失' });
    await actAs(env.ctx, 'supervisor1');
    await decideClassification(env.ctx, { proposalId: proposed.classifications.find((c) => c.status === 'pending')!.id, approve: true, comment: '同意下调' });

    const { entries } = await loanLedger(env.ctx, { loanId: l.loan.id });
    expect(entries.map((e) => [e.date, e.kind, e.classification?.level ?? null])).toEqual([
      ['2026-01-15', 'disbursement', null],
      // Classified special mention when the loan was entered (10:00 Beijing on 2026-03-01).
      ['2026-03-01', 'classification', 'special-mention'],
      ['2026-03-02', 'guarantee', null],
      ['2026-03-02', 'collateral', null],
      ['2026-03-02', 'repayment', null],
      ['2026-03-02', 'classification', 'normal'],
      ['2026-03-02', 'classification', 'substandard'],
    ]);
  });
});
