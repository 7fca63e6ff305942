import { describe, expect, it } from 'vitest';
import { buildSchedule } from '../../../src/shared/domain/schedule';
import { replayLoan } from '../../../src/shared/domain/loanState';
import { prepaymentFee, previewPayment, settlementQuoteOf } from '../../../src/shared/domain/settlement';

// 12,000.00 yuan, 等额本金 at 6 % over 3 months from 2026-01-15, penalty uplift 50 %:
//   period 1 due 2026-02-15: principal 4,000.00, interest 12,000.00 × 0.5 % = 60.00
//   period 2 due 2026-03-15: principal 4,000.00, interest  8,000.00 × 0.5 % = 40.00
//   period 3 due 2026-04-15: principal 4,000.00, interest  4,000.00 × 0.5 % = 20.00
const schedule = buildSchedule({ principalFen: 1_200_000, annualRate: '6', months: 3, method: 'equal-principal', startDate: '2026-01-15' });
const terms = { annualRate: '6', penaltyUplift: '0.5', startDate: '2026-01-15' };

describe('money beyond what is due', () => {
  it('is held as 溢收款 and meets the next instalment on its due date, never its interest before', () => {
    expect(schedule.map((r) => [r.principalFen, r.interestFen])).toEqual([
      [400_000, 6_000],
      [400_000, 4_000],
      [400_000, 2_000],
    ]);
    // 2026-03-01: period 1 is 14 days overdue. Penalty 4,000.00 × 6 % × 1.5 ÷ 360 × 14 = 14.00.
    // Due: 14.00 + 60.00 + 4,000.00 = 4,074.00. Paid 5,000.00: 926.00 held.
    const pays = [{ id: 1, date: '2026-03-01', amountFen: 500_000, excess: 'credit' as const }];
    const mid = replayLoan(schedule, pays, '2026-03-10', terms);
    expect(mid.allocations[0]).toMatchObject({ penaltyFen: 1_400, interestFen: 6_000, principalFen: 400_000, unallocatedFen: 92_600, feeFen: 0 });
    expect(mid.creditFen).toBe(92_600);
    expect(mid.periods[1]).toMatchObject({ interestPaidFen: 0, principalPaidFen: 0, status: 'future' });
    // On 2026-03-15 the 926.00 meets period 2: 40.00 interest, then 886.00 principal; 3,114.00 stays due.
    const due = replayLoan(schedule, pays, '2026-03-15', terms);
    expect(due.creditFen).toBe(0);
    expect(due.creditApplications).toEqual([{ date: '2026-03-15', penaltyFen: 0, interestFen: 4_000, principalFen: 88_600 }]);
    expect(due.periods[1]).toMatchObject({ interestPaidFen: 4_000, principalPaidFen: 88_600, status: 'due' });
    expect(due.balanceFen).toBe(1_200_000 - 400_000 - 88_600);
    // Before these rules ('advance') the same payment took period 2's 40.00 interest three weeks early.
    const old = replayLoan(schedule, [{ id: 1, date: '2026-03-01', amountFen: 500_000 }], '2026-03-10', terms);
    expect(old.allocations[0]).toMatchObject({ interestFen: 10_000, principalFen: 488_600 });
  });

  it('the preview says when a payment exceeds what is due and holds the rest', () => {
    const p = previewPayment(schedule, [], terms, { date: '2026-03-01', amountFen: 500_000, excess: 'credit' }, { kind: 'none' });
    expect(p).toMatchObject({ dueFen: 407_400, penaltyFen: 1_400, interestFen: 6_000, principalFen: 400_000, creditFen: 92_600, exceedsDue: true, paysOff: false, needsConfirmation: true });
    expect(p.periods).toEqual([{ period: 1, dueDate: '2026-02-15', penaltyFen: 1_400, interestFen: 6_000, principalFen: 400_000 }]);
    const exact = previewPayment(schedule, [], terms, { date: '2026-03-01', amountFen: 407_400, excess: 'credit' }, { kind: 'none' });
    expect(exact).toMatchObject({ creditFen: 0, exceedsDue: false, needsConfirmation: false });
  });
});

describe('early settlement', () => {
  // Period 1 paid on its due date (4,060.00). On 2026-03-01: principal 8,000.00 outstanding, interest since
  // 2026-02-15 for 14 days = 8,000.00 × 6 % × 14 ÷ 360 = 18.666… → 18.67.
  const paid = [{ id: 1, date: '2026-02-15', amountFen: 406_000, excess: 'credit' as const }];

  it('quotes principal, interest to the date, penalty and the product fee', () => {
    expect(settlementQuoteOf(schedule, paid, '2026-03-01', terms, { kind: 'none' })).toEqual({
      date: '2026-03-01',
      principalFen: 800_000,
      interestFen: 1_867,
      penaltyFen: 0,
      feeFen: 0,
      totalFen: 801_867,
      creditFen: 0,
      payableFen: 801_867,
    });
    // 1 % of 8,000.00 = 80.00; one month of interest on it = 8,000.00 × 6 % ÷ 12 = 40.00.
    expect(settlementQuoteOf(schedule, paid, '2026-03-01', terms, { kind: 'percent', percent: '1' }).feeFen).toBe(8_000);
    expect(settlementQuoteOf(schedule, paid, '2026-03-01', terms, { kind: 'months', months: 1 }).totalFen).toBe(801_867 + 4_000);
  });

  it('with overdue amounts: penalty and the overdue interest are in the quote, interest runs from the last due date', () => {
    // Nothing paid. 2026-03-01: period 1 overdue (4,000.00 + 60.00, penalty 14.00); 8,000.00 not yet due,
    // interest 2026-02-15 → 03-01 = 18.67. Total 12,000.00 + 78.67 + 14.00 = 12,092.67.
    expect(settlementQuoteOf(schedule, [], '2026-03-01', terms, { kind: 'none' })).toMatchObject({ principalFen: 1_200_000, interestFen: 7_867, penaltyFen: 1_400, totalFen: 1_209_267 });
    // In the first period interest runs from the drawdown: 2026-01-15 → 02-01 = 17 days on 12,000.00 = 34.00.
    expect(settlementQuoteOf(schedule, [], '2026-02-01', terms, { kind: 'none' })).toMatchObject({ interestFen: 3_400, totalFen: 1_203_400 });
  });

  it('a settlement pays the quote, closes the loan and holds the rest; future interest is not charged', () => {
    const p = previewPayment(schedule, paid, terms, { date: '2026-03-01', amountFen: 1_000_000, excess: 'settle' }, { kind: 'percent', percent: '1' });
    expect(p).toMatchObject({ settles: true, paysOff: true, principalFen: 800_000, interestFen: 1_867, feeFen: 8_000, creditFen: 1_000_000 - 809_867, balanceAfterFen: 0, needsConfirmation: true });
    const st = replayLoan(schedule, [...paid, { id: 2, date: '2026-03-01', amountFen: 1_000_000, excess: 'settle', feeFen: 8_000 }], '2026-06-01', terms);
    expect(st).toMatchObject({ paidOff: true, balanceFen: 0, settledOn: '2026-03-01', creditFen: 190_133, dpd: 0 });
    expect(st.periods.map((x) => [x.interestFen, x.status])).toEqual([
      [6_000, 'paid'],
      [1_867, 'paid'],
      [0, 'paid'],
    ]);
  });

  it('too little to settle is not a settlement: the excess is held', () => {
    const p = previewPayment(schedule, paid, terms, { date: '2026-03-01', amountFen: 500_000, excess: 'settle' }, { kind: 'none' });
    expect(p).toMatchObject({ settles: false, paysOff: false, creditFen: 500_000, quote: { totalFen: 801_867 } });
  });

  it('fees round half-up once', () => {
    expect(prepaymentFee({ kind: 'percent', percent: '0.5' }, 101, '6')).toBe(1); // 0.505 → 1
    expect(prepaymentFee({ kind: 'months', months: 2 }, 100_000, '4.35')).toBe(725); // 1,000.00 × 4.35 % ÷ 12 × 2 = 7.25
    expect(prepaymentFee({ kind: 'none' }, 100_000, '4.35')).toBe(0);
  });
});
