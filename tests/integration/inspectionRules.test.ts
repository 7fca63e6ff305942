import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INSPECTION_RULES, type InspectionRules } from '../../src/shared/domain';
import { translate } from '../../src/shared/i18n';
import { wordInspectionReason } from '../../src/shared/i18n/inspectionReasons';
import { listInspections, planMissing } from '../../src/main/features/inspections/inspections';
import { createReport, getReport, reportQueue } from '../../src/main/features/reports/reports';
import { getToday } from '../../src/main/features/today/today';
import { worklogGaps } from '../../src/main/features/worklog/worklog';
import { getSettings, updateSettings } from '../../src/main/features/settings/settings';
import { getInspectionRules, updateInspectionRules } from '../../src/main/features/settings/settings';
import { requireStore } from '../../src/main/kernel/store';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
let borrowerId: number;

beforeAll(async () => {
  env = newEnv();
  env.clock.t = Date.parse('2026-03-02T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  borrowerId = (await borrower(env.ctx)).id;
});
afterAll(() => env?.cleanup());

async function setRules(patch: Partial<InspectionRules>): Promise<void> {
  await loginAs(env.ctx, 'admin');
  await updateInspectionRules(env.ctx, { ...(await getInspectionRules(env.ctx)), ...patch });
  await loginAs(env.ctx, 'officer1');
}

const plan = async (loanId: number) => listInspections(env.ctx, { loanId, status: 'planned', dueBefore: null });
const routineDates = async (loanId: number) => (await plan(loanId)).filter((p) => p.kind === 'routine').map((p) => p.dueDate);

describe('inspection rules are a setting', () => {
  it('defaults are the rules the app shipped with; main refuses values out of range or out of order and audits a change', async () => {
    await loginAs(env.ctx, 'admin');
    expect(await getInspectionRules(env.ctx)).toEqual(DEFAULT_INSPECTION_RULES);
    const dispatch = dispatcherFor(env.ctx);
    const current = await getInspectionRules(env.ctx);
    for (const [bad, path] of [
      [{ firstWithinDays: 0 }, 'firstWithinDays'],
      [{ reportDueWorkingDays: 31 }, 'reportDueWorkingDays'],
      [{ largeBalanceFen: 1.5 }, 'largeBalanceFen'],
      [{ preMaturityScope: 'some' }, 'preMaturityScope'],
      [{ routineMonths: { best: 1, normal: 3, higherRisk: 1 } }, 'routineMonths'],
    ] as const) {
      const r = await dispatch('settings.updateInspectionRules', { ...current, ...bad });
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path }] } });
    }
    // An officer may not change them.
    await loginAs(env.ctx, 'officer1');
    expect(await dispatcherFor(env.ctx)('settings.updateInspectionRules', current)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await setRules({ firstReportDueWorkingDays: 3 });
    const row = await requireStore(env.ctx).db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.inspectionRules').executeTakeFirstOrThrow();
    const detail = JSON.parse(row.detail!) as { before: InspectionRules; after: InspectionRules };
    expect(detail.before.firstReportDueWorkingDays).toBe(2);
    expect(detail.after.firstReportDueWorkingDays).toBe(3);
    await setRules({ firstReportDueWorkingDays: 2 });
  });

  it('a loan above the threshold is visited one step more often; every loan gets a pre-maturity visit by default', async () => {
    // Loan by loan here (the default measures a borrower's loans together: the next test).
    await setRules({ largeBalanceBasis: 'loan' });
    // The helper's borrower is a normal customer: quarterly, monthly above 500,000 yuan.
    const small = await loan(env.ctx, borrowerId, { contractNo: 'HT-R-1', startDate: '2026-03-02', method: 'equal-installment', principalFen: 12_000_000 });
    const large = await loan(env.ctx, borrowerId, { contractNo: 'HT-R-2', startDate: '2026-03-02', method: 'equal-installment', principalFen: 60_000_000 });
    expect((await routineDates(small.loan.id)).slice(0, 2)).toEqual(['2026-06-02', '2026-09-02']);
    expect((await routineDates(large.loan.id)).slice(0, 2)).toEqual(['2026-04-02', '2026-04-30']);
    // The reason says why: the balance, not the customer.
    expect((await plan(large.loan.id)).find((p) => p.kind === 'routine')!.reason).toEqual({ code: 'routine', months: 1, large: true, tier: 'higherRisk' });
    expect((await plan(small.loan.id)).find((p) => p.kind === 'routine')!.reason).toEqual({ code: 'routine', months: 3, tier: 'normal' });
    // Worded by the interval that applied, with its months as set (not a fixed "monthly" or "half-yearly").
    expect(wordInspectionReason((k, p) => translate('zh-CN', k, p), { code: 'routine', months: 2, tier: 'higherRisk' }, null)).toBe('常规检查：每 2 个月（风险客户或非正常类）');
    expect(wordInspectionReason((k, p) => translate('zh-CN', k, p), { code: 'routine', months: 1, large: true }, null)).toBe('常规检查：每 1 个月（贷款余额超过大额阈值）');
    // English says "every month", never "every 1 months".
    expect(wordInspectionReason((k, p) => translate('en', k, p), { code: 'routine', months: 1, tier: 'higherRisk' }, null)).toBe('Routine: every month (risk customer or below normal)');
    expect(wordInspectionReason((k, p) => translate('en', k, p), { code: 'routine', months: 2, large: true }, null)).toBe('Routine: every 2 months (balance above the large-loan threshold)');
    // Maturity 2027-03-02: 20 days before is 2027-02-10.
    expect((await plan(small.loan.id)).filter((p) => p.kind === 'pre-maturity').map((p) => p.dueDate)).toEqual(['2027-02-10']);
  });

  it('a changed rule applies at the next planning run: a new loan, and the batch planning loans without a plan', async () => {
    await setRules({ routineMonths: { best: 6, normal: 2, higherRisk: 1 }, preMaturityScope: 'bullet', largeBalanceFen: 100_000_000, largeBalanceBasis: 'loan' });
    const after = await loan(env.ctx, borrowerId, { contractNo: 'HT-R-3', startDate: '2026-03-02', method: 'equal-installment', principalFen: 60_000_000 });
    expect((await routineDates(after.loan.id)).slice(0, 2)).toEqual(['2026-04-30', '2026-07-02']); // 1 May is a holiday
    expect((await plan(after.loan.id)).some((p) => p.kind === 'pre-maturity')).toBe(false);
    // Planned earlier: kept as it was until planned again.
    expect((await plan((await listInspections(env.ctx, { loanId: null, status: null, dueBefore: null })).find((p) => p.contractNo === 'HT-R-1')!.loanId)).some((p) => p.kind === 'pre-maturity')).toBe(true);
    // The batch's bulk planning reads the same rules.
    const db = requireStore(env.ctx).db;
    await db.deleteFrom('inspections').where('loan_id', '=', after.loan.id).execute();
    expect(await planMissing(env.ctx, requireStore(env.ctx))).toBe(1);
    expect((await routineDates(after.loan.id)).slice(0, 2)).toEqual(['2026-04-30', '2026-07-02']);
    await setRules({ ...DEFAULT_INSPECTION_RULES });
  });

  it('several loans to one borrower are measured together: the loan that takes them over the threshold makes the others monthly too', async () => {
    await setRules({ ...DEFAULT_INSPECTION_RULES });
    const b = await borrower(env.ctx, '王五', '11010519800303123');
    const first = await loan(env.ctx, b.id, { contractNo: 'HT-S-1', startDate: '2026-03-02', method: 'equal-installment', principalFen: 30_000_000 });
    expect((await routineDates(first.loan.id)).slice(0, 2)).toEqual(['2026-06-02', '2026-09-02']);
    // 300,000 + 300,000 yuan: above 500,000 together. Both are visited monthly from now on (today is 2026-03-02).
    const second = await loan(env.ctx, b.id, { contractNo: 'HT-S-2', startDate: '2026-03-02', method: 'equal-installment', principalFen: 30_000_000 });
    expect((await routineDates(second.loan.id)).slice(0, 2)).toEqual(['2026-04-02', '2026-04-30']);
    expect((await routineDates(first.loan.id)).slice(0, 2)).toEqual(['2026-04-02', '2026-04-30']);
    // Measured loan by loan, a third such loan stays quarterly.
    await setRules({ ...DEFAULT_INSPECTION_RULES, largeBalanceBasis: 'loan' });
    const third = await loan(env.ctx, b.id, { contractNo: 'HT-S-3', startDate: '2026-03-02', method: 'equal-installment', principalFen: 30_000_000 });
    expect((await routineDates(third.loan.id)).slice(0, 2)).toEqual(['2026-06-02', '2026-09-02']);
    await setRules({ ...DEFAULT_INSPECTION_RULES });
  });

  it('the first inspection report is due 2 working days after the visit, others 5', async () => {
    const l = await loan(env.ctx, borrowerId, { contractNo: 'HT-R-4', startDate: '2026-03-02', method: 'equal-installment' });
    const first = (await plan(l.loan.id)).find((p) => p.kind === 'first')!;
    // Visit on Mon 2 Mar 2026: due Wed 4 Mar (2 working days), not 9 Mar (5).
    const r = await createReport(env.ctx, { inspectionId: first.id, visitDate: '2026-03-02', data: {} as never });
    expect(r.reportDue).toBe('2026-03-04');
  });

  it('a working-day deadline in a year without a holiday calendar is marked provisional (2027 does not ship)', async () => {
    const l = await loan(env.ctx, borrowerId, { contractNo: 'HT-R-5', startDate: '2026-03-02', method: 'equal-installment' });
    const all = await plan(l.loan.id);
    expect(all.filter((p) => p.dueDate < '2027-01-01').every((p) => !p.provisional)).toBe(true);
    const later = all.filter((p) => p.dueDate >= '2027-01-01');
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((p) => p.provisional)).toBe(true);
    // A report written on 31 Dec 2026 is due in 2027: provisional on the report and in the queue; home shows it too.
    const first = all.find((p) => p.kind === 'first')!;
    env.clock.t = Date.parse('2026-12-31T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    const r = await createReport(env.ctx, { inspectionId: first.id, visitDate: '2026-12-31', data: {} as never });
    expect(r.reportDue).toBe('2027-01-04');
    expect((await getReport(env.ctx, { reportId: r.id })).reportDueProvisional).toBe(true);
    expect((await reportQueue(env.ctx)).toWrite.find((x) => x.reportId === r.id)).toMatchObject({ due: '2027-01-04', provisional: true });
    const home = await getToday(env.ctx);
    expect(home.inspections.some((i) => i.provisional)).toBe(true);
    for (const i of home.inspections) expect(i.provisional, i.dueDate).toBe(i.dueDate >= '2027-01-01');
    env.clock.t = Date.parse('2026-03-02T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
  });

  it('the work-log minimum a month is set per customer tier', async () => {
    const risky = await borrower(env.ctx, '李四', '11010519900101123');
    await loan(env.ctx, risky.id, { contractNo: 'HT-R-6', startDate: '2026-03-02' });
    await requireStore(env.ctx).db.updateTable('borrowers').set({ tier: 'risk' }).where('id', '=', risky.id).execute();
    await loginAs(env.ctx, 'admin');
    await updateSettings(env.ctx, { ...(await getSettings(env.ctx)), worklogMinNormal: 0, worklogMinRisk: 2 });
    await loginAs(env.ctx, 'officer1');
    const gaps = await worklogGaps(env.ctx, { month: '2026-03' });
    expect(Object.fromEntries(gaps.rows.map((r) => [r.borrowerName, r.behind]))).toEqual({ 张三: false, 李四: true, 王五: false });
    expect(gaps.officers).toMatchObject([{ officer: 'officer1', borrowers: 3, behind: 1 }]);
  });
});
