import { afterEach, describe, expect, it } from 'vitest';
import type { PostReportData } from '../../src/shared/ipc/reports';
import { runBatch } from '../../src/main/domain/batch';
import { decideClassification, pendingClassifications, proposeClassification } from '../../src/main/features/repayments/classification';
import { getLoan } from '../../src/main/features/loans/loans';
import { getToday } from '../../src/main/features/today/today';
import { addCollateral } from '../../src/main/features/loans/collateral';
import { listInspections } from '../../src/main/features/inspections/inspections';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { createReport, signReport, submitReport } from '../../src/main/features/reports/reports';
import { getSettings, updateSettings } from '../../src/main/features/settings/settings';
import { confirmWarning, feedbackWarning, listSignals, listWarnings, planWarning, raiseWarning, saveSignal } from '../../src/main/features/warnings/warnings';
import { translate } from '../../src/shared/i18n';
import { localName, wordWarningDetail } from '../../src/shared/i18n/warningDetails';
import type { WarningDetail } from '../../src/shared/ipc/warnings';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { storeWrites } from '../helpers/storeSql';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
/** Main sends codes; the reader words them from the catalogue. */
const worded = (d: WarningDetail, locale: 'zh-CN' | 'en' = 'zh-CN') => wordWarningDetail((k, p) => translate(locale, k, p), d);
afterEach(() => env?.cleanup());

const at = (iso: string) => (env.clock.t = Date.parse(iso));

/** Staff, one borrower and one loan of officer1 entered the day it was paid out (2026-03-02); today is 2026-06-15. */
async function world() {
  env = newEnv();
  at('2026-03-02T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  const l = await loan(env.ctx, b.id, { startDate: '2026-03-02', method: 'equal-installment' });
  at('2026-06-15T02:00:00Z');
  // Months passed: the session has idled out, so sign in again.
  await loginAs(env.ctx, 'officer1');
  return { borrowerId: b.id, loanId: l.loan.id };
}

async function signalId(code: string): Promise<number> {
  return (await listSignals(env.ctx)).find((s) => s.code === code)!.id;
}

async function auditActions(entityId: number): Promise<string[]> {
  const rows = await env.ctx.store!.db.selectFrom('audit_log').select('action').where('entity', '=', 'warning').where('entity_id', '=', String(entityId)).orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('warning signal catalogue', () => {
  it('is seeded once at setup with the common signals, edited by the risk officer and refused to an officer', async () => {
    await world();
    // Listing is a read: it writes nothing, not even the first time.
    const before = await storeWrites(env.ctx);
    const first = await listSignals(env.ctx);
    expect(await storeWrites(env.ctx)).toBe(before);
    expect(first).toHaveLength(19);
    expect(await listSignals(env.ctx)).toHaveLength(19);
    const setupEntry = await env.ctx.store!.db.selectFrom('audit_log').select('detail').where('action', '=', 'setup.create').executeTakeFirstOrThrow();
    expect([...(JSON.parse(setupEntry.detail!) as { warningSignals: string[] }).warningSignals].sort()).toEqual(first.map((s) => s.code).sort());
    const names = first.map((s) => s.nameZh);
    for (const n of ['逾期超过30天', '逾期超过90天', '涉诉或被执行', '失联', '实际控制人或高管变动', '营业收入大幅下降', '资产负债率过高', '资产负债率较上期大幅上升', '挪用贷款资金', '停产停业', '未按期贷后检查', '保证人经营或财务恶化', '抵押率超过上限', '抵质押物被查封', '抵质押物毁损', '买方商务纠纷', '应收账款稀释', '回款未进入指定账户']) {
      expect(names).toContain(n);
    }
    expect(first.find((s) => s.code === 'overdue-90')).toMatchObject({ level: 'serious', autoRule: 'dpd90', category: 'borrower', name: '逾期超过90天' });
    expect(first.find((s) => s.code === 'debtor-dispute')).toMatchObject({ level: 'serious', autoRule: null, category: 'factoring' });

    const lawsuit = first.find((s) => s.code === 'lawsuit')!;
    const edit = { id: lawsuit.id, nameZh: '涉诉或被强制执行', nameEn: 'Lawsuit or enforcement', level: 'serious' as const, category: 'borrower' as const, active: true };
    expect((await fail(saveSignal(env.ctx, edit))).code).toBe('FORBIDDEN');
    const dispatch = dispatcherFor(env.ctx);
    expect(await dispatch('warnings.saveSignal', edit)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    await loginAs(env.ctx, 'risk1');
    expect(await saveSignal(env.ctx, edit)).toMatchObject({ id: lawsuit.id, code: 'lawsuit', nameZh: '涉诉或被强制执行', updatedBy: 'risk1' });
    const created = await saveSignal(env.ctx, { id: null, nameZh: '主要客户流失', nameEn: 'Main customer lost', level: 'medium', category: 'borrower', active: true });
    expect(created).toMatchObject({ code: 'custom-20', autoRule: null, active: true });
    const dup = await fail(saveSignal(env.ctx, { ...edit, id: null, nameZh: '失联' }));
    expect(dup).toMatchObject({ code: 'CONFLICT', issues: [{ path: 'nameZh' }] });
    const audit = await env.ctx.store!.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'warningSignal').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['warnings.updateSignal', 'warnings.createSignal']);
    // Editing again did not re-seed the renamed signal.
    expect((await listSignals(env.ctx)).filter((s) => s.code === 'lawsuit').map((s) => s.nameZh)).toEqual(['涉诉或被强制执行']);
  });

  it('a store from before the seeding at setup gets the catalogue at sign-in, with an entry of its own', async () => {
    await world();
    await env.ctx.store!.db.deleteFrom('warning_signals').execute();
    expect(await listSignals(env.ctx)).toEqual([]);
    await loginAs(env.ctx, 'officer1');
    expect(await listSignals(env.ctx)).toHaveLength(19);
    const seeded = await env.ctx.store!.db.selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'warnings.seedCatalogue').execute();
    expect(seeded).toHaveLength(1);
    expect((JSON.parse(seeded[0]!.detail!) as { codes: string[] }).codes).toHaveLength(19);
  });

  it('a switched-off signal cannot be raised', async () => {
    const { loanId } = await world();
    await loginAs(env.ctx, 'risk1');
    const g = (await listSignals(env.ctx)).find((s) => s.code === 'lost-contact')!;
    await saveSignal(env.ctx, { id: g.id, nameZh: g.nameZh, nameEn: g.nameEn, level: g.level, category: g.category, active: false });
    await loginAs(env.ctx, 'officer1');
    const e = await fail(raiseWarning(env.ctx, { loanId, signalId: g.id, detail: '电话无人接听' }));
    expect(e.code).toBe('RULE_VIOLATION');
    expect(e.message).toContain('已停用');
  });
});

describe('the warning loop', () => {
  it('raise → plan → feedback → a supervisor clears with a note; every forbidden path is refused', async () => {
    const { loanId } = await world();
    const sid = await signalId('management-change');
    const w = await raiseWarning(env.ctx, { loanId, signalId: sid, detail: '实际控制人变更为王五' });
    expect(w).toMatchObject({ status: 'raised', open: true, owner: 'officer1', raisedBy: 'officer1', level: 'medium', source: 'manual', detail: { kind: 'text', text: '实际控制人变更为王五' }, signalNames: { zh: '实际控制人或高管变动', en: expect.any(String) }, reviewSuggested: false, inspectionId: null });
    // 处置期限 from the day it is raised: PLAN_DUE_DAYS (10) later, until the plan sets its own.
    expect(w).toMatchObject({ planDue: '2026-06-25', planOverdue: false });
    // One open warning per loan and signal.
    const again = await fail(raiseWarning(env.ctx, { loanId, signalId: sid, detail: '重复' }));
    expect(again).toMatchObject({ code: 'CONFLICT', ref: { entity: 'warning', id: w.id } });
    // Feedback needs a plan first.
    expect((await fail(feedbackWarning(env.ctx, { warningId: w.id, feedback: '已处理' }))).code).toBe('RULE_VIOLATION');

    // Nobody but the owner plans: not an archivist, not another officer, not a supervisor.
    await loginAs(env.ctx, 'archivist1');
    expect((await fail(planWarning(env.ctx, { warningId: w.id, plan: '走访', dueDate: '2026-06-30' }))).code).toBe('FORBIDDEN');
    expect(await dispatcherFor(env.ctx)('warnings.plan', { warningId: w.id, plan: '走访', dueDate: '2026-06-30' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await loginAs(env.ctx, 'officer2');
    expect((await fail(planWarning(env.ctx, { warningId: w.id, plan: '走访', dueDate: '2026-06-30' }))).code).toBe('FORBIDDEN');
    expect((await fail(raiseWarning(env.ctx, { loanId, signalId: await signalId('lawsuit'), detail: 'x' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'supervisor1');
    const notOwner = await fail(planWarning(env.ctx, { warningId: w.id, plan: '走访', dueDate: '2026-06-30' }));
    expect(notOwner.code).toBe('FORBIDDEN');
    expect(notOwner.message).toContain('officer1');

    await loginAs(env.ctx, 'officer1');
    const past = await fail(planWarning(env.ctx, { warningId: w.id, plan: '走访', dueDate: '2026-06-14' }));
    expect(past).toMatchObject({ code: 'RULE_VIOLATION', issues: [{ path: 'dueDate' }] });
    const planned = await planWarning(env.ctx, { warningId: w.id, plan: '上门走访新实际控制人，核实经营是否受影响', dueDate: '2026-06-30' });
    expect(planned).toMatchObject({ status: 'planned', planBy: 'officer1', planDue: '2026-06-30', planOverdue: false });
    expect(planned.planAt).toBe('2026-06-15T02:00:00.000Z');

    // Clearing needs the owner's feedback first.
    await loginAs(env.ctx, 'supervisor1');
    expect((await fail(confirmWarning(env.ctx, { warningId: w.id, outcome: 'clear', note: '可以解除' }))).message).toContain('反馈');

    await loginAs(env.ctx, 'officer1');
    env.clock.advance(60_000);
    const fed = await feedbackWarning(env.ctx, { warningId: w.id, feedback: '已走访，经营正常，股东变更不影响还款' });
    expect(fed).toMatchObject({ status: 'feedback', feedbackBy: 'officer1', feedbackAt: '2026-06-15T02:01:00.000Z' });
    // An officer cannot confirm anything.
    expect((await fail(confirmWarning(env.ctx, { warningId: w.id, outcome: 'clear', note: '自己解除' }))).code).toBe('FORBIDDEN');

    await loginAs(env.ctx, 'supervisor1');
    const noNote = await fail(confirmWarning(env.ctx, { warningId: w.id, outcome: 'clear', note: '   ' }));
    expect(noNote).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'note' }] });
    expect(await dispatcherFor(env.ctx)('warnings.confirm', { warningId: w.id, outcome: 'clear', note: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const { warning: cleared, escalation } = await confirmWarning(env.ctx, { warningId: w.id, outcome: 'clear', note: '核实无误，同意解除' });
    expect(escalation).toBeNull();
    expect(cleared).toMatchObject({ status: 'cleared', open: false, confirmedBy: 'supervisor1', closedBy: 'supervisor1', closedNote: '核实无误，同意解除' });
    expect(cleared.closedAt).not.toBeNull();
    expect(cleared.confirmedAt).toBe(cleared.closedAt);
    expect((await fail(confirmWarning(env.ctx, { warningId: w.id, outcome: 'escalate', note: '再升级' }))).code).toBe('RULE_VIOLATION');

    expect(await auditActions(w.id)).toEqual(['warnings.raise', 'warnings.plan', 'warnings.feedback', 'warnings.clear']);
    expect((await listWarnings(env.ctx, { loanId, status: 'open' })).map((x) => x.id)).toEqual([]);
    expect((await listWarnings(env.ctx, { loanId, status: 'closed' })).map((x) => x.id)).toEqual([w.id]);
    // Closed, the same signal can be raised again.
    await loginAs(env.ctx, 'officer1');
    expect((await raiseWarning(env.ctx, { loanId, signalId: sid, detail: '又有高管离职' })).status).toBe('raised');
  });

  it('the owner cannot confirm their own warning; escalation closes it and opens a serious one with a special inspection', async () => {
    await world();
    await loginAs(env.ctx, 'supervisor1');
    const b = await borrower(env.ctx, '李四', '11010519800101131');
    // A loan the supervisor manages personally, so the supervisor owns its warnings.
    const own = await loan(env.ctx, b.id, { contractNo: 'HT-2026-0002', officer: 'supervisor1', startDate: '2026-06-01' });
    const w = await raiseWarning(env.ctx, { loanId: own.loan.id, signalId: await signalId('guarantor-deterioration'), detail: '保证人所在企业停发工资' });
    expect(w.owner).toBe('supervisor1');
    await planWarning(env.ctx, { warningId: w.id, plan: '约见保证人，要求追加担保', dueDate: '2026-06-25' });
    await feedbackWarning(env.ctx, { warningId: w.id, feedback: '保证人同意追加房产抵押' });
    const self = await fail(confirmWarning(env.ctx, { warningId: w.id, outcome: 'clear', note: '已解决' }));
    expect(self.code).toBe('RULE_VIOLATION');
    expect(self.message).toContain('自己');

    await loginAs(env.ctx, 'supervisor2');
    const { warning, escalation } = await confirmWarning(env.ctx, { warningId: w.id, outcome: 'escalate', note: '追加抵押尚未办理登记，升级处理' });
    expect(warning).toMatchObject({ status: 'escalated', open: false, closedNote: '追加抵押尚未办理登记，升级处理', confirmedBy: 'supervisor2' });
    expect(escalation).toMatchObject({ status: 'raised', level: 'serious', signalId: w.signalId, owner: 'supervisor1', raisedBy: 'supervisor2', escalatedFrom: w.id, reviewSuggested: true });
    expect(worded(escalation!.detail)).toBe(`由预警 #${w.id} 升级：追加抵押尚未办理登记，升级处理`);
    // 2026-06-15 is a Monday: two working days later is Wednesday.
    const special = (await listInspections(env.ctx, { loanId: own.loan.id, status: 'planned', dueBefore: null })).filter((i) => i.kind === 'special');
    expect(special).toMatchObject([{ id: escalation!.inspectionId, warningId: escalation!.id, dueDate: '2026-06-17' }]);
    expect(await auditActions(w.id)).toEqual(['warnings.raise', 'warnings.plan', 'warnings.feedback', 'warnings.escalate']);
    expect(await auditActions(escalation!.id)).toEqual(['warnings.raise']);
  });

  it('a serious manual warning plans a special inspection within 2 working days (over a holiday) and suggests a classification review', async () => {
    const { loanId } = await world();
    // Thursday before the Dragon Boat Festival (Fri 19 – Sun 21 June 2026).
    at('2026-06-18T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    const w = await raiseWarning(env.ctx, { loanId, signalId: await signalId('business-stopped'), detail: '工厂已停产，工人放假' });
    expect(w).toMatchObject({ level: 'serious', reviewSuggested: true });
    const insp = (await listInspections(env.ctx, { loanId, status: 'planned', dueBefore: null })).find((i) => i.id === w.inspectionId)!;
    expect(insp).toMatchObject({ kind: 'special', warningId: w.id, dueDate: '2026-06-23' });
    // Main says why as a code; the signal comes along in both languages for the renderer to word.
    expect(insp.reason).toEqual({ code: 'special', warningId: w.id });
    expect(insp.signal?.zh).toContain('停产停业');
    // Once someone proposes a class for the loan, the review is under way.
    await proposeClassification(env.ctx, { loanId, level: 'substandard', reason: '停产停业，第一还款来源中断' });
    expect((await listWarnings(env.ctx, { loanId, status: 'open' })).find((x) => x.id === w.id)!.reviewSuggested).toBe(false);
  });

  it('officers list their own loans’ warnings; other business roles all of them', async () => {
    const { loanId } = await world();
    await raiseWarning(env.ctx, { loanId, signalId: await signalId('lawsuit'), detail: '被供应商起诉' });
    await loginAs(env.ctx, 'officer2');
    expect(await listWarnings(env.ctx, { loanId: null, status: 'all' })).toEqual([]);
    expect((await fail(listWarnings(env.ctx, { loanId, status: 'all' }))).code).toBe('FORBIDDEN');
    for (const u of ['supervisor1', 'risk1', 'archivist1']) {
      await loginAs(env.ctx, u);
      expect((await listWarnings(env.ctx, { loanId: null, status: 'open' })).map((w) => w.signalCode), u).toEqual(['lawsuit']);
    }
    await loginAs(env.ctx, 'admin');
    expect((await fail(listWarnings(env.ctx, { loanId: null, status: 'all' }))).code).toBe('FORBIDDEN');
  });
});

const report = (totalAssetsFen: number, liabilitiesFen: number): PostReportData => ({
  operations: '经营正常',
  revenueFen: 1_000_000_00,
  totalAssetsFen,
  liabilitiesFen,
  cashFen: 50_000_00,
  fundFlows: '用于采购原材料',
  guarantorsCondition: '保证人正常',
  collateralState: 'none',
  collateralValueFen: null,
  firstRepaymentSource: '经营收入',
  conclusion: '维持正常',
  proposedLevel: 'normal',
});

describe('automatic warnings from the daily batch', () => {
  it('raises DPD over 30 and 90, LTV over the limit and missed inspections once, never twice', async () => {
    env = newEnv();
    at('2026-03-02T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const b1 = await borrower(env.ctx, '张三', '11010519800101123');
    const b2 = await borrower(env.ctx, '李四', '11010519800101131');
    const b3 = await borrower(env.ctx, '王五', '11010519800101158');
    // Overdue: one bullet payment due 2026-04-02, never paid; its first inspection never done.
    const overdue = (await loan(env.ctx, b1.id, { contractNo: 'HT-DPD', method: 'bullet', months: 1, startDate: '2026-03-02' })).loan.id;
    // Current: paid well ahead, first inspection written up.
    const current = (await loan(env.ctx, b2.id, { contractNo: 'HT-OK', method: 'equal-installment', startDate: '2026-03-02' })).loan.id;
    await createRepayment(env.ctx, { loanId: current, paidOn: '2026-03-02', amountFen: 6_000_000, note: '提前还款', confirm: true });
    const first = (await listInspections(env.ctx, { loanId: current, status: 'planned', dueBefore: null })).find((i) => i.kind === 'first')!;
    at('2026-03-10T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    await createReport(env.ctx, { inspectionId: first.id, visitDate: '2026-03-10', data: { loanUse: '采购原材料' } });
    // Collateral worth less than the balance allows: 120,000 / 150,000 = 80 % over the 70 % limit.
    at('2026-05-08T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    const ltv = (await loan(env.ctx, b3.id, { contractNo: 'HT-LTV', startDate: '2026-05-08', guaranteeModes: ['mortgage'] })).loan.id;
    await addCollateral(env.ctx, { loanId: ltv, kind: 'mortgage', type: '房产', description: '朝阳区某小区 3 号楼 101 室', owner: '王五', registrationAuthority: '北京市不动产登记中心', registrationNo: '京(2026)朝阳区不动产权第0001号', valueFen: 15_000_000, valuedOn: '2026-05-06', certificates: [] });

    at('2026-05-10T02:00:00Z');
    await loginAs(env.ctx, 'supervisor1');
    // Signing in again reopens the store, so it is looked up on every run.
    const batch = (asOf: string) => runBatch(env.ctx, env.ctx.store!, asOf, 'system');
    await batch('2026-05-10');
    const open1 = await listWarnings(env.ctx, { loanId: null, status: 'open' });
    const key = (w: { contractNo: string; signalCode: string }) => `${w.contractNo}:${w.signalCode}`;
    expect(open1.map(key).sort()).toEqual(['HT-DPD:missed-inspection', 'HT-DPD:overdue-30', 'HT-LTV:collateral-ltv']);
    expect(open1.every((w) => w.source === 'auto' && w.raisedBy === 'system' && w.owner === 'officer1' && w.status === 'raised')).toBe(true);
    const byKey = new Map(open1.map((w) => [key(w), w]));
    expect(worded(byKey.get('HT-DPD:overdue-30')!.detail)).toBe('逾期 38 天（最早未还款日 2026-04-02）');
    expect(worded(byKey.get('HT-LTV:collateral-ltv')!.detail)).toBe('贷款余额 120,000.00 元，抵质押物评估价值 150,000.00 元，抵押率 80.0%，超过上限 70%');
    expect(worded(byKey.get('HT-DPD:missed-inspection')!.detail)).toMatch(/^(首次检查|到期前检查)（任务 #\d+）应于 2026-03-\d\d 前完成，逾期未检查$/);
    expect(byKey.get('HT-DPD:overdue-30')!.inspectionId).toBeNull();
    const detectAudit = await env.ctx.store!.db.selectFrom('audit_log').select('detail').where('action', '=', 'warnings.detect').execute();
    // One entry per signal that raised something, each with what it raised.
    const detected = detectAudit.map((a) => JSON.parse(a.detail) as { code: string; raised: number; specialInspections: number });
    expect(detected.map((d) => [d.code, d.raised]).sort()).toEqual([['collateral-ltv', 1], ['missed-inspection', 1], ['overdue-30', 1]]);
    expect(detected.every((d) => d.specialInspections === 0)).toBe(true);

    // The next run the same day, and the day after, add nothing.
    await batch('2026-05-10');
    await batch('2026-05-11');
    expect((await listWarnings(env.ctx, { loanId: null, status: 'all' })).length).toBe(3);

    // Handled and cleared, the same overdue episode is not raised again.
    const w30 = byKey.get('HT-DPD:overdue-30')!;
    await loginAs(env.ctx, 'officer1');
    await planWarning(env.ctx, { warningId: w30.id, plan: '电话催收并上门', dueDate: '2026-05-15' });
    await feedbackWarning(env.ctx, { warningId: w30.id, feedback: '借款人承诺月底还款' });
    await loginAs(env.ctx, 'supervisor1');
    await confirmWarning(env.ctx, { warningId: w30.id, outcome: 'clear', note: '已落实还款计划' });
    await batch('2026-05-12');
    expect((await listWarnings(env.ctx, { loanId: overdue, status: 'all' })).filter((w) => w.signalCode === 'overdue-30')).toHaveLength(1);

    // Past 90 days: the serious signal, with its special inspection; later misses on the other loans.
    at('2026-07-05T02:00:00Z');
    await loginAs(env.ctx, 'supervisor1');
    await batch('2026-07-05');
    const open2 = await listWarnings(env.ctx, { loanId: null, status: 'open' });
    expect(open2.map(key).sort()).toEqual(['HT-DPD:missed-inspection', 'HT-DPD:overdue-90', 'HT-LTV:collateral-ltv', 'HT-LTV:missed-inspection', 'HT-OK:missed-inspection']);
    const w90 = open2.find((w) => w.signalCode === 'overdue-90')!;
    // The floor has already taken the 94 days in (次级 by rule, and the loan stands at it): no review suggested.
    expect(w90).toMatchObject({ level: 'serious', detail: { kind: 'dpd', params: { dpd: 94, since: '2026-04-02' } }, reviewSuggested: false });
    // 2026-07-05 is a Sunday: two working days later is Tuesday.
    const special = (await listInspections(env.ctx, { loanId: overdue, status: 'planned', dueBefore: null })).filter((i) => i.kind === 'special');
    expect(special).toMatchObject([{ id: w90.inspectionId, warningId: w90.id, dueDate: '2026-07-07' }]);
    await batch('2026-07-05');
    expect((await listWarnings(env.ctx, { loanId: null, status: 'open' })).length).toBe(5);
    expect((await listInspections(env.ctx, { loanId: overdue, status: null, dueBefore: null })).filter((i) => i.kind === 'special')).toHaveLength(1);
    expect((await listWarnings(env.ctx, { loanId: current, status: 'all' })).map((w) => w.signalCode)).toEqual(['missed-inspection']);

    // 建议重新审视分类 on the risk officer's home: not the loan at its floor for the days past due…
    const status = (await getLoan(env.ctx, { id: overdue, asOf: null })).state;
    expect(status.level).toBe(status.floorLevel);
    await loginAs(env.ctx, 'risk1');
    expect((await getToday(env.ctx)).warnings.reviewSuggested.map((x) => x.loanId)).not.toContain(overdue);
    // …but news the floor does not know about the same loan, until someone proposes a class.
    await loginAs(env.ctx, 'officer1');
    const suit = await raiseWarning(env.ctx, { loanId: overdue, signalId: await signalId('lawsuit'), detail: '被供应商起诉，账户被冻结' });
    expect(suit.reviewSuggested).toBe(true);
    await loginAs(env.ctx, 'risk1');
    expect((await getToday(env.ctx)).warnings.reviewSuggested.map((x) => x.warningId)).toEqual([suit.id]);
    // Once the loan is classed 损失 no class is worse: a serious warning raised after that suggests nothing.
    await loginAs(env.ctx, 'officer1');
    await proposeClassification(env.ctx, { loanId: overdue, level: 'loss', reason: '借款人失联，资产已被查封' });
    await loginAs(env.ctx, 'supervisor1');
    const proposal = (await pendingClassifications(env.ctx)).find((p) => p.loanId === overdue)!;
    await decideClassification(env.ctx, { proposalId: proposal.id, approve: true, comment: '同意' });
    await loginAs(env.ctx, 'officer1');
    const stopped = await raiseWarning(env.ctx, { loanId: overdue, signalId: await signalId('business-stopped'), detail: '工厂已停产' });
    expect(stopped).toMatchObject({ level: 'serious', reviewSuggested: false });
    await loginAs(env.ctx, 'risk1');
    const risk = await getToday(env.ctx);
    expect(risk.warnings.reviewSuggested).toEqual([]);
    expect(risk.counts.reviewSuggested).toBe(0);
  });

  it('past 90 days the serious overdue warning takes over from an open over-30 one, which closes as escalated', async () => {
    env = newEnv();
    at('2026-03-02T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const b = await borrower(env.ctx, '张三', '11010519800101123');
    // One bullet payment due 2026-04-02, never paid.
    const id = (await loan(env.ctx, b.id, { contractNo: 'HT-DPD', method: 'bullet', months: 1, startDate: '2026-03-02' })).loan.id;
    const batch = (asOf: string) => runBatch(env.ctx, env.ctx.store!, asOf, 'system');
    at('2026-05-10T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    await batch('2026-05-10');
    const w30 = (await listWarnings(env.ctx, { loanId: id, status: 'open' })).find((w) => w.signalCode === 'overdue-30')!;
    // The officer is working on it when the loan passes 90 days.
    await planWarning(env.ctx, { warningId: w30.id, plan: '电话催收并上门', dueDate: '2026-05-15' });
    at('2026-07-05T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    await batch('2026-07-05');
    const open = await listWarnings(env.ctx, { loanId: id, status: 'open' });
    expect(open.filter((w) => w.signalCode.startsWith('overdue-')).map((w) => w.signalCode)).toEqual(['overdue-90']);
    const w90 = open.find((w) => w.signalCode === 'overdue-90')!;
    const closed = (await listWarnings(env.ctx, { loanId: id, status: 'all' })).find((w) => w.id === w30.id)!;
    expect(closed).toMatchObject({ status: 'escalated', closedNote: translate('zh-CN', 'warnings.supersededBy', { id: w90.id }) });
    const audit = await env.ctx.store!.db.selectFrom('audit_log').select('detail').where('action', '=', 'warnings.supersede').execute();
    expect(audit.map((a) => JSON.parse(a.detail))).toEqual([{ closed: [[w30.id, w90.id]] }]);
    // The next run changes nothing more.
    await batch('2026-07-06');
    expect((await listWarnings(env.ctx, { loanId: id, status: 'all' })).filter((w) => w.signalCode.startsWith('overdue-'))).toHaveLength(2);
  });

  it('raises a high debt ratio and a sharp rise between two signed reports', async () => {
    const { loanId } = await world();
    const routine = (await listInspections(env.ctx, { loanId, status: 'planned', dueBefore: null })).filter((p) => p.kind === 'routine');
    const r1 = await createReport(env.ctx, { inspectionId: routine[0].id, visitDate: '2026-06-01', data: report(800_000_00, 360_000_00) });
    await submitReport(env.ctx, { reportId: r1.id });
    const r2 = await createReport(env.ctx, { inspectionId: routine[1].id, visitDate: '2026-06-12', data: report(800_000_00, 600_000_00) });
    await submitReport(env.ctx, { reportId: r2.id });
    await loginAs(env.ctx, 'supervisor1');
    await runBatch(env.ctx, env.ctx.store!, '2026-06-15', 'system');
    // Not signed yet: nothing.
    expect((await listWarnings(env.ctx, { loanId, status: 'all' })).filter((w) => w.signalCode.startsWith('debt-ratio'))).toEqual([]);
    await signReport(env.ctx, { reportId: r1.id, comment: '' });
    await signReport(env.ctx, { reportId: r2.id, comment: '' });
    // The thresholds are settings: at 80 % and 40 points, 75 % (up 30) raises nothing.
    const setThresholds = async (debtRatioLimitPercent: number, debtRatioJumpPoints: number) => {
      await loginAs(env.ctx, 'admin');
      await updateSettings(env.ctx, { ...(await getSettings(env.ctx)), debtRatioLimitPercent, debtRatioJumpPoints });
      await loginAs(env.ctx, 'supervisor1');
    };
    await setThresholds(80, 40);
    await runBatch(env.ctx, env.ctx.store!, '2026-06-15', 'system');
    expect((await listWarnings(env.ctx, { loanId, status: 'all' })).filter((w) => w.signalCode.startsWith('debt-ratio'))).toEqual([]);
    await setThresholds(70, 10);
    await runBatch(env.ctx, env.ctx.store!, '2026-06-15', 'system');
    const ws = (await listWarnings(env.ctx, { loanId, status: 'open' })).filter((w) => w.signalCode.startsWith('debt-ratio'));
    expect(Object.fromEntries(ws.map((w) => [w.signalCode, worded(w.detail)]))).toEqual({
      'debt-ratio-high': `资产负债率 75.0%，超过 70%（检查报告 #${r2.id}，检查日 2026-06-12）`,
      'debt-ratio-jump': `资产负债率由 45.0% 升至 75.0%，上升 30.0 个百分点（检查报告 #${r2.id}）`,
    });
    await runBatch(env.ctx, env.ctx.store!, '2026-06-16', 'system');
    expect((await listWarnings(env.ctx, { loanId, status: 'all' })).filter((w) => w.signalCode.startsWith('debt-ratio'))).toHaveLength(2);
  });

  it('sends details as codes and names in both languages, worded in the reader’s', async () => {
    const { loanId } = await world();
    await runBatch(env.ctx, env.ctx.store!, '2026-06-15', 'system');
    env.ctx.config.locale = 'en';
    const w = (await listWarnings(env.ctx, { loanId, status: 'open' })).find((x) => x.signalCode === 'overdue-30')!;
    expect(w.detail).toEqual({ kind: 'dpd', params: { dpd: 74, since: '2026-04-02' } });
    expect(localName(w.signalNames, 'en')).toBe('Overdue more than 30 days');
    expect(worded(w.detail, 'en')).toBe('74 days overdue (oldest unpaid due date 2026-04-02)');
    expect(worded(w.detail, 'zh-CN')).toBe('逾期 74 天（最早未还款日 2026-04-02）');
    const e = await fail(raiseWarning(env.ctx, { loanId, signalId: w.signalId, detail: 'again' }));
    expect(e.message).toMatch(/already has an open "Overdue more than 30 days" warning/);
  });
});
