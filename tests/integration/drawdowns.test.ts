import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cardPdfByLoan } from '../../src/main/features/loans/printing';
import { addDrawdown, listDrawdowns } from '../../src/main/features/drawdowns/drawdowns';
import { loanLedger } from '../../src/main/features/repayments/ledger';
import { getLoan } from '../../src/main/features/loans/loans';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { rawQuery } from '../helpers/storeSql';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

async function world(contractAmountFen: number | null = 20_000_000) {
  env = newEnv();
  env.clock.t = Date.parse('2026-04-10T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  return loan(env.ctx, b.id, { contractAmountFen, principalFen: 12_000_000, method: 'equal-principal', annualRate: '6' });
}

describe('further drawdowns (分次放款)', () => {
  it('a drawdown within the contract amount reschedules to maturity; ledger, balance and history follow', async () => {
    const l = await world();
    await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-02-15', amountFen: 1_060_000, note: '' });
    const v = await addDrawdown(env.ctx, { loanId: l.loan.id, drawnOn: '2026-04-01', amountFen: 6_000_000, voucherNo: 'FK-2026-002' });
    expect(v).toMatchObject({ contractAmountFen: 20_000_000, drawnFen: 18_000_000, availableFen: 2_000_000 });
    expect(v.drawdowns.map((d) => [d.seq, d.drawnOn, d.amountFen, d.voucherNo])).toEqual([
      [1, '2026-01-15', 12_000_000, ''],
      [2, '2026-04-01', 6_000_000, 'FK-2026-002'],
    ]);
    const d = await getLoan(env.ctx, { id: l.loan.id, asOf: null });
    expect(d.schedule.reduce((n, p) => n + p.principalFen, 0)).toBe(18_000_000);
    expect(d.schedule.at(-1)!.dueDate).toBe('2027-01-15');
    // The February payment stays on its period; March is overdue as before.
    expect(d.schedule[0]).toMatchObject({ dueDate: '2026-02-15', principalFen: 1_000_000 });
    expect(d.state.dpd).toBe(26);
    const ledger = (await loanLedger(env.ctx, { loanId: l.loan.id })).entries;
    const disb = ledger.filter((e) => e.kind === 'disbursement');
    expect(disb.map((e) => [e.date, e.amountFen])).toEqual([
      ['2026-01-15', 12_000_000],
      ['2026-04-01', 6_000_000],
    ]);
    expect(disb[1].description).toContain('FK-2026-002');
    expect(ledger.at(-1)!.balanceFen).toBe(17_000_000);
    const audit = await rawQuery(env.ctx, `SELECT actor FROM audit_log WHERE action = 'loans.drawdown'`);
    expect(audit).toEqual([{ actor: 'officer1' }]);
    expect((await listDrawdowns(env.ctx, { loanId: l.loan.id })).drawdowns).toHaveLength(2);
    // The post-loan card lists both disbursements.
    const card = await cardPdfByLoan(env.ctx, { loanId: l.loan.id });
    const file = join(env.root, 'card.pdf');
    writeFileSync(file, Buffer.from(card.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/合同金额 ¥?200,000\.00.*已放款 ¥?180,000\.00.*尚可放款 ¥?20,000\.00/);
    expect(text).toMatch(/2\s+2026-04-01\s+60,000\.00\s+FK-2026-002/);
  });

  it('refuses over the contract, before the last drawdown, in the future, at maturity, and a fully drawn contract, each with the rule', async () => {
    const l = await world();
    const add = (drawnOn: string, amountFen: number) => fail(addDrawdown(env.ctx, { loanId: l.loan.id, drawnOn, amountFen, voucherNo: '' }));
    const over = await add('2026-04-01', 8_000_001);
    expect([over.code, over.message, over.issues?.[0].path]).toEqual(['RULE_VIOLATION', '超出合同金额：合同金额 200,000.00 元，已放款 120,000.00 元，尚可放款 80,000.00 元。', 'amountFen']);
    expect((await add('2026-01-14', 100)).message).toBe('放款日期不能早于上一次放款日期 2026-01-15。');
    expect((await add('2026-04-11', 100)).message).toBe('放款日期不能晚于今天（2026-04-10）。');
    await addDrawdown(env.ctx, { loanId: l.loan.id, drawnOn: '2026-03-01', amountFen: 100, voucherNo: '' });
    expect((await add('2026-02-28', 100)).message).toContain('2026-03-01');
    const short = await loan(env.ctx, l.loan.borrowerId, { contractNo: 'HT-SHORT', months: 2, contractAmountFen: 20_000_000 });
    expect(short.loan.maturityDate).toBe('2026-03-15');
    expect((await fail(addDrawdown(env.ctx, { loanId: short.loan.id, drawnOn: '2026-03-15', amountFen: 100, voucherNo: '' }))).message).toBe('放款日期必须早于到期日 2026-03-15。');
    const none = await world(null);
    const e = await fail(addDrawdown(env.ctx, { loanId: none.loan.id, drawnOn: '2026-04-01', amountFen: 100, voucherNo: '' }));
    expect(e.message).toContain('尚可放款 0.00 元');
  });

  it('officers draw only on their own loans; a read-only role cannot draw; bad input is refused in main', async () => {
    const l = await world();
    await loginAs(env.ctx, 'officer2');
    expect((await fail(addDrawdown(env.ctx, { loanId: l.loan.id, drawnOn: '2026-04-01', amountFen: 100, voucherNo: '' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'archivist1');
    expect((await fail(addDrawdown(env.ctx, { loanId: l.loan.id, drawnOn: '2026-04-01', amountFen: 100, voucherNo: '' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'officer1');
    const call = dispatcherFor(env.ctx);
    for (const bad of [{ amountFen: 0 }, { amountFen: 1.5 }, { drawnOn: '2026-02-30' }, { voucherNo: 'x'.repeat(61) }]) {
      const r = (await call('drawdowns.add', { loanId: l.loan.id, drawnOn: '2026-04-01', amountFen: 100, voucherNo: '', ...bad })) as { ok: boolean; error?: { code: string } };
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      expect(r.error!.code).toBe('VALIDATION');
    }
    const c = await fail(loan(env.ctx, (await borrower(env.ctx, '王五', '11010519900307001')).id, { contractNo: 'HT-X', contractAmountFen: 100 }));
    expect([c.code, c.issues?.[0].path]).toEqual(['VALIDATION', 'contractAmountFen']);
  });
});
