import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decideClassification, proposeClassification } from '../../src/main/features/repayments/classification';
import { addGuarantee } from '../../src/main/features/loans/collateral';
import { limitationReport, limitationXlsx, overdueSummary, overdueXlsx } from '../../src/main/features/portfolioReports/portfolioReports';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs, residentId } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

async function world(at: string) {
  env = newEnv();
  env.clock.t = Date.parse(`${at}T02:00:00Z`);
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  return borrower(env.ctx);
}

const bullet = (contractNo: string, startDate: string, over: Record<string, unknown> = {}) => ({ contractNo, startDate, method: 'bullet' as const, months: 6, ...over });

/** Converts workbooks to CSV with LibreOffice, as a user opening them would see the cells. */
function csvOf(files: string[], dir: string): string[] {
  execFileSync('soffice', ['--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, ...files], { stdio: 'ignore', timeout: 180_000, env: { ...process.env, HOME: env.root } });
  return files.map((f) => readFileSync(f.replace(/\.xlsx$/, '.csv'), 'utf8'));
}

describe('limitation report', () => {
  it('lists every borrower and guarantor clock ending within 180 days, grouped 180/90/30, with its evidence, by officer', async () => {
    const b = await world('2026-11-23');
    const a = await loan(env.ctx, b.id, bullet('HT-A', '2023-06-10')); // matured 2023-12-10: ends 2026-12-10
    await loan(env.ctx, b.id, bullet('HT-B', '2023-07-20')); // ends 2027-01-20
    const c = await loan(env.ctx, b.id, bullet('HT-C', '2023-10-20')); // ends 2027-04-20
    const d = await loan(env.ctx, b.id, bullet('HT-D', '2023-03-15')); // matured 2023-09-15, part-paid 2024-03-01: ends 2027-03-01
    await loan(env.ctx, b.id, bullet('HT-E', '2022-11-10')); // ended Sunday 2026-05-10, so Monday 2026-05-11
    const h = await loan(env.ctx, b.id, bullet('HT-H', '2023-06-10')); // as HT-A, but paid off
    await loan(env.ctx, b.id, { contractNo: 'HT-G', startDate: '2026-10-01' }); // current
    await createRepayment(env.ctx, { loanId: d.loan.id, paidOn: '2024-03-01', amountFen: 100_000, note: '部分还款' });
    await createRepayment(env.ctx, { loanId: h.loan.id, paidOn: '2023-12-10', amountFen: 20_000_000, note: '结清', excess: 'settle', confirm: true });
    const guarantor = (name: string, id17: string) => ({ kind: 'person' as const, name, idNumber: residentId(id17), phone: '13900000000', address: '北京市海淀区中关村大街1号' });
    await addGuarantee(env.ctx, { loanId: a.loan.id, guarantor: guarantor('王保证', '11010519750808123'), guaranteeType: 'joint', amountFen: 12_000_000, periodEnd: '2024-06-10' });
    await addGuarantee(env.ctx, { loanId: c.loan.id, guarantor: guarantor('赵担保', '11010519760909123'), guaranteeType: 'joint', amountFen: 12_000_000, periodEnd: '2027-02-01' });
    await loginAs(env.ctx, 'officer2');
    const b2 = await borrower(env.ctx, '李四', '11010519850505123');
    await loan(env.ctx, b2.id, bullet('HT-F', '2023-06-05', { officer: 'officer2' })); // ends Saturday 2026-12-05, so Monday 2026-12-07

    await loginAs(env.ctx, 'supervisor1');
    const all = await limitationReport(env.ctx, { officer: null });
    expect(all.asOf).toBe('2026-11-23');
    expect(all.claims.map((x) => [x.contractNo, x.party, x.partyName, x.basis, x.expiry, x.daysLeft, x.band])).toEqual([
      ['HT-A', 'guarantor', '王保证', 'guarantee-period', '2024-06-10', -896, 'expired'],
      ['HT-E', 'borrower', '张三', 'limitation', '2026-05-11', -196, 'expired'],
      ['HT-F', 'borrower', '李四', 'limitation', '2026-12-07', 14, '30'],
      ['HT-A', 'borrower', '张三', 'limitation', '2026-12-10', 17, '30'],
      ['HT-B', 'borrower', '张三', 'limitation', '2027-01-20', 58, '90'],
      ['HT-C', 'guarantor', '赵担保', 'guarantee-period', '2027-02-01', 70, '90'],
      ['HT-D', 'borrower', '张三', 'limitation', '2027-03-01', 98, '180'],
      ['HT-C', 'borrower', '张三', 'limitation', '2027-04-20', 148, '180'],
    ]);
    expect(all.counts).toEqual({ expired: 2, '30': 2, '90': 2, '180': 2 });
    const dClaim = all.claims.find((x) => x.contractNo === 'HT-D')!;
    expect(dClaim.evidence.map((e) => [e.date, e.kind])).toEqual([
      ['2024-03-01', 'payment'],
      ['2023-09-15', 'due'],
    ]);
    expect(dClaim.evidence[0].description).toContain('¥1,000.00');
    expect(all.claims.find((x) => x.partyName === '赵担保')!.evidence[0]).toMatchObject({ date: '2027-02-01', kind: 'due' });
    expect(all.claims.find((x) => x.contractNo === 'HT-F')).toMatchObject({ officer: 'officer2', officerName: 'officer2' });

    const mine = await limitationReport(env.ctx, { officer: 'officer1' });
    expect(mine.claims.map((x) => x.contractNo)).toEqual(['HT-A', 'HT-E', 'HT-A', 'HT-B', 'HT-C', 'HT-D', 'HT-C']);
    expect(mine.counts).toEqual({ expired: 2, '30': 1, '90': 2, '180': 2 });

    // Supervisors and risk officers only: not officers, archivists, or the administrator (who sees no loan data).
    await loginAs(env.ctx, 'risk1');
    expect((await limitationReport(env.ctx, { officer: 'officer2' })).claims.map((x) => x.contractNo)).toEqual(['HT-F']);
    for (const user of ['officer1', 'archivist1', 'admin']) {
      await loginAs(env.ctx, user);
      const r = await dispatcherFor(env.ctx)('portfolioReports.limitation', { officer: null });
      expect(r, user).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });
});

describe('overdue summary', () => {
  /**
   * 12% a year is 1,200 fen a day on 3,600,000 fen and 4,000 on 12,000,000 (÷ 360), so every interest is exact.
   * P1 due 2026-05-01 (89 days of interest), P3 due 2026-02-15 (31 days), P5 due 2026-02-10 (31 days, paid 2026-05-01).
   */
  async function seed() {
    const b = await world('2026-06-15');
    const p1 = await loan(env.ctx, b.id, bullet('HT-P1', '2026-02-01', { months: 3 }));
    await loan(env.ctx, b.id, { contractNo: 'HT-P2', startDate: '2026-05-20' });
    const p5 = await loan(env.ctx, b.id, bullet('HT-P5', '2026-01-10', { months: 1, principalFen: 3_600_000 }));
    await createRepayment(env.ctx, { loanId: p5.loan.id, paidOn: '2026-05-01', amountFen: 4_000_000, note: '逾期后结清', confirm: true });
    await loginAs(env.ctx, 'officer2');
    const b2 = await borrower(env.ctx, '李四', '11010519850505123');
    await loan(env.ctx, b2.id, bullet('HT-P3', '2026-01-15', { months: 1, principalFen: 3_600_000, officer: 'officer2' }));
    // A manual class worse than the floor, approved on 2026-06-15: in force from that day only.
    await loginAs(env.ctx, 'officer1');
    const proposed = await proposeClassification(env.ctx, { loanId: p1.loan.id, level: 'substandard', reason: '借款人经营恶化' });
    await loginAs(env.ctx, 'supervisor1');
    await decideClassification(env.ctx, { proposalId: proposed.classifications.find((x) => x.status === 'pending')!.id, approve: true, comment: '同意' });
  }

  const cb = (count: number, balanceFen: number) => ({ count, balanceFen });
  const none = cb(0, 0);

  it('counts and sums the loans on the books by bucket and class, as of today or an earlier date, by officer', async () => {
    await seed();
    const now = await overdueSummary(env.ctx, { asOf: null, officer: null });
    expect(now.asOf).toBe('2026-06-15');
    const rows = Object.fromEntries(now.rows.map((r) => [r.bucket, r]));
    expect(now.rows.map((r) => r.bucket)).toEqual(['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+']);
    expect(rows.M0).toEqual({ bucket: 'M0', count: 1, balanceFen: 12_000_000, overdueFen: 0, byLevel: { normal: cb(1, 12_000_000), 'special-mention': none, substandard: none, doubtful: none, loss: none } });
    expect(rows.M2).toEqual({ bucket: 'M2', count: 1, balanceFen: 12_000_000, overdueFen: 12_356_000, byLevel: { normal: none, 'special-mention': none, substandard: cb(1, 12_000_000), doubtful: none, loss: none } });
    expect(rows.M4).toEqual({ bucket: 'M4', count: 1, balanceFen: 3_600_000, overdueFen: 3_637_200, byLevel: { normal: none, 'special-mention': none, substandard: cb(1, 3_600_000), doubtful: none, loss: none } });
    for (const k of ['M1', 'M3', 'M5', 'M6', 'M7+']) expect(rows[k].count, k).toBe(0);
    expect(now.levels).toEqual({ normal: cb(1, 12_000_000), 'special-mention': none, substandard: cb(2, 15_600_000), doubtful: none, loss: none });
    expect(now.overdue).toEqual({ count: 2, balanceFen: 15_600_000, overdueFen: 15_993_200 });
    expect(now.total).toEqual({ count: 3, balanceFen: 27_600_000, overdueFen: 15_993_200 });

    // 2026-04-15: P2 not yet disbursed, P5 not yet paid off, P1 not yet due and its manual class not yet approved.
    const april = await overdueSummary(env.ctx, { asOf: '2026-04-15', officer: null });
    expect(april.rows.filter((r) => r.count > 0).map((r) => [r.bucket, r.count, r.balanceFen, r.overdueFen])).toEqual([
      ['M0', 1, 12_000_000, 0],
      ['M2', 1, 3_600_000, 3_637_200],
      ['M3', 1, 3_600_000, 3_637_200],
    ]);
    expect(april.levels).toEqual({ normal: cb(1, 12_000_000), 'special-mention': cb(2, 7_200_000), substandard: none, doubtful: none, loss: none });
    expect(april.total).toEqual({ count: 3, balanceFen: 19_200_000, overdueFen: 7_274_400 });

    const mine = await overdueSummary(env.ctx, { asOf: null, officer: 'officer2' });
    expect(mine.total).toEqual({ count: 1, balanceFen: 3_600_000, overdueFen: 3_637_200 });
    expect(mine.rows.find((r) => r.bucket === 'M4')!.count).toBe(1);
  });

  it('both reports export to Excel workbooks that LibreOffice opens, amounts in yuan to the fen', async () => {
    await seed();
    await loginAs(env.ctx, 'officer1');
    const b = await borrower(env.ctx, '王五', '11010519900101123');
    await loan(env.ctx, b.id, bullet('HT-OLD', '2023-06-10')); // ends 2026-12-10
    await loginAs(env.ctx, 'risk1');
    const dir = join(env.root, 'xlsx');
    mkdirSync(dir);
    const lim = await limitationXlsx(env.ctx, { officer: 'officer1' });
    const od = await overdueXlsx(env.ctx, { asOf: null, officer: null });
    expect(lim.fileName).toBe('诉讼时效报表_2026-06-15.xlsx');
    expect(od.fileName).toBe('逾期汇总表_2026-06-15.xlsx');
    const files = [join(dir, 'limitation.xlsx'), join(dir, 'overdue.xlsx')];
    writeFileSync(files[0], Buffer.from(lim.base64, 'base64'));
    writeFileSync(files[1], Buffer.from(od.base64, 'base64'));
    const [limCsv, odCsv] = csvOf(files, dir);
    expect(limCsv).toContain('诉讼时效到期报表');
    expect(limCsv).toContain('管户信贷员：officer1');
    expect(limCsv.replaceAll('"', '')).toContain('180 天内届满,2026-12-10,178,HT-OLD,王五,借款人,王五,诉讼时效,officer1,2023-12-10 到期：');
    expect(odCsv).toContain('逾期贷款汇总表');
    const line = (label: string) => odCsv.split('\n').find((l) => l.replaceAll('"', '').startsWith(`${label},`))!.replaceAll('"', '');
    expect(line('M2')).toMatch(/^M2,1,120,?000\.00,123,?560\.00,0,0\.00,0,0\.00,1,120,?000\.00,0,0\.00,0,0\.00$/);
    expect(line('M4')).toMatch(/^M4,1,36,?000\.00,36,?372\.00,/);
    // HT-OLD: 918 days past due, a loss; 183 days of interest at 4,000 fen.
    expect(line('M7+')).toMatch(/^M7\+,1,120,?000\.00,127,?320\.00,0,0\.00,0,0\.00,0,0\.00,0,0\.00,1,120,?000\.00$/);
    expect(line('合计')).toMatch(/^合计,4,396,?000\.00,287,?252\.00,1,120,?000\.00,0,0\.00,2,156,?000\.00,0,0\.00,1,120,?000\.00$/);
  });
});
