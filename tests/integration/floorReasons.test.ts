import { afterEach, describe, expect, it } from 'vitest';
import { up as reasonCodes } from '../../src/main/db/migrations/0024_reason_codes';
import { loanLedger } from '../../src/main/features/repayments/ledger';
import { getLoan } from '../../src/main/features/loans/loans';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { requireLocalStore } from '../../src/main/kernel/store';
import { newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const OLD_SPECIAL = '逾期 14 天，存在逾期，至少为关注（《商业银行金融资产风险分类办法》）';

async function overdueLoan() {
  env = newEnv();
  env.clock.t = Date.parse('2026-03-01T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  // 2026-02-15 fell due unpaid: 14 days past due on 2026-03-01.
  return loan(env.ctx, (await borrower(env.ctx)).id);
}

describe('floor reasons as codes', () => {
  it('are stored and returned as codes with parameters; the history keeps the Chinese sentence as its text', async () => {
    const l = await overdueLoan();
    expect(l.state.floorReasons).toEqual([{ code: 'specialMention', params: { dpd: 14 } }]);
    const { sqlite } = requireLocalStore(env.ctx);
    const status = sqlite.prepare('SELECT floor_reasons FROM loan_status WHERE loan_id = ?').get(l.loan.id) as { floor_reasons: string };
    expect(JSON.parse(status.floor_reasons)).toEqual([{ code: 'specialMention', params: { dpd: 14 } }]);
    const system = l.classifications.find((c) => c.status === 'system' && c.level === 'special-mention')!;
    expect(system.floorReasons).toEqual([{ code: 'specialMention', params: { dpd: 14 } }]);
    expect(system.reason).toBe(OLD_SPECIAL);

    const entry = (await loanLedger(env.ctx, { loanId: l.loan.id })).entries.find((e) => e.classification?.level === 'special-mention')!;
    expect(entry.classification).toEqual({ level: 'special-mention', floorReasons: [{ code: 'specialMention', params: { dpd: 14 } }], comment: '' });
    expect(entry.description).toBe(`五级分类：关注（${OLD_SPECIAL}）`);
  });

  it('rows stored before codes are converted by migration 0024: known sentences become codes, anything else stays as text', async () => {
    const l = await overdueLoan();
    const { sqlite, db } = requireLocalStore(env.ctx);
    const system = l.classifications.find((c) => c.status === 'system' && c.level === 'special-mention')!;
    sqlite.prepare('UPDATE classifications SET floor_reasons = ? WHERE id = ?').run(JSON.stringify([OLD_SPECIAL, '旧版本的另一种措辞']), system.id);
    await reasonCodes(db);

    const d = await getLoan(env.ctx, { id: l.loan.id, asOf: null });
    expect(d.classifications.find((c) => c.id === system.id)!.floorReasons).toEqual([
      { code: 'specialMention', params: { dpd: 14 } },
      { code: 'legacy', params: { text: '旧版本的另一种措辞' } },
    ]);
    // Main words its own text (the Excel export) in the user's language from the codes.
    env.ctx.saveConfig({ locale: 'en' });
    const entry = (await loanLedger(env.ctx, { loanId: l.loan.id })).entries.find((e) => e.classification?.level === 'special-mention')!;
    expect(entry.description).toBe(
      'Classification: Special mention (14 days past due: any overdue makes it at least special mention (Measures for the Risk Classification of Financial Assets of Commercial Banks, 2023); 旧版本的另一种措辞)',
    );
  });

  it('the ledger comes in windows with its count; balances run from the first entry', async () => {
    const l = await overdueLoan();
    await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-02-20', amountFen: 500_000, note: '' });
    await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-03-01', amountFen: 2_000_000, note: '', confirm: true });
    const all = await loanLedger(env.ctx, { loanId: l.loan.id });
    expect(all.total).toBe(all.entries.length);
    expect(all.total).toBeGreaterThan(2);
    const window = await loanLedger(env.ctx, { loanId: l.loan.id, offset: 1, limit: 2 });
    expect(window.total).toBe(all.total);
    expect(window.entries).toEqual(all.entries.slice(1, 3));
    expect(window.entries.map((e) => e.kind)).toEqual(['repayment', 'repayment']);
    expect(window.entries[1].balanceFen).toBeLessThan(12_000_000);
  });
});
