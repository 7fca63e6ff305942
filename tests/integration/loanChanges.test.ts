import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyAcceleration, applyExtension, decideChange, pendingChanges, proposeWriteOff, recordRecovery, writtenOff } from '../../src/main/features/loanChanges/loanChanges';
import { getLoan, listLoans } from '../../src/main/features/loans/loans';
import { loanLedger } from '../../src/main/features/repayments/ledger';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { addGuarantee } from '../../src/main/features/loans/collateral';
import { loanLimitation } from '../../src/main/features/collections/collections';
import { prepareNotices } from '../../src/main/features/collections/notices';
import { borrower, createStaff, loan, loginAs, residentId } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

async function world(now: string) {
  env = newEnv();
  env.clock.t = Date.parse(`${now}T02:00:00Z`);
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  return borrower(env.ctx);
}

describe('extension and write-off', () => {
  it('an extension filed in time is approved by a supervisor and reschedules what is not yet due', async () => {
    const b = await world('2026-05-01');
    const l = await loan(env.ctx, b.id, { method: 'monthly-interest', months: 6, startDate: '2026-01-10' });
    expect(l.loan.maturityDate).toBe('2026-07-10');
    expect((await fail(applyExtension(env.ctx, { loanId: l.loan.id, newMaturity: '2027-03-10', reason: '订单回款延迟' }))).message).toContain('6 个月');
    const c = await applyExtension(env.ctx, { loanId: l.loan.id, newMaturity: '2026-12-10', reason: '订单回款延迟' });
    expect((await fail(decideChange(env.ctx, { changeId: c.id, approve: true, comment: '同意' }))).code).toBe('RULE_VIOLATION');
    await loginAs(env.ctx, 'supervisor1');
    expect((await pendingChanges(env.ctx)).map((x) => x.id)).toEqual([c.id]);
    const done = await decideChange(env.ctx, { changeId: c.id, approve: true, comment: '同意展期' });
    expect(done.status).toBe('approved');
    const d = await getLoan(env.ctx, { id: l.loan.id, asOf: null });
    expect(d.loan).toMatchObject({ maturityDate: '2026-12-10', extended: true });
    expect(d.schedule.at(-1)).toMatchObject({ dueDate: '2026-12-10', principalFen: 12_000_000 });
    expect(d.schedule.reduce((n, p) => n + p.principalFen, 0)).toBe(12_000_000);
    expect((await loanLedger(env.ctx, { loanId: l.loan.id })).entries.some((e) => e.kind === 'extension')).toBe(true);
    const { extensionPdf } = await import('../../src/main/features/loans/printing');
    const agreement = await extensionPdf(env.ctx, 'HT-2026-0001', 'extension-agreement');
    const file = join(env.root, 'agreement.pdf');
    writeFileSync(file, Buffer.from(agreement.base64, 'base64'));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('贷款展期协议');
    expect(text).toContain('由2026年7月10日变更为2026年12月10日');
    expect(text).toContain('人民币壹拾贰万元整');
  });

  it('refuses an extension filed too close to maturity or after it', async () => {
    const b = await world('2026-06-30');
    const l = await loan(env.ctx, b.id, { method: 'bullet', months: 6, startDate: '2026-01-10' });
    const { extensionPdf } = await import('../../src/main/features/loans/printing');
    expect((await fail(extensionPdf(env.ctx, 'HT-2026-0001', 'extension-agreement'))).code).toBe('RULE_VIOLATION');
    const form = await extensionPdf(env.ctx, 'HT-2026-0001', 'extension-application');
    expect(form.fileName).toBe('展期申请书_HT-2026-0001.pdf');
    const e = await fail(applyExtension(env.ctx, { loanId: l.loan.id, newMaturity: '2026-10-10', reason: '资金周转' }));
    expect(e.code).toBe('RULE_VIOLATION');
    expect(e.message).toContain('15 天');
  });

  it('a write-off needs a non-performing loan, then the supervisor and the risk officer; recoveries are kept', async () => {
    const b = await world('2026-10-01');
    const ok = await loan(env.ctx, b.id, { contractNo: 'HT-OK', startDate: '2026-09-20' });
    expect((await fail(proposeWriteOff(env.ctx, { loanId: ok.loan.id, reason: '无法收回', evidence: '判决书' }))).message).toContain('不良贷款');
    const bad = await loan(env.ctx, b.id, { contractNo: 'HT-BAD', method: 'bullet', months: 1, startDate: '2026-04-01' });
    expect(bad.state.level).toBe('substandard');
    const w = await proposeWriteOff(env.ctx, { loanId: bad.loan.id, reason: '借款人死亡，无遗产', evidence: '死亡证明、法院终结执行裁定书' });
    await loginAs(env.ctx, 'risk1');
    expect((await fail(decideChange(env.ctx, { changeId: w.id, approve: true, comment: '同意' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'supervisor1');
    expect((await decideChange(env.ctx, { changeId: w.id, approve: true, comment: '同意上报' })).status).toBe('first-approved');
    expect((await fail(decideChange(env.ctx, { changeId: w.id, approve: true, comment: '再批' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'risk1');
    expect((await decideChange(env.ctx, { changeId: w.id, approve: true, comment: '同意核销' })).status).toBe('approved');
    const active = await listLoans(env.ctx, { query: '', officer: null, bucket: null, level: null, status: 'active', sort: 'contractNo', direction: 'asc', limit: 10, offset: 0 });
    expect(active.rows.map((r) => r.contractNo)).toEqual(['HT-OK']);
    await loginAs(env.ctx, 'officer1');
    const reg = await recordRecovery(env.ctx, { loanId: bad.loan.id, paidOn: '2026-10-01', amountFen: 50_000, note: '处置遗物所得' });
    expect(reg).toMatchObject([{ contractNo: 'HT-BAD', writtenOffOn: '2026-10-01', recoveredFen: 50_000 }]);
    expect((await writtenOff(env.ctx))[0].balanceFen).toBe(12_000_000);
  });
});

describe('restructuring', () => {
  it('reschedules, flags the loan and keeps the floor at substandard through the observation period', async () => {
    const b = await world('2026-06-01');
    const l = await loan(env.ctx, b.id, { method: 'bullet', months: 1, startDate: '2026-01-20' });
    expect(l.state).toMatchObject({ dpd: 101, level: 'substandard' });
    const { applyRestructuring } = await import('../../src/main/features/loanChanges/loanChanges');
    const c = await applyRestructuring(env.ctx, { loanId: l.loan.id, newMaturity: '2027-06-20', newRate: '10', newMethod: 'equal-installment', reason: '经营恢复，调整还款计划' });
    await loginAs(env.ctx, 'supervisor1');
    await decideChange(env.ctx, { changeId: c.id, approve: true, comment: '同意重组' });
    const d = await getLoan(env.ctx, { id: l.loan.id, asOf: null });
    expect(d.loan).toMatchObject({ restructured: true, maturityDate: '2027-06-20', annualRate: '10', method: 'equal-installment' });
    // Nothing of the new schedule is due yet, yet the floor stays at substandard: it was non-performing before.
    expect(d.state).toMatchObject({ dpd: 0, floorLevel: 'substandard' });
    expect(d.state.floorReasons).toEqual([{ code: 'restructuredNpl', params: {} }]);
    // The overdue principal moved into the new schedule: principals still add up to the loan.
    expect(d.schedule.reduce((n, p) => n + p.principalFen, 0)).toBe(12_000_000);
    expect(d.schedule[0]).toMatchObject({ dueDate: '2026-02-20', principalFen: 0, status: 'paid' });
    const ledger = await loanLedger(env.ctx, { loanId: l.loan.id });
    expect(ledger.entries.find((e) => e.kind === 'restructuring')?.description).toContain('观察期至 2027年6月1日');
  });
});

describe('acceleration (宣布贷款提前到期)', () => {
  it('a supervisor approves it: the rest falls due that day with interest to it, and the DPD, limitation clock, guarantee period and notice follow', async () => {
    const b = await world('2026-06-20');
    // 12 equal-principal instalments of 10,000 yuan from 2026-02-15; five have fallen due unpaid.
    const l = await loan(env.ctx, b.id);
    await addGuarantee(env.ctx, { loanId: l.loan.id, guarantor: { kind: 'person', name: '王保证', idNumber: residentId('11010519750808123'), phone: '13900000000', address: '北京市海淀区中关村大街1号' }, guaranteeType: 'joint', amountFen: 12_000_000, periodEnd: '2030-01-15' });
    const before = await getLoan(env.ctx, { id: l.loan.id, asOf: null });
    expect(before.state.dpd).toBe(125);
    expect(before.state.overduePrincipalFen).toBe(5_000_000);

    const dispatch = dispatcherFor(env.ctx);
    const none = await dispatch('changes.applyAcceleration', { loanId: l.loan.id, grounds: [], reason: '严重逾期' });
    expect(none).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'grounds', message: '请至少选择一项违约事由' }] } });
    const c = await applyAcceleration(env.ctx, { loanId: l.loan.id, grounds: ['overdue', 'lost-contact'], reason: '连续五期未还，电话停机' });
    expect(c).toMatchObject({ kind: 'acceleration', status: 'pending', grounds: ['overdue', 'lost-contact'], newMaturity: null });
    expect((await fail(applyAcceleration(env.ctx, { loanId: l.loan.id, grounds: ['misuse'], reason: '再次申请' }))).code).toBe('CONFLICT');
    expect((await fail(decideChange(env.ctx, { changeId: c.id, approve: true, comment: '同意' }))).code).toBe('RULE_VIOLATION');
    // Before approval nothing changes.
    const notYet = await prepareNotices(env.ctx, { items: [{ loanId: l.loan.id, docType: 'acceleration-notice' }], asOf: null, payBy: null });
    expect(notYet.skipped).toMatchObject([{ reason: '该贷款未经批准宣布提前到期' }]);
    expect((await getLoan(env.ctx, { id: l.loan.id, asOf: null })).loan.accelerated).toBe(false);

    await loginAs(env.ctx, 'supervisor1');
    expect((await decideChange(env.ctx, { changeId: c.id, approve: true, comment: '同意宣布提前到期' })).newMaturity).toBe('2026-06-20');
    const d = await getLoan(env.ctx, { id: l.loan.id, asOf: null });
    expect(d.loan.maturityDate).toBe('2026-06-20');
    expect(d.schedule).toHaveLength(6);
    // 70,000 yuan not yet due, with 5 days' interest since 2026-06-15 at 12% actual/360: 116.666… → 116.67.
    expect(d.schedule.at(-1)).toMatchObject({ period: 6, dueDate: '2026-06-20', principalFen: 7_000_000, interestFen: 11_667 });
    expect(d.schedule.reduce((n, p) => n + p.principalFen, 0)).toBe(12_000_000);
    expect(d.guarantees[0].periodEnd).toBe('2029-06-20');
    const lim = await loanLimitation(env.ctx, { loanId: l.loan.id });
    expect(lim.runsFrom).toBe('2026-06-20');
    expect(lim.expiry >= '2029-06-20').toBe(true);
    expect(lim.guarantors[0].guaranteePeriodEnd).toBe('2029-06-20');
    const ledger = (await loanLedger(env.ctx, { loanId: l.loan.id })).entries.find((e) => e.kind === 'acceleration');
    expect(ledger?.description).toBe('宣布提前到期：到期日由 2027年1月15日 提前至 2026年6月20日（逾期未还本息、失联或逃废债务）');
    expect(d.loan.accelerated).toBe(true);

    // The next day all of it is overdue; the DPD still counts from the oldest unpaid instalment.
    env.clock.t += 86_400_000;
    await loginAs(env.ctx, 'supervisor1');
    const after = await getLoan(env.ctx, { id: l.loan.id, asOf: null });
    expect(after.state).toMatchObject({ dpd: 126, overduePrincipalFen: 12_000_000 });

    const batch = await prepareNotices(env.ctx, { items: [{ loanId: l.loan.id, docType: 'acceleration-notice' }], asOf: null, payBy: '2026-07-01' });
    expect(batch.skipped).toEqual([]);
    const file = join(env.root, 'acceleration.pdf');
    writeFileSync(file, Buffer.from(batch.base64!, 'base64'));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('贷款提前到期通知书');
    expect(text).toContain('逾期未还本息、失联或逃废债务');
    expect(text).toContain('于2026年6月20日全部提前到期');
    expect(text).toContain('人民币壹拾贰万元整');
    expect(text).toMatch(/\d{4}-TQ-\d{6}/);
  });

  it('needs an overdue loan for the ground “overdue”, and none after maturity', async () => {
    const b = await world('2026-03-01');
    const l = await loan(env.ctx, b.id, { startDate: '2026-02-20' });
    expect((await fail(applyAcceleration(env.ctx, { loanId: l.loan.id, grounds: ['overdue'], reason: '逾期' }))).message).toContain('没有逾期款项');
    expect((await applyAcceleration(env.ctx, { loanId: l.loan.id, grounds: ['misuse'], reason: '贷款资金流入股市' })).status).toBe('pending');
    const old = await loan(env.ctx, b.id, { contractNo: 'HT-OLD', method: 'bullet', months: 1, startDate: '2026-01-10' });
    expect((await fail(applyAcceleration(env.ctx, { loanId: old.loan.id, grounds: ['overdue'], reason: '逾期' }))).message).toContain('已于 2026-02-10 到期');
  });
});
