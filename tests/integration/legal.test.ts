import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LegalView } from '../../src/shared/ipc/legal';
import { addDocument } from '../../src/main/features/documents/archiveDocuments';
import { loanLimitation, registerReceipt, transferToLegal } from '../../src/main/features/collections/collections';
import { confirmNotices, prepareNotices } from '../../src/main/features/collections/notices';
import { getToday } from '../../src/main/features/today/today';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

/** One store: a loan transferred to legal on 2026-06-15 (120 days overdue, evidence on file), and one not transferred. */
let env: TestEnv;
let loanId: number;
let notTransferred: number;
let performing: number;
let dispatch: ReturnType<typeof dispatcherFor>;

const at = async (day: string, user = 'officer1') => {
  env.clock.t = Date.parse(`${day}T02:00:00Z`);
  await actAs(env.ctx, user);
};
async function call<T = LegalView>(ch: string, input: unknown): Promise<T> {
  const r = await dispatch(ch as never, input as never);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}
const refused = (ch: string, input: unknown) => fail(call(ch, input)) as Promise<Error & { code: string; issues?: { path: string; message: string }[] }>;
const update = (over: Record<string, unknown>) =>
  call('legal.update', { loanId, court: '北京市朝阳区人民法院', caseNo: '(2026)京0105民初1234号', filedOn: null, hearingOn: null, outcome: null, outcomeOn: null, judgmentFen: null, performanceDue: null, enforcementAppliedOn: null, enforcementCaseNo: '', ...over });

beforeAll(async () => {
  env = newEnv();
  env.clock.t = Date.parse('2026-06-15T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  // Three monthly instalments from 2026-02-15: the last due 2026-04-15, when the limitation period starts.
  loanId = (await loan(env.ctx, b.id, { months: 3, guaranteeModes: ['credit'] })).loan.id;
  notTransferred = (await loan(env.ctx, b.id, { contractNo: 'HT-2026-0002', guaranteeModes: ['credit'] })).loan.id;
  performing = (await loan(env.ctx, b.id, { contractNo: 'HT-2026-0003', startDate: '2026-06-01', guaranteeModes: ['credit'] })).loan.id;
  const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
  for (const docType of ['contract', 'iou']) await addDocument(env.ctx, { loanId, docType, fileName: `${docType}.pdf`, base64: pdf });
  const batch = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'demand-letter' }], asOf: null, payBy: null });
  await confirmNotices(env.ctx, { batchId: batch.batchId! });
  await registerReceipt(env.ctx, { serial: batch.notices[0].serial, signedOn: '2026-06-15', signedBy: 'borrower', delivery: 'in-person', trackingNo: '', scan: null });
  await transferToLegal(env.ctx, { loanId, note: '移交法务部起诉' });
  dispatch = dispatcherFor(env.ctx);
}, 120_000);
afterAll(() => env.cleanup());

describe('the legal case of a loan transferred to legal', () => {
  it('opens only after the transfer, once while open', async () => {
    await at('2026-06-20');
    expect(await call('legal.get', { loanId })).toEqual({ loanId, transferredOn: '2026-06-15', cases: [], npl: true, plans: [] });
    expect(await call('legal.get', { loanId: notTransferred })).toEqual({ loanId: notTransferred, transferredOn: null, cases: [], npl: true, plans: [] });
    expect(await refused('legal.open', { loanId: notTransferred, court: '', caseNo: '' })).toMatchObject({ code: 'RULE_VIOLATION', message: expect.stringContaining('尚未移交诉讼') });
    expect(await refused('legal.addCost', { loanId, kind: 'court_fee', amountFen: 100, paidOn: '2026-06-20', note: '' })).toMatchObject({ code: 'RULE_VIOLATION', message: expect.stringContaining('请先登记立案') });
    const v = await call('legal.open', { loanId, court: '北京市朝阳区人民法院', caseNo: '' });
    expect(v.cases).toHaveLength(1);
    expect(v.cases[0]).toMatchObject({ status: 'open', court: '北京市朝阳区人民法院', filedOn: null, createdBy: 'officer1', deadlines: { enforcementBy: null, enforcementDaysLeft: null } });
    expect(await refused('legal.open', { loanId, court: '', caseNo: '' })).toMatchObject({ code: 'CONFLICT' });
  });

  it('keeps the dates in order, real and not yet to come where they record what happened', async () => {
    let e = await refused('legal.update', { loanId, court: '', caseNo: '', filedOn: '2026-06-18', hearingOn: '2026-06-17', outcome: null, outcomeOn: null, judgmentFen: null, performanceDue: null, enforcementAppliedOn: null, enforcementCaseNo: '' });
    expect(e).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'hearingOn' }] });
    e = await refused('legal.update', { loanId, court: '', caseNo: '', filedOn: '2026-02-30', hearingOn: null, outcome: null, outcomeOn: null, judgmentFen: null, performanceDue: null, enforcementAppliedOn: null, enforcementCaseNo: '' });
    expect(e).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'filedOn' }] });
    e = await refused('legal.update', { loanId, court: '', caseNo: '', filedOn: null, hearingOn: null, outcome: 'judgment', outcomeOn: null, judgmentFen: 1_000, performanceDue: null, enforcementAppliedOn: null, enforcementCaseNo: '' });
    expect(e).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'outcomeOn' }] });
    // Money is integer fen: a fraction is refused, not rounded.
    e = await refused('legal.update', { loanId, court: '', caseNo: '', filedOn: null, hearingOn: null, outcome: 'judgment', outcomeOn: '2026-06-19', judgmentFen: 12.5, performanceDue: null, enforcementAppliedOn: null, enforcementCaseNo: '' });
    expect(e).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'judgmentFen' }] });
    e = await fail(update({ filedOn: '2026-06-21' }));
    expect(e).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'filedOn', message: '日期不能晚于今天。' }] });
  });

  it('a suit filed interrupts the limitation period: the clock restarts from the filing date', async () => {
    await at('2026-07-01');
    const before = await loanLimitation(env.ctx, { loanId });
    expect(before.evidence.some((x) => x.kind === 'lawsuit')).toBe(false);
    // From the signed receipt of 2026-06-15.
    expect(before.expiry).toBe('2029-06-15');
    const v = await update({ filedOn: '2026-06-30' });
    expect(v.cases[0]).toMatchObject({ filedOn: '2026-06-30', caseNo: '(2026)京0105民初1234号' });
    const after = await loanLimitation(env.ctx, { loanId });
    expect(after.evidence[0]).toMatchObject({ date: '2026-06-30', kind: 'lawsuit', strength: 'strong', description: expect.stringContaining('民法典第一百九十五条') });
    expect(after.evidence[0].description).toContain('(2026)京0105民初1234号');
    // 2029-06-30 is a Saturday: the last day moves to Monday 2 July (Art. 203).
    expect(after.expiry).toBe('2029-07-02');
  });

  it('computes the enforcement deadline from the performance date (two years), and preservations with their reminder', async () => {
    await at('2026-09-01');
    let v = await update({ filedOn: '2026-06-30', hearingOn: '2026-08-01', outcome: 'judgment', outcomeOn: '2026-08-20', judgmentFen: 12_563_000, performanceDue: '2026-09-04' });
    expect(v.cases[0]).toMatchObject({ outcome: 'judgment', judgmentFen: 12_563_000, deadlines: { enforcementBy: '2028-09-04', enforcementDaysLeft: 734 } });
    v = await call('legal.addPreservation', { loanId, what: '冻结银行存款 50 万元', rulingNo: '(2026)京0105财保12号', fromDate: '2026-07-05', untilDate: '2026-09-20' });
    v = await call('legal.addPreservation', { loanId, what: '查封朝阳区住宅一套', rulingNo: '(2026)京0105财保13号', fromDate: '2026-07-05', untilDate: '2027-07-05' });
    expect(v.cases[0].preservations.map((p) => [p.what, p.daysLeft, p.alert])).toEqual([
      ['冻结银行存款 50 万元', 19, 'soon'],
      ['查封朝阳区住宅一套', 307, null],
    ]);
    expect((await refused('legal.addPreservation', { loanId, what: 'x', rulingNo: '', fromDate: '2026-07-05', untilDate: '2026-07-04' })).issues).toEqual([{ path: 'untilDate', message: '结束日期不能早于开始日期' }]);

    // The officer's home list: the preservation ending within 30 days; the enforcement deadline is not near yet.
    let today = await getToday(env.ctx);
    expect(today.collections!.legal).toEqual([{ loanId, contractNo: 'HT-2026-0001', borrowerName: '张三', caseNo: '(2026)京0105民初1234号', kind: 'preservation', subject: '冻结银行存款 50 万元', due: '2026-09-20', daysLeft: 19 }]);
    expect(today.collections!.counts.legal).toBe(1);
    await at('2026-09-01', 'officer2');
    expect((await getToday(env.ctx)).collections!.legal).toEqual([]);
    await at('2026-09-01', 'supervisor1');
    expect((await getToday(env.ctx)).collections!.legal).toHaveLength(1);

    // 81 days before the enforcement deadline, the first preservation released, the second lapsed without renewal.
    await at('2026-09-10');
    const first = v.cases[0].preservations[0].id;
    expect(await refused('legal.releasePreservation', { loanId, preservationId: first, releasedOn: '2026-07-04' })).toMatchObject({ code: 'VALIDATION' });
    v = await call('legal.releasePreservation', { loanId, preservationId: first, releasedOn: '2026-09-10' });
    expect(v.cases[0].preservations[0]).toMatchObject({ releasedOn: '2026-09-10', daysLeft: null, alert: null });
    expect(await refused('legal.releasePreservation', { loanId, preservationId: first, releasedOn: '2026-09-10' })).toMatchObject({ code: 'CONFLICT' });
    await at('2028-06-15');
    today = await getToday(env.ctx);
    expect(today.collections!.legal.map((x) => [x.kind, x.due, x.daysLeft])).toEqual([
      ['preservation', '2027-07-05', -346],
      ['enforcement', '2028-09-04', 81],
    ]);
    // Once enforcement is applied for, the deadline is met.
    v = await update({ filedOn: '2026-06-30', hearingOn: '2026-08-01', outcome: 'judgment', outcomeOn: '2026-08-20', judgmentFen: 12_563_000, performanceDue: '2026-09-04', enforcementAppliedOn: '2028-06-10', enforcementCaseNo: '(2028)京0105执555号' });
    expect(v.cases[0].deadlines).toEqual({ enforcementBy: '2028-09-04', enforcementDaysLeft: null });
    expect((await getToday(env.ctx)).collections!.legal.map((x) => x.kind)).toEqual(['preservation']);
  });

  it('adds up the costs advanced and the recoveries by source', async () => {
    await call('legal.addCost', { loanId, kind: 'court_fee', amountFen: 4_715_000, paidOn: '2026-06-30', note: '案件受理费' });
    await call('legal.addCost', { loanId, kind: 'preservation_guarantee', amountFen: 500_000, paidOn: '2026-07-05', note: '' });
    await call('legal.addRecovery', { loanId, source: 'enforcement', amountFen: 3_000_000, receivedOn: '2028-06-14', note: '' });
    await call('legal.addRecovery', { loanId, source: 'guarantor', amountFen: 1_000_000, receivedOn: '2028-06-14', note: '' });
    const v = await call('legal.addRecovery', { loanId, source: 'enforcement', amountFen: 250_000, receivedOn: '2028-06-15', note: '' });
    expect(v.cases[0]).toMatchObject({ costsFen: 5_215_000, recoveredFen: 4_250_000, recoveredBySource: { enforcement: 3_250_000, guarantor: 1_000_000 } });
    expect((await refused('legal.addCost', { loanId, kind: 'lawyer', amountFen: 10.5, paidOn: '2028-06-15', note: '' })).code).toBe('VALIDATION');
    expect((await refused('legal.addRecovery', { loanId, source: 'enforcement', amountFen: 100, receivedOn: '2028-06-16', note: '' })).code).toBe('VALIDATION');
  });

  it("is the loan officer's: another officer may neither read nor write it; a supervisor reads it", async () => {
    await at('2028-06-15', 'officer2');
    expect(await refused('legal.get', { loanId })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refused('legal.addCost', { loanId, kind: 'lawyer', amountFen: 100, paidOn: '2028-06-15', note: '' })).toMatchObject({ code: 'FORBIDDEN' });
    await at('2028-06-15', 'supervisor1');
    expect((await call('legal.get', { loanId })).cases[0].costsFen).toBe(5_215_000);
    await at('2028-06-15', 'archivist1');
    expect(await refused('legal.addCost', { loanId, kind: 'lawyer', amountFen: 100, paidOn: '2028-06-15', note: '' })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('closes, after which a new case may be opened; every write is in the audit log', async () => {
    await at('2028-06-15');
    expect((await refused('legal.close', { loanId, closedOn: '2028-06-01', note: '执行终结' })).code).toBe('VALIDATION');
    let v = await call('legal.close', { loanId, closedOn: '2028-06-15', note: '执行终结' });
    expect(v.cases[0]).toMatchObject({ status: 'closed', closedOn: '2028-06-15', closeNote: '执行终结' });
    expect(v.cases[0].preservations.every((p) => p.alert === null)).toBe(true);
    expect((await getToday(env.ctx)).collections!.legal).toEqual([]);
    v = await call('legal.open', { loanId, court: '北京市第三中级人民法院', caseNo: '' });
    expect(v.cases.map((c) => c.status)).toEqual(['open', 'closed']);
    const actions = await env.ctx.store!.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'loan').where('entity_id', '=', String(loanId)).where('action', 'like', 'legal.%').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual([
      'legal.open',
      'legal.update',
      'legal.update',
      'legal.addPreservation',
      'legal.addPreservation',
      'legal.releasePreservation',
      'legal.update',
      'legal.addCost',
      'legal.addCost',
      'legal.addRecovery',
      'legal.addRecovery',
      'legal.addRecovery',
      'legal.close',
      'legal.open',
    ]);
    expect(new Set(actions.map((a) => a.actor))).toEqual(new Set(['officer1']));
  });

  it('accountability and a disposal plan of a non-performing loan: proposed, then decided by another supervisor', async () => {
    await at('2028-06-15');
    const plan = { accountability: '贷前调查未核实经营流水，调查人负主要责任；贷后检查流于形式。', method: 'litigation', plan: '继续强制执行；同时与保证人协商代偿。' };
    expect((await call('legal.get', { loanId: performing })).npl).toBe(false);
    expect(await refused('legal.proposePlan', { loanId: performing, ...plan })).toMatchObject({ code: 'RULE_VIOLATION', message: expect.stringContaining('不良贷款') });
    let v = await call('legal.proposePlan', { loanId, ...plan });
    expect(v.plans).toEqual([expect.objectContaining({ ...plan, status: 'pending', proposedBy: 'officer1', decidedBy: null })]);
    expect(await refused('legal.proposePlan', { loanId, ...plan })).toMatchObject({ code: 'CONFLICT' });
    const planId = v.plans[0].id;
    // The officer cannot decide; a supervisor must give the reason to reject.
    expect(await refused('legal.decidePlan', { planId, approve: true, comment: '' })).toMatchObject({ code: 'FORBIDDEN' });
    await at('2028-06-15', 'supervisor1');
    // On the supervisor's home list until decided.
    expect((await getToday(env.ctx)).collections!.plansToDecide).toEqual([expect.objectContaining({ planId, loanId, method: 'litigation', proposedBy: 'officer1' })]);
    expect(await refused('legal.decidePlan', { planId, approve: false, comment: '' })).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'comment' }] });
    v = await call('legal.decidePlan', { planId, approve: true, comment: '' });
    expect(v.plans[0]).toMatchObject({ status: 'approved', decidedBy: 'supervisor1' });
    // Deciding it again, as a stale page at another PC would, is refused with who decided it.
    expect(await refused('legal.decidePlan', { planId, approve: true, comment: '' })).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('supervisor1') });
    // A supervisor's own proposal goes to another.
    v = await call('legal.proposePlan', { loanId, ...plan, method: 'transfer', plan: '打包转让给资产管理公司。' });
    const own = v.plans[0].id;
    // Not on the proposer's own list.
    expect((await getToday(env.ctx)).collections!.plansToDecide).toEqual([]);
    expect(await refused('legal.decidePlan', { planId: own, approve: true, comment: '' })).toMatchObject({ code: 'RULE_VIOLATION', message: expect.stringContaining('自己提出') });
    await at('2028-06-15', 'supervisor2');
    expect((await getToday(env.ctx)).collections!.plansToDecide.map((p) => p.planId)).toEqual([own]);
    v = await call('legal.decidePlan', { planId: own, approve: false, comment: '转让价格过低，先执行抵押物' });
    expect(v.plans.map((p) => [p.method, p.status])).toEqual([
      ['transfer', 'rejected'],
      ['litigation', 'approved'],
    ]);
    const audit = await env.ctx.store!.db.selectFrom('audit_log').select(['action', 'actor', 'reason']).where('action', 'in', ['legal.proposePlan', 'legal.approvePlan', 'legal.rejectPlan']).orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['legal.proposePlan', 'officer1'],
      ['legal.approvePlan', 'supervisor1'],
      ['legal.proposePlan', 'supervisor1'],
      ['legal.rejectPlan', 'supervisor2'],
    ]);
    expect(audit[3].reason).toBe('转让价格过低，先执行抵押物');
  });
});
