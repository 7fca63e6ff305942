import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVISION_RATES, provisionFen, ratioOf } from '../../src/shared/domain/provisioning';
import { kpisOf, type LoanFact } from '../../src/main/features/managementReports/compute';
import { pastMonthEnds } from '../../src/main/features/managementReports/snapshots';
import { concentrationOf, monthEndsUpTo, spread } from '../../src/main/features/managementReports/reports';

const activity = { periodStart: '2026-10-01', writeOffs: { count: 0, balanceFen: 0 }, recoveries: { count: 0, amountFen: 0 }, promises: { due: 0, met: 0, rate: null }, receipts: { due: 0, met: 0, rate: null }, inspections: { due: 0, met: 0, rate: null }, reportsSigned: { due: 0, met: 0, rate: null }, warnings: { open: 0, averageAgeDays: null, byLevel: { light: { count: 0, averageAgeDays: null }, medium: { count: 0, averageAgeDays: null }, serious: { count: 0, averageAgeDays: null } } } };

function fact(over: Partial<LoanFact>): LoanFact {
  const f = { loan_id: 1, contract_no: 'X', kind: 'loan', borrower_id: 1, borrower_name: 'B', officer: 'o', product: 'p', industry: '', start_date: '2026-01-01', maturity_date: '2027-01-01', principal_fen: 0, balance_fen: 0, dpd: 0, bucket: 'M0', level: 'normal', overdue_principal_fen: 0, overdue_interest_fen: 0, penalty_fen: 0, provision_rate_bp: 100, provision_fen: 0, ...over } as LoanFact;
  return { ...f, provision_rate_bp: DEFAULT_PROVISION_RATES.byLevel[f.level], provision_fen: provisionFen(f.balance_fen, DEFAULT_PROVISION_RATES.byLevel[f.level]) };
}

describe('provisioning', () => {
  it('balance × basis points, half-up to the fen, exact beyond 2^53 intermediate products', () => {
    expect(provisionFen(12_345, 100)).toBe(123); // 123.45 → 123
    expect(provisionFen(12_350, 100)).toBe(124); // 123.5 → 124
    expect(provisionFen(1, 2500)).toBe(0); // 0.25
    expect(provisionFen(2, 2500)).toBe(1); // 0.5
    expect(provisionFen(9_007_199_254_740_991, 10_000)).toBe(9_007_199_254_740_991);
    expect(provisionFen(9_007_199_254_740_991, 5000)).toBe(4_503_599_627_370_496);
    expect(ratioOf(1, 0)).toBeNull();
  });

  it('factoring: the risk reserve is at least 1 % of the financing balance, whatever the classes give', () => {
    const k = kpisOf(
      [
        fact({ loan_id: 1, kind: 'factoring', balance_fen: 10_000_000, level: 'normal' }), // 1 % = 100,000
        fact({ loan_id: 2, kind: 'factoring', balance_fen: 1_000_000, level: 'normal' }), // 10,000
        fact({ loan_id: 3, kind: 'loan', balance_fen: 4_000_000, level: 'doubtful', dpd: 200, bucket: 'M7+' }), // 50 % = 2,000,000
      ],
      { asOf: '2026-10-31', source: 'live', snapshotId: null, takenAt: null, rates: { ...DEFAULT_PROVISION_RATES, factoringReserveMinBp: 150 }, activity, heldFen: null },
    );
    // Class rates give 110,000 on factoring; the floor at 1.5 % of 11,000,000 is 165,000.
    expect(k.factoring).toEqual({ loans: 2, balanceFen: 11_000_000, classProvisionFen: 110_000, reserveMinFen: 165_000 });
    expect(k.provisionRequiredFen).toBe(2_165_000);
    expect(k.nplBalanceFen).toBe(4_000_000);
    expect(k.coverageRatio).toBe(2_165_000 / 4_000_000);
    // A held provision, when recorded, is the coverage ratio's basis.
    const held = kpisOf([fact({ balance_fen: 4_000_000, level: 'loss' })], { asOf: '2026-10-31', source: 'live', snapshotId: null, takenAt: null, rates: DEFAULT_PROVISION_RATES, activity, heldFen: 5_000_000 });
    expect([held.coverageBasis, held.coverageRatio, held.provisionRatio]).toEqual(['held', 1.25, 1.25]);
  });
});

describe('month-ends', () => {
  it('the sign-in job looks back to the first disbursement, at most 24 month-ends', () => {
    expect(pastMonthEnds('2026-03-15', '2025-12-20')).toEqual(['2026-02-28', '2026-01-31', '2025-12-31']);
    expect(pastMonthEnds('2026-03-01', '2026-03-01')).toEqual([]);
    expect(pastMonthEnds('2026-03-15', null)).toEqual([]);
    expect(pastMonthEnds('2028-03-15', '2020-01-01')).toHaveLength(24);
    expect(monthEndsUpTo('2026-03-31', 3)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(monthEndsUpTo('2026-03-15', 2)).toEqual(['2026-01-31', '2026-02-28']);
  });

  it('factoring concentration: each financing spread over its debtors by invoice amount; a debtor above the limit is flagged', () => {
    const debtorsOf = new Map([
      [1, [{ debtor: '甲公司', weightFen: 200 }, { debtor: '乙公司', weightFen: 100 }]],
      [2, [{ debtor: '甲公司', weightFen: 5 }]],
    ]);
    const c = concentrationOf('2026-10-31', 'live', [
      fact({ loan_id: 1, kind: 'factoring', borrower_id: 1, borrower_name: '卖方一', balance_fen: 6_000_000 }),
      fact({ loan_id: 2, kind: 'factoring', borrower_id: 2, borrower_name: '卖方二', balance_fen: 4_000_000 }),
      fact({ loan_id: 3, kind: 'loan', borrower_id: 3, borrower_name: '借款人', balance_fen: 9_000_000 }),
    ], { limits: { debtorMaxBp: 5000, relatedMaxBp: 4000 }, debtorsOf });
    expect(c.factoring.balanceFen).toBe(10_000_000);
    expect(c.factoring.byDebtor).toEqual([
      { key: '甲公司', count: 2, balanceFen: 8_000_000, share: 0.8, breach: true, relatedParty: false },
      { key: '乙公司', count: 1, balanceFen: 2_000_000, share: 0.2, breach: false, relatedParty: false },
    ]);
    expect(c.factoring.bySeller.map((r) => [r.key, r.balanceFen, r.share])).toEqual([['卖方一', 6_000_000, 0.6], ['卖方二', 4_000_000, 0.4]]);
    expect([c.factoring.breaches, c.factoring.relatedParty]).toEqual([1, { debtors: 0, balanceFen: 0, share: 0, breach: false }]);
    // Exactly at the limit is not a breach; the parts of a spread always add up to the balance.
    const at = concentrationOf('2026-10-31', 'live', [fact({ loan_id: 1, kind: 'factoring', balance_fen: 100 }), fact({ loan_id: 2, kind: 'factoring', balance_fen: 100 })], {
      limits: { debtorMaxBp: 5000, relatedMaxBp: 4000 },
      debtorsOf: new Map([[1, [{ debtor: 'A', weightFen: 1 }]], [2, [{ debtor: 'B', weightFen: 1 }]]]),
    });
    expect(at.factoring.byDebtor.map((r) => r.breach)).toEqual([false, false]);
    expect(spread(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(spread(1_000_000_000_001, [3_000_000_000_000, 1])).toEqual([1_000_000_000_001, 0]);
  });
});
