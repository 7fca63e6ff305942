import { afterEach, describe, expect, it } from 'vitest';
import type { FirstReportData, PostReportData } from '../../src/shared/ipc/reports';
import { startDailyBatch } from '../../src/main/jobs/dailyBatch';
import { proposeClassification } from '../../src/main/features/repayments/classification';
import { listInspections } from '../../src/main/features/inspections/inspections';
import { getLoan } from '../../src/main/features/loans/loans';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { createReport, signReport, submitReport } from '../../src/main/features/reports/reports';
import { getToday } from '../../src/main/features/today/today';
import { feedbackWarning, listSignals, planWarning, raiseWarning } from '../../src/main/features/warnings/warnings';
import { addWorklog } from '../../src/main/features/worklog/worklog';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const at = async (iso: string, user: string) => {
  env.clock.t = Date.parse(iso);
  await loginAs(env.ctx, user);
};

const firstData: FirstReportData = {
  loanUse: '购买原材料，已取得购销合同和发票',
  useMatchesPurpose: 'yes',
  evidence: ['contract', 'invoice'],
  conditionsMet: 'yes',
  legalDocsValid: 'yes',
  conclusion: '贷款用途与合同约定一致',
  proposedLevel: 'normal',
};

const postData: PostReportData = {
  operations: '经营正常',
  revenueFen: 1_000_000_00,
  totalAssetsFen: 800_000_00,
  liabilitiesFen: 360_000_00,
  cashFen: 50_000_00,
  fundFlows: '用于采购原材料',
  guarantorsCondition: '保证人正常',
  collateralState: 'none',
  collateralValueFen: null,
  firstRepaymentSource: '经营收入',
  conclusion: '维持正常',
  proposedLevel: 'normal',
};

/**
 * officer1: HT-2 (李四, since March, never paid, reports written) and HT-1 (张三, since 20 May, first instalment
 * due Saturday 20 June, partly paid ahead); officer2: HT-3 (王五). Today is Thursday 2026-06-18.
 */
async function world() {
  env = newEnv();
  env.clock.t = Date.parse('2026-03-02T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const li = await borrower(env.ctx, '李四', '11010519800101131');
  const ht2 = (await loan(env.ctx, li.id, { contractNo: 'HT-2', startDate: '2026-03-02', method: 'equal-installment' })).loan.id;
  const plan2 = await listInspections(env.ctx, { loanId: ht2, status: 'planned', dueBefore: null });

  await at('2026-03-16T02:00:00Z', 'officer1');
  const first = await createReport(env.ctx, { inspectionId: plan2.find((p) => p.kind === 'first')!.id, visitDate: '2026-03-16', data: firstData });
  await submitReport(env.ctx, { reportId: first.id });
  await loginAs(env.ctx, 'supervisor1');
  await signReport(env.ctx, { reportId: first.id, comment: '同意' });

  await at('2026-05-20T02:00:00Z', 'officer1');
  const zhang = await borrower(env.ctx, '张三', '11010519800101123');
  const ht1 = (await loan(env.ctx, zhang.id, { contractNo: 'HT-1', startDate: '2026-05-20', method: 'equal-installment' })).loan.id;
  await loginAs(env.ctx, 'officer2');
  const wang = await borrower(env.ctx, '王五', '11010519800101158');
  await loan(env.ctx, wang.id, { contractNo: 'HT-3', startDate: '2026-05-20', officer: 'officer2' });

  await at('2026-06-10T02:00:00Z', 'officer1');
  const routine = await createReport(env.ctx, { inspectionId: plan2.find((p) => p.kind === 'routine')!.id, visitDate: '2026-06-10', data: postData });
  await submitReport(env.ctx, { reportId: routine.id });

  await at('2026-06-17T02:00:00Z', 'officer1');
  await createRepayment(env.ctx, { loanId: ht1, paidOn: '2026-06-17', amountFen: 100_000, note: '提前部分还款', confirm: true });

  await at('2026-06-18T02:00:00Z', 'officer1');
  const signals = new Map((await listSignals(env.ctx)).map((s) => [s.code, s.id]));
  const mgmt = await raiseWarning(env.ctx, { loanId: ht1, signalId: signals.get('management-change')!, detail: '法定代表人变更' });
  const suit = await raiseWarning(env.ctx, { loanId: ht2, signalId: signals.get('lawsuit')!, detail: '被供应商起诉，账户被冻结' });
  await planWarning(env.ctx, { warningId: suit.id, plan: '核实诉讼金额，评估对还款的影响', dueDate: '2026-06-25' });
  await feedbackWarning(env.ctx, { warningId: suit.id, feedback: '诉讼金额 30 万元，已与原告和解' });
  await proposeClassification(env.ctx, { loanId: ht1, level: 'special-mention', reason: '法定代表人变更，列入关注' });
  const log = await addWorklog(env.ctx, { borrowerId: zhang.id, loanId: ht1, entryDate: '2026-06-18', kind: 'call', content: '电话提醒 6 月 20 日还款' });
  return { ht1, ht2, li: li.id, zhang: zhang.id, first: first.id, routine: routine.id, mgmt: mgmt.id, suit, log: log.id };
}

describe("today's work", () => {
  it('shows each role what it has to do, with the ids to open each place', async () => {
    const w = await world();
    // The day's batch, as the app starts it at sign-in (a read of today's work never runs it).
    await startDailyBatch(env.ctx);

    // The credit officer.
    const mine = await getToday(env.ctx);
    expect(mine).toMatchObject({ asOf: '2026-06-18', month: '2026-06' });
    expect(mine.inspections.map((i) => [i.contractNo, i.kind, i.dueDate, i.overdue])).toEqual([
      ['HT-1', 'first', '2026-06-04', true],
      ['HT-2', 'special', '2026-06-23', false],
    ]);
    expect(mine.inspections[1]).toMatchObject({ loanId: w.ht2, warningId: w.suit.id });
    // Not started yet: listed once, as inspections, not again as reports to write.
    expect(mine.reports.toWrite).toEqual([]);
    // Own warnings still to plan or carry out: the two raised by hand and the batch's automatic ones.
    expect(mine.warnings.toHandle.map((x) => `${x.contractNo}:${x.signalNames.zh}`).sort()).toEqual(['HT-1:实际控制人或高管变动', 'HT-1:未按期贷后检查', 'HT-2:逾期超过30天'].sort());
    expect(mine.warnings.toHandle.find((x) => x.warningId === w.mgmt)).toMatchObject({ loanId: w.ht1, status: 'raised', owner: 'officer1' });
    // Each carries its 处置期限, which the home shows rather than a dash: ten days after it was raised until
    // its plan sets another.
    for (const x of mine.warnings.toHandle) expect(x.planDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(mine.warnings.toHandle.find((x) => x.warningId === w.mgmt)).toMatchObject({ planDue: '2026-06-28', overdue: false });
    expect(mine.warnings.toConfirm).toEqual([]);
    expect(mine.worklog.behind).toEqual([{ borrowerId: w.li, borrowerName: '李四', officer: 'officer1', entries: 0, lastEntryDate: null }]);
    expect(mine.worklog.byOfficer).toEqual([]);
    expect(mine.worklog.commentsDue).toEqual([]);
    expect(mine.classifications).toEqual([]);
    const schedule = (await getLoan(env.ctx, { id: w.ht1, asOf: null })).schedule[0];
    expect(mine.reminders).toEqual([
      { loanId: w.ht1, contractNo: 'HT-1', borrowerName: '张三', borrowerPhone: '13800000000', period: 1, dueDate: '2026-06-20', amountDueFen: schedule.principalFen + schedule.interestFen - 100_000, daysLeft: 2 },
    ]);
    expect(mine.counts).toEqual({
      inspections: 2,
      inspectionsOverdue: 1,
      reportsToWrite: 0,
      reportsToReview: 0,
      reportsToAccept: 0,
      warningsToHandle: 3,
      warningsToConfirm: 0,
      reviewSuggested: 0,
      worklogBehind: 1,
      commentsDue: 0,
      commentsOverdue: 0,
      classifications: 0,
      reminders: 1,
    });

    // The supervisor: the whole branch, confirmations, reviews, approvals and comments.
    await loginAs(env.ctx, 'supervisor1');
    const sup = await getToday(env.ctx);
    expect(sup.inspections.map((i) => `${i.contractNo}:${i.kind}`)).toEqual(['HT-1:first', 'HT-3:first', 'HT-2:special']);
    expect(sup.reports.toReview.map((r) => r.reportId)).toEqual([w.routine]);
    expect(sup.warnings.toHandle).toEqual([]);
    expect(sup.warnings.toConfirm).toMatchObject([{ warningId: w.suit.id, loanId: w.ht2, status: 'feedback', level: 'serious', inspectionId: w.suit.inspectionId }]);
    expect(sup.warnings.reviewSuggested.map((x) => x.warningId)).toEqual([w.suit.id]);
    expect(sup.worklog.byOfficer).toEqual([
      { officer: 'officer1', borrowers: 2, behind: 1, entries: 1 },
      { officer: 'officer2', borrowers: 1, behind: 1, entries: 0 },
    ]);
    expect(sup.worklog.behind.map((g) => g.borrowerName)).toEqual(['李四', '王五']);
    expect(sup.worklog.commentsDue).toEqual([
      { entryId: w.log, borrowerId: w.zhang, borrowerName: '张三', loanId: w.ht1, author: 'officer1', kind: 'call', entryDate: '2026-06-18', commentDue: '2026-06-23', overdue: false },
    ]);
    expect(sup.classifications).toMatchObject([{ loanId: w.ht1, level: 'special-mention', proposedBy: 'officer1' }]);
    expect(sup.reminders).toEqual([]);
    expect(sup.counts).toMatchObject({ inspections: 3, inspectionsOverdue: 2, reportsToReview: 1, warningsToConfirm: 1, reviewSuggested: 1, worklogBehind: 2, commentsDue: 1, classifications: 1 });

    // The risk officer: reports to file and serious warnings that call for a classification review.
    await loginAs(env.ctx, 'risk1');
    const risk = await getToday(env.ctx);
    expect(risk.reports.toAccept.map((r) => r.reportId)).toEqual([w.first]);
    expect(risk.warnings.reviewSuggested.map((x) => x.warningId)).toEqual([w.suit.id]);
    expect(risk.counts).toEqual({
      inspections: 0,
      inspectionsOverdue: 0,
      reportsToWrite: 0,
      reportsToReview: 0,
      reportsToAccept: 1,
      warningsToHandle: 0,
      warningsToConfirm: 0,
      reviewSuggested: 1,
      worklogBehind: 0,
      commentsDue: 0,
      commentsOverdue: 0,
      classifications: 0,
      reminders: 0,
    });
    expect(await dispatcherFor(env.ctx)('today.get', {})).toMatchObject({ ok: true, value: { counts: { reportsToAccept: 1 } } });

    // The administrator has no loan work.
    await loginAs(env.ctx, 'admin');
    const admin = await getToday(env.ctx);
    expect(Object.values(admin.counts).every((n) => n === 0)).toBe(true);
    expect(admin.inspections).toEqual([]);
  });

  it('a fully paid instalment is no longer a reminder, and a comment past its due date shows as overdue', async () => {
    const w = await world();
    const schedule = (await getLoan(env.ctx, { id: w.ht1, asOf: null })).schedule[0];
    await createRepayment(env.ctx, { loanId: w.ht1, paidOn: '2026-06-18', amountFen: schedule.principalFen + schedule.interestFen - 100_000, note: '', confirm: true });
    expect((await getToday(env.ctx)).reminders).toEqual([]);
    await at('2026-06-24T02:00:00Z', 'supervisor1');
    const sup = await getToday(env.ctx);
    expect(sup.worklog.commentsDue).toMatchObject([{ entryId: w.log, overdue: true }]);
    expect(sup.counts).toMatchObject({ commentsDue: 1, commentsOverdue: 1 });
  });
});
