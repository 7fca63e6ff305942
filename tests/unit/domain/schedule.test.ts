import { describe, expect, it } from 'vitest';
import {
  buildSchedule,
  equalInstallmentPayment,
  REPAYMENT_METHODS,
  type ScheduleInput,
  type ScheduleRow,
} from '../../../src/shared/domain';

const sum = (rows: ScheduleRow[], key: 'principalFen' | 'interestFen' | 'totalFen'): number =>
  rows.reduce((s, r) => s + r[key], 0);

function expectConsistent(rows: ScheduleRow[], principal: number): void {
  expect(sum(rows, 'principalFen')).toBe(principal);
  expect(rows.at(-1)?.balanceFen).toBe(0);
  let balance = principal;
  rows.forEach((r, i) => {
    expect(r.period).toBe(i + 1);
    expect(r.totalFen).toBe(r.principalFen + r.interestFen);
    expect(r.principalFen).toBeGreaterThanOrEqual(0);
    expect(r.interestFen).toBeGreaterThanOrEqual(0);
    for (const v of [r.principalFen, r.interestFen, r.totalFen, r.balanceFen]) expect(Number.isSafeInteger(v)).toBe(true);
    balance -= r.principalFen;
    expect(r.balanceFen).toBe(balance);
  });
}

describe('等额本息 equal-installment', () => {
  const mortgage: ScheduleInput = {
    principalFen: 100_000_000,
    annualRate: '4.9',
    months: 360,
    method: 'equal-installment',
    startDate: '2026-01-15',
  };

  it('1,000,000 yuan at 4.9 % over 360 months pays 5,307.27 a month', () => {
    const rows = buildSchedule(mortgage);
    expect(rows).toHaveLength(360);
    expect(equalInstallmentPayment(100_000_000, '4.9', 360)).toBe(530727);
    expect(rows.slice(0, 359).every((r) => r.totalFen === 530727)).toBe(true);
    expectConsistent(rows, 100_000_000);
  });

  it('splits the first periods as bank calculators do (4,083.33 interest, 1,223.94 principal)', () => {
    const [first, second] = buildSchedule(mortgage);
    expect(first).toEqual({ period: 1, dueDate: '2026-02-15', principalFen: 122394, interestFen: 408333, totalFen: 530727, balanceFen: 99877606 });
    expect(second).toEqual({ period: 2, dueDate: '2026-03-15', principalFen: 122893, interestFen: 407834, totalFen: 530727, balanceFen: 99754713 });
  });

  it('lets the last period absorb the rounding', () => {
    const rows = buildSchedule(mortgage);
    expect(rows[358]).toMatchObject({ principalFen: 526420, interestFen: 4307, balanceFen: 528362 });
    expect(rows[359]).toEqual({ period: 360, dueDate: '2056-01-15', principalFen: 528362, interestFen: 2157, totalFen: 530519, balanceFen: 0 });
    expect(sum(rows, 'interestFen')).toBe(91061512);
  });

  it('matches a hand-checked 12-month table (1,200 yuan at 12 %)', () => {
    const rows = buildSchedule({ principalFen: 120000, annualRate: '12', months: 12, method: 'equal-installment', startDate: '2026-01-31' });
    expect(rows.map((r) => [r.principalFen, r.interestFen, r.balanceFen])).toEqual([
      [9462, 1200, 110538],
      [9557, 1105, 100981],
      [9652, 1010, 91329],
      [9749, 913, 81580],
      [9846, 816, 71734],
      [9945, 717, 61789],
      [10044, 618, 51745],
      [10145, 517, 41600],
      [10246, 416, 31354],
      [10348, 314, 21006],
      [10452, 210, 10554],
      [10554, 106, 0],
    ]);
    expect(rows.at(-1)?.totalFen).toBe(10660);
  });

  it.each([
    [50_000_000, '3.95', 240, 301674],
    [30_000_000, '4.35', 120, 308751],
    [100_000_000, '3.1', 360, 427016],
    [1_000_000, '36', 600, 30000],
  ])('payment for %d fen at %s %% over %d months is %d fen (exact reference)', (p, rate, n, payment) => {
    expect(equalInstallmentPayment(p, rate, n)).toBe(payment);
  });

  it('stays within one fen of a float estimate and is internally consistent', () => {
    for (const [p, rate, n] of [
      [1, '4.9', 360],
      [99, '0.01', 600],
      [7_777_777, '18.25', 37],
      [9_000_000_000, '35.99', 600],
      [123_456_789, '0.3', 1],
    ] as const) {
      const rows = buildSchedule({ principalFen: p, annualRate: rate, months: n, method: 'equal-installment', startDate: '2026-03-31' });
      expectConsistent(rows, p);
      const r = Number(rate) / 1200;
      const estimate = (p * r * (1 + r) ** n) / ((1 + r) ** n - 1);
      expect(Math.abs(equalInstallmentPayment(p, rate, n) - estimate)).toBeLessThanOrEqual(1);
    }
  });

  it('one month: principal plus one month of interest', () => {
    expect(buildSchedule({ principalFen: 1_000_000, annualRate: '6', months: 1, method: 'equal-installment', startDate: '2026-01-10' })).toEqual([
      { period: 1, dueDate: '2026-02-10', principalFen: 1_000_000, interestFen: 5000, totalFen: 1_005_000, balanceFen: 0 },
    ]);
  });

  it('never lets rounding push the balance below zero on tiny loans', () => {
    const rows = buildSchedule({ principalFen: 5, annualRate: '0.01', months: 10, method: 'equal-installment', startDate: '2026-01-10' });
    expectConsistent(rows, 5);
    expect(rows.map((r) => r.principalFen)).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
  });
});

describe('due dates', () => {
  it('fall on the start day, clamped to month end, computed from the start date (not chained)', () => {
    const rows = buildSchedule({ principalFen: 600000, annualRate: '6', months: 5, method: 'equal-principal', startDate: '2026-01-31' });
    expect(rows.map((r) => r.dueDate)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30']);
  });

  it('use Feb 29 in leap years', () => {
    const rows = buildSchedule({ principalFen: 300000, annualRate: '6', months: 3, method: 'monthly-interest', startDate: '2023-11-30' });
    expect(rows.map((r) => r.dueDate)).toEqual(['2023-12-30', '2024-01-30', '2024-02-29']);
  });
});

describe('等额本金 equal-principal', () => {
  // Principal per period = P ÷ n rounded half-up to the fen; the last period takes what is left, so the
  // principals sum exactly to P. Interest = balance × annual ÷ 12, rounded half-up once per period.
  it('1,000,000 yuan at 4.9 % over 12 months, as a published table shows it', () => {
    const rows = buildSchedule({ principalFen: 100_000_000, annualRate: '4.9', months: 12, method: 'equal-principal', startDate: '2026-01-15' });
    expectConsistent(rows, 100_000_000);
    // 1,000,000 ÷ 12 = 83,333.333… → 83,333.33; interest 1,000,000 × 0.049 ÷ 12 = 4,083.333… → 4,083.33.
    expect(rows[0]).toEqual({ period: 1, dueDate: '2026-02-15', principalFen: 8_333_333, interestFen: 408_333, totalFen: 8_741_666, balanceFen: 91_666_667 });
    // 916,666.67 × 0.049 ÷ 12 = 3,743.055… → 3,743.06.
    expect(rows[1]).toMatchObject({ principalFen: 8_333_333, interestFen: 374_306, totalFen: 8_707_639, balanceFen: 83_333_334 });
    // Last: 1,000,000 − 11 × 83,333.33 = 83,333.37; interest 83,333.37 × 0.049 ÷ 12 = 340.278… → 340.28.
    expect(rows[11]).toEqual({ period: 12, dueDate: '2027-01-15', principalFen: 8_333_337, interestFen: 34_028, totalFen: 8_367_365, balanceFen: 0 });
    expect(sum(rows, 'interestFen')).toBe(2_654_167);
  });

  it('1,000,000 yuan at 4.9 % over 36 months: principal rounded half-up, the last period smaller', () => {
    const rows = buildSchedule({ principalFen: 100_000_000, annualRate: '4.9', months: 36, method: 'equal-principal', startDate: '2026-01-15' });
    expectConsistent(rows, 100_000_000);
    // 1,000,000 ÷ 36 = 27,777.777… → 27,777.78 (truncating gave 27,777.77 and a last period 0.28 too large).
    expect(rows[0]).toEqual({ period: 1, dueDate: '2026-02-15', principalFen: 2_777_778, interestFen: 408_333, totalFen: 3_186_111, balanceFen: 97_222_222 });
    // 972,222.22 × 0.049 ÷ 12 = 3,969.907… → 3,969.91.
    expect(rows[1]).toMatchObject({ principalFen: 2_777_778, interestFen: 396_991, totalFen: 3_174_769, balanceFen: 94_444_444 });
    // Last: 1,000,000 − 35 × 27,777.78 = 27,777.70; interest 27,777.70 × 0.049 ÷ 12 = 113.4256… → 113.43.
    expect(rows[35]).toEqual({ period: 36, dueDate: '2029-01-15', principalFen: 2_777_770, interestFen: 11_343, totalFen: 2_789_113, balanceFen: 0 });
    expect(sum(rows, 'interestFen')).toBe(7_554_166);
  });

  it('1,000,000 yuan at 4.9 % over 360 months', () => {
    const rows = buildSchedule({ principalFen: 100_000_000, annualRate: '4.9', months: 360, method: 'equal-principal', startDate: '2026-01-15' });
    expectConsistent(rows, 100_000_000);
    // 1,000,000 ÷ 360 = 2,777.777… → 2,777.78. Truncating to 2,777.77 left 2.80 yuan extra in the last period.
    expect(rows[0]).toEqual({ period: 1, dueDate: '2026-02-15', principalFen: 277_778, interestFen: 408_333, totalFen: 686_111, balanceFen: 99_722_222 });
    expect(rows[1]).toMatchObject({ principalFen: 277_778, interestFen: 407_199, totalFen: 684_977 });
    // Last: 1,000,000 − 359 × 2,777.78 = 2,776.98; interest 2,776.98 × 0.049 ÷ 12 = 11.339… → 11.34.
    expect(rows[359]).toMatchObject({ principalFen: 277_698, interestFen: 1134, totalFen: 278_832, balanceFen: 0 });
    expect(sum(rows, 'interestFen')).toBe(73_704_108);
  });

  it('rounds an uneven split half-up and leaves the remainder to the last period', () => {
    // 100 ÷ 3 = 33.33 → 33, last 34; 200 ÷ 3 = 66.67 → 67, last 66.
    expect(buildSchedule({ principalFen: 100, annualRate: '12', months: 3, method: 'equal-principal', startDate: '2026-01-15' }).map((r) => [r.principalFen, r.interestFen])).toEqual([
      [33, 1],
      [33, 1],
      [34, 0],
    ]);
    expect(buildSchedule({ principalFen: 200, annualRate: '12', months: 3, method: 'equal-principal', startDate: '2026-01-15' }).map((r) => r.principalFen)).toEqual([67, 67, 66]);
  });

  it('never takes more than the balance on a tiny loan', () => {
    // 5 ÷ 10 = 0.5 → 1 fen a period until the balance is gone.
    const rows = buildSchedule({ principalFen: 5, annualRate: '6', months: 10, method: 'equal-principal', startDate: '2026-01-15' });
    expectConsistent(rows, 5);
    expect(rows.map((r) => r.principalFen)).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
  });
});

describe('按月付息到期还本 monthly-interest', () => {
  it('charges balance × annual/12 monthly and repays principal at maturity', () => {
    const rows = buildSchedule({ principalFen: 1_000_000, annualRate: '6', months: 12, method: 'monthly-interest', startDate: '2026-01-15' });
    expectConsistent(rows, 1_000_000);
    expect(rows.slice(0, 11).every((r) => r.principalFen === 0 && r.interestFen === 5000 && r.balanceFen === 1_000_000)).toBe(true);
    expect(rows[11]).toEqual({ period: 12, dueDate: '2027-01-15', principalFen: 1_000_000, interestFen: 5000, totalFen: 1_005_000, balanceFen: 0 });
  });

  it('rounds interest half-up, not to even', () => {
    // 6 % / 12 = 0.5 % a month: 100 fen → 0.5 fen, 300 → 1.5, 500 → 2.5.
    const interest = (p: number): number =>
      buildSchedule({ principalFen: p, annualRate: '6', months: 2, method: 'monthly-interest', startDate: '2026-01-15' })[0].interestFen;
    expect(interest(100)).toBe(1);
    expect(interest(300)).toBe(2);
    expect(interest(500)).toBe(3);
    expect(interest(99)).toBe(0);
  });
});

describe('利随本清 bullet', () => {
  it('one payment at maturity with interest on actual days ÷ 360', () => {
    // 10,000 yuan at 4.35 %, 2026-01-15 → 2026-07-15 = 181 days: 1,000,000 × 0.0435 × 181 / 360 = 21,870.83 fen.
    expect(buildSchedule({ principalFen: 1_000_000, annualRate: '4.35', months: 6, method: 'bullet', startDate: '2026-01-15' })).toEqual([
      { period: 1, dueDate: '2026-07-15', principalFen: 1_000_000, interestFen: 21871, totalFen: 1_021_871, balanceFen: 0 },
    ]);
  });

  it('counts a leap year’s 366 days', () => {
    // 2024-01-15 → 2025-01-15 = 366 days: 1,000,000 × 0.0365 × 366 / 360 = 37,108.33 fen.
    const [row] = buildSchedule({ principalFen: 1_000_000, annualRate: '3.65', months: 12, method: 'bullet', startDate: '2024-01-15' });
    expect(row.dueDate).toBe('2025-01-15');
    expect(row.interestFen).toBe(37108);
  });

  it('clamps a Feb 29 start and rounds half-up', () => {
    // 2024-02-29 → 2025-02-28 = 365 days. 720 fen at 3.6 % → 720 × 0.036 × 365 / 360 = 26.28 fen.
    const [row] = buildSchedule({ principalFen: 720, annualRate: '3.6', months: 12, method: 'bullet', startDate: '2024-02-29' });
    expect(row.dueDate).toBe('2025-02-28');
    expect(row.interestFen).toBe(26);
    // 1000 fen at 3.6 %, 2026-01-01 → 02-01 = 31 days: 1000 × 0.036 × 31 / 360 = 3.1 → 3.
    expect(buildSchedule({ principalFen: 1000, annualRate: '3.6', months: 1, method: 'bullet', startDate: '2026-01-01' })[0].interestFen).toBe(3);
    // 125 fen at 36 %, 2026-02-01 → 03-01 = 28 days: 125 × 0.36 × 28 / 360 = 3.5 → 4.
    expect(buildSchedule({ principalFen: 125, annualRate: '36', months: 1, method: 'bullet', startDate: '2026-02-01' })[0].interestFen).toBe(4);
  });
});

describe('input validation', () => {
  const base: ScheduleInput = { principalFen: 100000, annualRate: '4.35', months: 12, method: 'equal-installment', startDate: '2026-01-15' };

  it.each([
    [{ principalFen: 0 }, /本金/],
    [{ principalFen: -100 }, /本金/],
    [{ principalFen: 100.5 }, /本金/],
    [{ principalFen: Number.MAX_SAFE_INTEGER + 1 }, /本金/],
    [{ annualRate: '0' }, /年利率/],
    [{ annualRate: '-1' }, /年利率/],
    [{ annualRate: '36.01' }, /年利率/],
    [{ annualRate: '4.35%' }, /年利率/],
    [{ annualRate: 'abc' }, /年利率/],
    [{ annualRate: '' }, /年利率/],
    [{ months: 0 }, /期限/],
    [{ months: 601 }, /期限/],
    [{ months: 1.5 }, /期限/],
    [{ startDate: '2026-02-30' }, /起息日/],
    [{ method: 'balloon' }, /还款方式/],
  ])('refuses %j', (patch, message) => {
    const input = { ...base, ...patch } as ScheduleInput;
    expect(() => buildSchedule(input)).toThrow(RangeError);
    expect(() => buildSchedule(input)).toThrow(message);
  });

  it('accepts the limits: 36 % and 600 months, for every method', () => {
    for (const method of REPAYMENT_METHODS) {
      const rows = buildSchedule({ ...base, annualRate: '36', months: 600, method });
      expect(rows).toHaveLength(method === 'bullet' ? 1 : 600);
      expectConsistent(rows, base.principalFen);
    }
  });
});
