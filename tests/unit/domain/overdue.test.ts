import { describe, expect, it } from 'vitest';
import {
  allocatePayment,
  buildSchedule,
  daysPastDue,
  dpdBucket,
  overdueSummary,
  penaltyAccrued,
  penaltyDailyRate,
  toDecimalString,
  type ScheduleRow,
} from '../../../src/shared/domain';

describe('allocatePayment', () => {
  const dues = [
    { period: 2, principalFen: 1000, interestFen: 100, penaltyFen: 10 },
    { period: 1, principalFen: 1000, interestFen: 100, penaltyFen: 20 },
  ];

  it('pays the oldest period first, penalty → interest → principal by default', () => {
    const result = allocatePayment(dues, 1150);
    expect(result.allocations).toEqual([
      { period: 1, penaltyFen: 20, interestFen: 100, principalFen: 1000, totalFen: 1120 },
      { period: 2, penaltyFen: 10, interestFen: 20, principalFen: 0, totalFen: 30 },
    ]);
    expect(result.remaining).toEqual([
      { period: 1, penaltyFen: 0, interestFen: 0, principalFen: 0, totalFen: 0 },
      { period: 2, penaltyFen: 0, interestFen: 80, principalFen: 1000, totalFen: 1080 },
    ]);
    expect(result.unallocatedFen).toBe(0);
  });

  it('follows a configured order within each period', () => {
    const result = allocatePayment(dues, 1050, ['interest', 'principal', 'penalty']);
    expect(result.allocations).toEqual([{ period: 1, penaltyFen: 0, interestFen: 100, principalFen: 950, totalFen: 1050 }]);
    expect(result.remaining[0]).toMatchObject({ penaltyFen: 20, principalFen: 50 });
  });

  it('returns an overpayment as unallocated', () => {
    const result = allocatePayment(dues, 3000);
    expect(result.unallocatedFen).toBe(3000 - 2230);
    expect(result.remaining.every((r) => r.totalFen === 0)).toBe(true);
  });

  it('allocates nothing from a zero payment', () => {
    const result = allocatePayment(dues, 0);
    expect(result.allocations).toEqual([]);
    expect(result.remaining.map((r) => r.totalFen)).toEqual([1120, 1110]);
  });

  it('accepts schedule rows as they are (no penalty)', () => {
    const rows = buildSchedule({ principalFen: 300000, annualRate: '12', months: 3, method: 'equal-principal', startDate: '2026-01-15' });
    const result = allocatePayment(rows, 105000);
    expect(result.allocations).toEqual([
      { period: 1, penaltyFen: 0, interestFen: 3000, principalFen: 100000, totalFen: 103000 },
      { period: 2, penaltyFen: 0, interestFen: 2000, principalFen: 0, totalFen: 2000 },
    ]);
  });

  it('refuses bad input', () => {
    expect(() => allocatePayment(dues, -1)).toThrow(RangeError);
    expect(() => allocatePayment(dues, 1.5)).toThrow(RangeError);
    expect(() => allocatePayment(dues, 100, ['interest', 'principal'])).toThrow(/顺序/);
    expect(() => allocatePayment(dues, 100, ['interest', 'interest', 'principal'])).toThrow(RangeError);
    expect(() => allocatePayment([...dues, { period: 1, principalFen: 1, interestFen: 0 }], 100)).toThrow(/重复/);
    expect(() => allocatePayment([{ period: 1, principalFen: -1, interestFen: 0 }], 100)).toThrow(RangeError);
  });
});

describe('penalty interest', () => {
  it('daily penalty rate = annual × (1 + uplift) ÷ 360', () => {
    expect(toDecimalString(penaltyDailyRate({ annualRate: '4.35', penaltyUplift: '0.5' }), 8)).toBe('0.00018125');
    expect(toDecimalString(penaltyDailyRate({ annualRate: '12', penaltyUplift: '0.3' }), 8)).toBe('0.00043333');
  });

  it('accrues per day and rounds half-up once at the end', () => {
    // 10,000 yuan × 4.35 % × 1.5 × 30 / 360 = 5,437.5 fen → 5,438.
    expect(penaltyAccrued({ amountFen: 1_000_000, annualRate: '4.35', penaltyUplift: '0.5', from: '2026-01-10', to: '2026-02-09' })).toBe(5438);
    // Rounding daily would give 30 × round(181.25) = 5,430.
    expect(penaltyAccrued({ amountFen: 1_000_000, annualRate: '4.35', penaltyUplift: '0.5', from: '2026-01-10', to: '2026-01-11' })).toBe(181);
    expect(penaltyAccrued({ amountFen: 1_000_000, annualRate: '4.35', penaltyUplift: '0.5', from: '2026-01-10', to: '2026-01-10' })).toBe(0);
  });

  it('refuses bad terms and spans', () => {
    const ok = { amountFen: 1000, annualRate: '4.35', penaltyUplift: '0.5', from: '2026-01-10', to: '2026-02-09' };
    expect(() => penaltyAccrued({ ...ok, to: '2026-01-09' })).toThrow(RangeError);
    expect(() => penaltyAccrued({ ...ok, penaltyUplift: '1.5' })).toThrow(/上浮/);
    expect(() => penaltyAccrued({ ...ok, penaltyUplift: '-0.1' })).toThrow(/上浮/);
    expect(() => penaltyAccrued({ ...ok, penaltyUplift: '50%' })).toThrow(/上浮/);
    expect(() => penaltyAccrued({ ...ok, annualRate: '0' })).toThrow(/年利率/);
    expect(() => penaltyAccrued({ ...ok, amountFen: -1 })).toThrow(RangeError);
    expect(() => penaltyAccrued({ ...ok, from: '2026-02-30' })).toThrow(RangeError);
  });
});

describe('dpdBucket', () => {
  it.each([
    [0, 'M0'],
    [1, 'M1'],
    [30, 'M1'],
    [31, 'M2'],
    [60, 'M2'],
    [61, 'M3'],
    [90, 'M3'],
    [91, 'M4'],
    [120, 'M4'],
    [121, 'M5'],
    [150, 'M5'],
    [151, 'M6'],
    [180, 'M6'],
    [181, 'M7+'],
    [1000, 'M7+'],
  ])('%d days → %s', (dpd, bucket) => {
    expect(dpdBucket(dpd)).toBe(bucket);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %s', (dpd) => {
    expect(() => dpdBucket(dpd)).toThrow(RangeError);
  });
});

describe('daysPastDue', () => {
  // Interest 12,000 fen due 2026-02-15, 03-15 and 04-15; principal 1,200,000 fen with the last.
  const schedule = buildSchedule({ principalFen: 1_200_000, annualRate: '12', months: 3, method: 'monthly-interest', startDate: '2026-01-15' });

  it('is 0 before and on the first due date', () => {
    expect(daysPastDue(schedule, [], '2026-02-01')).toBe(0);
    expect(daysPastDue(schedule, [], '2026-02-15')).toBe(0);
  });

  it('counts asOf − due date of the oldest unpaid period', () => {
    expect(daysPastDue(schedule, [], '2026-02-16')).toBe(1);
    expect(daysPastDue(schedule, [], '2026-03-20')).toBe(33);
    expect(daysPastDue(schedule, [], '2026-05-01')).toBe(75);
  });

  it('moves to the next unpaid period once the oldest is paid, even late', () => {
    expect(daysPastDue(schedule, [{ date: '2026-02-20', amountFen: 12000 }], '2026-03-20')).toBe(5);
    expect(daysPastDue(schedule, [{ date: '2026-02-20', amountFen: 11999 }], '2026-03-20')).toBe(33);
  });

  it('sums several payments and counts a payment made on asOf', () => {
    const payments = [
      { date: '2026-03-20', amountFen: 6000 },
      { date: '2026-02-20', amountFen: 6000 },
    ];
    expect(daysPastDue(schedule, payments, '2026-03-20')).toBe(5);
    expect(daysPastDue(schedule, payments, '2026-03-19')).toBe(32);
  });

  it('ignores payments after asOf', () => {
    expect(daysPastDue(schedule, [{ date: '2026-03-21', amountFen: 1_300_000 }], '2026-03-20')).toBe(33);
  });

  it('lets a prepayment cover later periods', () => {
    expect(daysPastDue(schedule, [{ date: '2026-02-01', amountFen: 24000 }], '2026-04-10')).toBe(0);
    expect(daysPastDue(schedule, [{ date: '2026-02-01', amountFen: 24000 }], '2026-04-16')).toBe(1);
  });

  it('is 0 once everything is repaid', () => {
    expect(daysPastDue(schedule, [{ date: '2026-04-15', amountFen: 1_236_000 }], '2027-01-01')).toBe(0);
  });

  it('refuses an invalid asOf or payment', () => {
    expect(() => daysPastDue(schedule, [], '2026-02-30')).toThrow(RangeError);
    expect(() => daysPastDue(schedule, [{ date: '2026-02-20', amountFen: -1 }], '2026-03-01')).toThrow(RangeError);
  });
});

describe('overdueSummary', () => {
  // Principal 100,000 fen each month; interest 3,000, 2,000, 1,000; due 02-15, 03-15, 04-15.
  const schedule = buildSchedule({ principalFen: 300000, annualRate: '12', months: 3, method: 'equal-principal', startDate: '2026-01-15' });
  // Daily penalty rate 12 % × 1.5 / 360 = 0.05 %.
  const terms = { annualRate: '12', penaltyUplift: '0.5' };

  it('reports nothing when current', () => {
    expect(overdueSummary(schedule, [], '2026-02-15', terms)).toEqual({
      overduePrincipalFen: 0,
      overdueInterestFen: 0,
      penaltyFen: 0,
      oldestUnpaidDueDate: null,
      overduePeriods: [],
      dpd: 0,
      bucket: 'M0',
    });
  });

  it('adds up two overdue periods and their penalty', () => {
    // Period 1: 100,000 × 38 days × 0.05 % = 1,900; period 2: 100,000 × 10 × 0.05 % = 500.
    expect(overdueSummary(schedule, [], '2026-03-25', terms)).toEqual({
      overduePrincipalFen: 200000,
      overdueInterestFen: 5000,
      penaltyFen: 2400,
      oldestUnpaidDueDate: '2026-02-15',
      overduePeriods: [1, 2],
      dpd: 38,
      bucket: 'M2',
    });
  });

  it('accrues penalty on the principal actually outstanding each day', () => {
    // 53,000 on 03-01 pays period 1's interest and half its principal:
    // 100,000 × 14 days + 50,000 × 24 days = 2,600,000 fen-days × 0.05 % = 1,300; period 2 still 500.
    const s = overdueSummary(schedule, [{ date: '2026-03-01', amountFen: 53000 }], '2026-03-25', terms);
    expect(s).toMatchObject({ overduePrincipalFen: 150000, overdueInterestFen: 2000, penaltyFen: 1800, dpd: 38, overduePeriods: [1, 2] });
  });

  it('keeps the penalty accrued on a period that was paid late', () => {
    // Period 1 paid in full on 03-01: 100,000 × 14 × 0.05 % = 700; period 2: 500.
    const s = overdueSummary(schedule, [{ date: '2026-03-01', amountFen: 103000 }], '2026-03-25', terms);
    expect(s).toMatchObject({
      overduePrincipalFen: 100000,
      overdueInterestFen: 2000,
      penaltyFen: 1200,
      oldestUnpaidDueDate: '2026-03-15',
      overduePeriods: [2],
      dpd: 10,
      bucket: 'M1',
    });
  });

  it('charges no penalty when principal was paid by the due date', () => {
    const s = overdueSummary(schedule, [{ date: '2026-02-15', amountFen: 103000 }], '2026-03-10', terms);
    expect(s).toMatchObject({ penaltyFen: 0, dpd: 0, overduePeriods: [] });
  });

  it('charges no penalty on overdue interest alone', () => {
    // Principal paid on time but 1 fen of interest left: the period is overdue, the penalty base is zero.
    const s = overdueSummary(schedule, [{ date: '2026-02-15', amountFen: 102999 }], '2026-03-10', terms);
    expect(s).toMatchObject({ overduePrincipalFen: 1, overdueInterestFen: 0, penaltyFen: 0, dpd: 23 });
  });

  it('rounds each period’s penalty once, half-up', () => {
    const rows: ScheduleRow[] = [
      { period: 1, dueDate: '2026-02-15', principalFen: 3, interestFen: 0, totalFen: 3, balanceFen: 3 },
      { period: 2, dueDate: '2026-02-16', principalFen: 3, interestFen: 0, totalFen: 3, balanceFen: 0 },
    ];
    // Daily 0.05 %: period 1 = 3 × 300 days = 0.45 fen → 0, period 2 = 3 × 299 = 0.4485 → 0.
    expect(overdueSummary(rows, [], '2026-12-12', terms).penaltyFen).toBe(0);
    // 3 × 334 days = 0.501 fen → 1; 3 × 333 = 0.4995 → 0.
    expect(overdueSummary(rows, [], '2027-01-15', terms).penaltyFen).toBe(1);
  });

  it('refuses bad terms', () => {
    expect(() => overdueSummary(schedule, [], '2026-03-25', { annualRate: '12', penaltyUplift: 'x' })).toThrow(RangeError);
  });
});
