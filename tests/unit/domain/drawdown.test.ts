import { describe, expect, it } from 'vitest';
import { buildSchedule, REPAYMENT_METHODS, scheduleAfterDrawdown, type DueRow } from '../../../src/shared/domain';

const base = (method: (typeof REPAYMENT_METHODS)[number]): DueRow[] =>
  buildSchedule({ principalFen: 12_000_000, annualRate: '6', months: 12, method, startDate: '2026-01-15' }).map((r) => ({ period: r.period, dueDate: r.dueDate, principalFen: r.principalFen, interestFen: r.interestFen }));
const sum = (rows: DueRow[]) => rows.reduce((n, r) => n + r.principalFen, 0);

describe('scheduleAfterDrawdown (分次放款)', () => {
  it.each(REPAYMENT_METHODS)('%s: keeps what fell due, spreads the rest plus the new money to maturity, principal sums exactly', (method) => {
    const rows = base(method);
    const next = scheduleAfterDrawdown({ rows, startDate: '2026-01-15', maturityDate: '2027-01-15', drawnOn: '2026-04-01', amountFen: 6_000_033, annualRate: '6', method });
    const kept = rows.filter((r) => r.dueDate <= '2026-04-01');
    expect(next.slice(0, kept.length)).toEqual(kept);
    expect(sum(next)).toBe(12_000_000 + 6_000_033);
    expect(next.at(-1)!.dueDate).toBe('2027-01-15');
    expect(next.map((r) => r.period)).toEqual(next.map((_, i) => i + 1));
    expect(next.every((r) => r.principalFen >= 0 && r.interestFen >= 0)).toBe(true);
  });

  it('charges the new money interest only from its drawdown date (actual/360) in the first new period', () => {
    const rows = base('equal-principal');
    const next = scheduleAfterDrawdown({ rows, startDate: '2026-01-15', maturityDate: '2027-01-15', drawnOn: '2026-04-01', amountFen: 6_000_000, annualRate: '6', method: 'equal-principal' });
    // Two periods fell due (02-15, 03-15). The rest is 100,000.00 yuan not yet due + 60,000.00 drawn, over the 10 months from 03-15.
    const outstanding = sum(rows.filter((r) => r.dueDate > '2026-04-01'));
    expect(outstanding).toBe(10_000_000);
    const full = buildSchedule({ principalFen: 16_000_000, annualRate: '6', months: 10, method: 'equal-principal', startDate: '2026-03-15' });
    // 60,000.00 × 6 % × 17 days (03-15 → 04-01) ÷ 360 = 170.00 yuan not owed.
    expect(next[2]).toMatchObject({ dueDate: '2026-04-15', principalFen: full[0].principalFen, interestFen: full[0].interestFen - 17_000 });
    expect(next.slice(3).map((r) => r.interestFen)).toEqual(full.slice(1).map((r) => r.interestFen));
  });

  it('a drawdown before the first due date reschedules from the start; the same day as the start costs nothing extra', () => {
    const rows = base('equal-installment');
    const same = scheduleAfterDrawdown({ rows, startDate: '2026-01-15', maturityDate: '2027-01-15', drawnOn: '2026-01-15', amountFen: 12_000_000, annualRate: '6', method: 'equal-installment' });
    const whole = buildSchedule({ principalFen: 24_000_000, annualRate: '6', months: 12, method: 'equal-installment', startDate: '2026-01-15' });
    expect(same.map((r) => [r.dueDate, r.principalFen, r.interestFen])).toEqual(whole.map((r) => [r.dueDate, r.principalFen, r.interestFen]));
  });

  it('利随本清: interest is the first money over the whole term plus the new money from its drawdown date, actual/360', () => {
    const rows = base('bullet');
    const next = scheduleAfterDrawdown({ rows, startDate: '2026-01-15', maturityDate: '2027-01-15', drawnOn: '2026-07-01', amountFen: 3_600_000, annualRate: '6', method: 'bullet' });
    expect(next).toHaveLength(1);
    // 120,000.00 × 6 % × 365 / 360 = 7,300.00; 36,000.00 × 6 % × 198 / 360 = 1,188.00.
    expect(next[0]).toMatchObject({ dueDate: '2027-01-15', principalFen: 15_600_000, interestFen: 730_000 + 118_800 });
  });
});
