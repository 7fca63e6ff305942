import { describe, expect, it } from 'vitest';
import { buildSchedule, daysPastDue, replayLoan } from '../../../src/shared/domain';

const terms = { annualRate: '12', penaltyUplift: '0.5' };

describe('replayLoan', () => {
  const bullet = buildSchedule({ principalFen: 10_000_000, annualRate: '12', months: 12, method: 'bullet', startDate: '2026-01-15' });

  it('accrues penalty daily on overdue principal at annual × 1.5 ÷ 360', () => {
    const s = replayLoan(bullet, [], '2027-02-14', terms);
    expect(bullet[0].dueDate).toBe('2027-01-15');
    expect(s.dpd).toBe(30);
    expect(s.bucket).toBe('M1');
    expect(s.overduePrincipalFen).toBe(10_000_000);
    expect(s.overdueInterestFen).toBe(bullet[0].interestFen);
    // 100,000.00 × 12 % × 1.5 ÷ 360 = 50.00 a day, for 30 days.
    expect(s.penaltyOutstandingFen).toBe(150_000);
    expect(s.periods[0].status).toBe('overdue');
  });

  it('a payment meets penalty first, then interest, then principal (the default order)', () => {
    const s = replayLoan(bullet, [{ id: 1, date: '2027-02-14', amountFen: 200_000 }], '2027-02-14', terms);
    expect(s.allocations[0]).toMatchObject({ penaltyFen: 150_000, interestFen: 50_000, principalFen: 0, balanceAfterFen: 10_000_000 });
    expect(s.penaltyOutstandingFen).toBe(0);
  });

  it('follows a configured order', () => {
    const s = replayLoan(bullet, [{ id: 1, date: '2027-02-14', amountFen: 200_000 }], '2027-02-14', { ...terms, order: ['principal', 'interest', 'penalty'] });
    expect(s.allocations[0]).toMatchObject({ principalFen: 200_000, interestFen: 0, penaltyFen: 0, balanceAfterFen: 9_800_000 });
  });

  it('penalty stops growing on principal that has been paid', () => {
    const paidPrincipal = replayLoan(bullet, [{ id: 1, date: '2027-01-25', amountFen: 10_000_000 }], '2027-02-14', { ...terms, order: ['principal', 'interest', 'penalty'] });
    // 10 days on the full principal, nothing after.
    expect(paidPrincipal.periods[0].penaltyFen).toBe(50_000);
  });

  it('pays off exactly and reports no overdue', () => {
    const sched = buildSchedule({ principalFen: 1_200_000, annualRate: '6', months: 3, method: 'equal-principal', startDate: '2026-01-31' });
    const pays = sched.map((r, i) => ({ id: i + 1, date: r.dueDate, amountFen: r.totalFen }));
    const s = replayLoan(sched, pays, '2026-06-01', terms);
    expect(s.balanceFen).toBe(0);
    expect(s.paidOff).toBe(true);
    expect(s.dpd).toBe(0);
    expect(s.periods.map((p) => p.status)).toEqual(['paid', 'paid', 'paid']);
  });

  it('an early payment covers later periods; a partial one leaves the rest overdue', () => {
    const sched = buildSchedule({ principalFen: 1_200_000, annualRate: '6', months: 3, method: 'equal-principal', startDate: '2026-01-31' });
    const early = replayLoan(sched, [{ id: 1, date: '2026-02-10', amountFen: sched[0].totalFen + sched[1].totalFen }], '2026-04-30', terms);
    expect(early.dpd).toBe(0);
    expect(early.periods.map((p) => p.status)).toEqual(['paid', 'paid', 'due']);
    const partial = replayLoan(sched, [{ id: 1, date: '2026-02-28', amountFen: 100_000 }], '2026-03-10', terms);
    expect(partial.dpd).toBe(10);
    expect(partial.oldestUnpaidDueDate).toBe('2026-02-28');
    expect(partial.periods[0].status).toBe('overdue');
  });

  it('agrees with the public daysPastDue when no penalty has accrued at payment time', () => {
    const sched = buildSchedule({ principalFen: 5_000_000, annualRate: '4.9', months: 12, method: 'equal-installment', startDate: '2026-03-31' });
    const pays = sched.slice(0, 5).map((r, i) => ({ id: i, date: r.dueDate, amountFen: r.totalFen }));
    for (const asOf of ['2026-09-30', '2026-10-01', '2026-12-31', '2027-03-31']) {
      expect(replayLoan(sched, pays, asOf, terms).dpd, asOf).toBe(daysPastDue(sched, pays.map((p) => ({ date: p.date, amountFen: p.amountFen })), asOf));
    }
  });

  it('counts penalty days across month ends and 29 February', () => {
    // 360,000.00 at 10 % with +50 %: 360,000 × 0.15 ÷ 360 = 150.00 a day.
    const leap = buildSchedule({ principalFen: 36_000_000, annualRate: '10', months: 12, method: 'bullet', startDate: '2027-01-31' });
    expect(leap[0].dueDate).toBe('2028-01-31');
    const ten = { annualRate: '10', penaltyUplift: '0.5' };
    const s1 = replayLoan(leap, [], '2028-03-01', ten);
    expect(s1.dpd).toBe(30);
    expect(s1.penaltyOutstandingFen).toBe(30 * 15_000);
    const plain = buildSchedule({ principalFen: 36_000_000, annualRate: '10', months: 12, method: 'bullet', startDate: '2026-01-31' });
    const s2 = replayLoan(plain, [], '2027-03-01', ten);
    expect(s2.dpd).toBe(29);
    expect(s2.penaltyOutstandingFen).toBe(29 * 15_000);
  });

  it('rounds penalty half-up once per period, not per day', () => {
    // 10.00 at 10 % with +50 %: 1,000 × 0.15 ÷ 360 = 0.4167 fen a day. Rounded daily that is 0; over 3 days, 1.25 → 1.
    const tiny = buildSchedule({ principalFen: 1_000, annualRate: '10', months: 1, method: 'bullet', startDate: '2026-01-01' });
    const s = replayLoan(tiny, [], addDays3(tiny[0].dueDate), { annualRate: '10', penaltyUplift: '0.5' });
    expect(s.penaltyOutstandingFen).toBe(1);
  });
});

function addDays3(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 3);
  return d.toISOString().slice(0, 10);
}
