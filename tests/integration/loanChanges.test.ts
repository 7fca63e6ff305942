import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyExtension, decideChange, pendingChanges, proposeWriteOff, recordRecovery, writtenOff } from '../../src/main/features/loanChanges/loanChanges';
import { getLoan, listLoans } from '../../src/main/features/loans/loans';
import { loanLedger } from '../../src/main/features/repayments/ledger';
import { fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

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
    expect(ledger.entries.find((e) => e.kind === 'restructuring')?.description).toContain('2027-06-01');
  });
});
