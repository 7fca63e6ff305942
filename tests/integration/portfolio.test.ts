import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/main/domain/batch';
import { decideClassification, pendingClassifications, proposeClassification } from '../../src/main/features/repayments/classification';
import { exportLedger, loanLedger } from '../../src/main/features/repayments/ledger';
import { getLoan, listLoans } from '../../src/main/features/loans/loans';
import { createRepayment, reverseRepayment } from '../../src/main/features/repayments/repayments';
import { decideReversal } from '../../src/main/features/repayments/servicing';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, creditCode, loan, loginAs, residentId } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const listAll = { query: '', officer: null, bucket: null, level: null, status: null, sort: 'contractNo' as const, direction: 'asc' as const, limit: 50, offset: 0 };

async function start(): Promise<TestEnv> {
  env = newEnv();
  env.clock.t = Date.parse('2026-03-01T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  return env;
}

describe('portfolio', () => {
  it('a borrower with a duplicate ID number is refused with a link to the existing one', async () => {
    await start();
    const b = await borrower(env.ctx);
    const e = await fail(borrower(env.ctx, '张三丰'));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('张三');
    expect(e.ref).toEqual({ entity: 'borrower', id: b.id });
    expect(e.issues?.[0].path).toBe('idNumber');
  });

  it('IPC refuses bad ID numbers, credit codes, rates and fractional fen, naming the field', async () => {
    await start();
    const dispatch = dispatcherFor(env.ctx);
    const base = { kind: 'person', name: '李四', idNumber: residentId('11010519900307281'), phone: '', address: '', employer: '', legalRep: '', industry: '', registeredCapitalFen: null, tier: 'good' };
    const badId = base.idNumber.slice(0, 17) + (base.idNumber.endsWith('1') ? '2' : '1');
    const cases: [unknown, string, RegExp][] = [
      [{ ...base, idNumber: badId }, 'idNumber', /身份证号码不正确/],
      [{ ...base, idNumber: '11010520990101123X' }, 'idNumber', /身份证号码不正确/],
      [{ ...base, kind: 'enterprise', idNumber: creditCode('91350100M00010000').replace(/.$/, 'Z') }, 'idNumber', /统一社会信用代码不正确/],
      [{ ...base, registeredCapitalFen: 12.5 }, 'registeredCapitalFen', /格式不正确/],
    ];
    for (const [input, path, message] of cases) {
      const r = await dispatch('borrowers.create', input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.issues?.find((i) => i.path === path)?.message).toMatch(message);
    }
    const good = await dispatch('borrowers.create', { ...base, kind: 'enterprise', name: '某某商贸有限公司', idNumber: creditCode('91350100M00010000') });
    expect(good.ok).toBe(true);
    const loanBase = { contractNo: 'HT-1', borrowerId: 1, product: '经营贷', principalFen: 100_000, annualRate: '12', months: 6, method: 'bullet', startDate: '2026-01-01', penaltyUplift: '0.5', purpose: '', guaranteeModes: ['credit'], officer: 'officer1' };
    const loanCases: [Record<string, unknown>, string][] = [
      [{ annualRate: '36.5' }, 'annualRate'],
      [{ annualRate: '0' }, 'annualRate'],
      [{ principalFen: -5 }, 'principalFen'],
      [{ principalFen: 0 }, 'principalFen'],
      [{ principalFen: 100.5 }, 'principalFen'],
      [{ principalFen: 2 ** 53 }, 'principalFen'],
      [{ startDate: '2026-02-30' }, 'startDate'],
      [{ penaltyUplift: '0.8' }, 'penaltyUplift'],
    ];
    for (const [over, path] of loanCases) {
      const r = await dispatch('loans.create', { ...loanBase, ...over });
      expect(r.ok, JSON.stringify(over)).toBe(false);
      if (!r.ok) expect(r.error.issues?.map((i) => i.path), JSON.stringify(over)).toContain(path);
    }
  });

  it('a loan, its schedule, a repayment and a reversal: DPD, ledger and balance follow', async () => {
    await start();
    const b = await borrower(env.ctx);
    const created = await loan(env.ctx, b.id);
    expect(created.schedule).toHaveLength(12);
    expect(created.schedule.reduce((s, p) => s + p.principalFen, 0)).toBe(12_000_000);
    // 2026-02-15 was due and nothing was paid: on 2026-03-01 it is 14 days past due.
    expect(created.state).toMatchObject({ dpd: 14, bucket: 'M1', level: 'special-mention', overduePrincipalFen: 1_000_000 });
    expect(created.state.floorReasons).toEqual([{ code: 'specialMention', params: { dpd: 14 } }]);

    const firstDue = created.schedule[0];
    const penalty = created.state.penaltyOutstandingFen;
    expect(penalty).toBeGreaterThan(0);
    const paid = await createRepayment(env.ctx, { loanId: created.loan.id, paidOn: '2026-03-01', amountFen: firstDue.principalFen + firstDue.interestFen + penalty, note: '现金' });
    expect(paid.state).toMatchObject({ dpd: 0, bucket: 'M0', level: 'normal', penaltyOutstandingFen: 0 });
    expect(paid.repayments[0].allocation).toEqual({ penaltyFen: penalty, interestFen: firstDue.interestFen, principalFen: firstDue.principalFen, unallocatedFen: 0, feeFen: 0 });

    let ledger = await loanLedger(env.ctx, { loanId: created.loan.id });
    expect(ledger.entries.map((e) => e.kind)).toEqual(['disbursement', 'repayment', 'classification', 'classification']);
    expect(ledger.entries.find((e) => e.kind === 'repayment')!.balanceFen).toBe(11_000_000);

    // A reversal is proposed, changes nothing until another user approves it (see servicing.test.ts).
    const proposed = await reverseRepayment(env.ctx, { repaymentId: paid.repayments[0].id, reason: '银行退票' });
    expect(proposed.state.dpd).toBe(0);
    await actAs(env.ctx, 'supervisor1');
    const reversed = await decideReversal(env.ctx, { reversalId: proposed.repayments[0].reversalPending!.id, approve: true, comment: '同意' });
    expect(reversed.state.dpd).toBe(14);
    expect(reversed.repayments[0].reversed).toMatchObject({ reason: '银行退票', by: 'officer1' });
    expect((await fail(reverseRepayment(env.ctx, { repaymentId: paid.repayments[0].id, reason: '再冲' }))).code).toBe('CONFLICT');
    ledger = await loanLedger(env.ctx, { loanId: created.loan.id });
    expect(ledger.entries.filter((e) => e.kind === 'reversal')).toHaveLength(1);
    expect(ledger.entries.at(-1)!.balanceFen).toBe(12_000_000);
  });

  it('repayments dated before disbursement or in the future are refused on the field', async () => {
    await start();
    const b = await borrower(env.ctx);
    const l = await loan(env.ctx, b.id);
    const before = await fail(createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-01-14', amountFen: 100, note: '' }));
    expect(before).toMatchObject({ code: 'RULE_VIOLATION', issues: [{ path: 'paidOn' }] });
    const future = await fail(createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-03-02', amountFen: 100, note: '' }));
    expect(future.message).toContain('不能晚于今天');
    expect((await getLoan(env.ctx, { id: l.loan.id, asOf: null })).repayments).toHaveLength(0);
  });

  it('maker–checker on classification: worse than the floor only, and never one’s own approval', async () => {
    await start();
    const b = await borrower(env.ctx);
    const l = await loan(env.ctx, b.id);
    expect(l.state.floorLevel).toBe('special-mention');
    const better = await fail(proposeClassification(env.ctx, { loanId: l.loan.id, level: 'normal', reason: '客户承诺还款' }));
    expect(better.code).toBe('RULE_VIOLATION');
    await proposeClassification(env.ctx, { loanId: l.loan.id, level: 'substandard', reason: '经营停滞，现金流不足' });
    expect((await fail(proposeClassification(env.ctx, { loanId: l.loan.id, level: 'doubtful', reason: 'x' }))).code).toBe('CONFLICT');
    const [p] = await pendingClassifications(env.ctx);
    // An officer cannot approve at all.
    expect((await fail(decideClassification(env.ctx, { proposalId: p.id, approve: true, comment: '同意' }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'supervisor1');
    const approved = await decideClassification(env.ctx, { proposalId: p.id, approve: true, comment: '同意下调' });
    expect(approved.state.level).toBe('substandard');
    expect(approved.classifications[0]).toMatchObject({ status: 'approved', proposedBy: 'officer1', decidedBy: 'supervisor1', level: 'substandard' });
    // A supervisor's own proposal needs another supervisor.
    await proposeClassification(env.ctx, { loanId: l.loan.id, level: 'doubtful', reason: '借款人失联' });
    const [own] = await pendingClassifications(env.ctx);
    const e = await fail(decideClassification(env.ctx, { proposalId: own.id, approve: true, comment: '同意' }));
    expect(e).toMatchObject({ code: 'RULE_VIOLATION' });
    expect(e.message).toContain('自己');
    await loginAs(env.ctx, 'supervisor2');
    await decideClassification(env.ctx, { proposalId: own.id, approve: false, comment: '证据不足' });
    expect((await getLoan(env.ctx, { id: l.loan.id, asOf: null })).state.level).toBe('substandard');
  });

  it('officers see only their own loans; supervisors see the branch', async () => {
    await start();
    const b = await borrower(env.ctx);
    const mine = await loan(env.ctx, b.id);
    await loginAs(env.ctx, 'officer2');
    const b2 = await borrower(env.ctx, '王五', '11010519850505123');
    await loan(env.ctx, b2.id, { contractNo: 'HT-2026-0002', officer: 'officer2' });
    expect((await listLoans(env.ctx, listAll)).rows.map((r) => r.contractNo)).toEqual(['HT-2026-0002']);
    expect((await fail(getLoan(env.ctx, { id: mine.loan.id, asOf: null }))).code).toBe('FORBIDDEN');
    expect((await fail(loan(env.ctx, b2.id, { contractNo: 'HT-X', officer: 'officer1' }))).code).toBe('RULE_VIOLATION');
    await loginAs(env.ctx, 'supervisor1');
    expect((await listLoans(env.ctx, listAll)).rows.map((r) => r.contractNo)).toEqual(['HT-2026-0001', 'HT-2026-0002']);
    await loginAs(env.ctx, 'admin');
    expect((await fail(listLoans(env.ctx, listAll))).code).toBe('FORBIDDEN');
  });

  it('the daily batch moves DPD, bucket and floor over the 90-day boundary and records the change', async () => {
    await start();
    const b = await borrower(env.ctx);
    const l = await loan(env.ctx, b.id, { method: 'bullet', months: 1, startDate: '2026-01-15' });
    const due = l.schedule[0].dueDate;
    expect(due).toBe('2026-02-15');
    const store = env.ctx.store!;
    await runBatch(env.ctx, store, '2026-05-16', 'system');
    let s = await store.db.selectFrom('loan_status').selectAll().where('loan_id', '=', l.loan.id).executeTakeFirstOrThrow();
    expect(s).toMatchObject({ dpd: 90, bucket: 'M3', level: 'special-mention' });
    await runBatch(env.ctx, store, '2026-05-17', 'system');
    s = await store.db.selectFrom('loan_status').selectAll().where('loan_id', '=', l.loan.id).executeTakeFirstOrThrow();
    expect(s).toMatchObject({ dpd: 91, bucket: 'M4', level: 'substandard' });
    expect(JSON.parse(s.floor_reasons)).toEqual([{ code: 'substandard', params: { dpd: 91 } }]);
    const history = await store.db.selectFrom('classifications').select(['level', 'status']).where('loan_id', '=', l.loan.id).orderBy('id').execute();
    expect(history.map((h) => h.level)).toEqual(['special-mention', 'substandard']);
  });

  it('the loans whose class the batch changed are re-planned, a chunk of loans a transaction', async () => {
    await start();
    const b = await borrower(env.ctx);
    const a = await loan(env.ctx, b.id, { startDate: '2026-01-15' });
    const c = await loan(env.ctx, b.id, { contractNo: 'HT-2026-0002', startDate: '2026-01-15' });
    const store = env.ctx.store!;
    const routine = async (loanId: number) =>
      (await store.db.selectFrom('inspections').select(['status', 'due_date']).where('loan_id', '=', loanId).where('kind', '=', 'routine').orderBy('id').execute()).map((r) => `${r.status} ${r.due_date}`);
    const before = await routine(a.loan.id);
    expect(before.length).toBeGreaterThan(5);
    expect(before.every((r) => r.startsWith('planned '))).toBe(true);
    // The first run stores their statuses (no class before it to change from): nothing is re-planned.
    await runBatch(env.ctx, store, '2026-05-16', 'system', { replanChunk: 1 });
    expect(await routine(a.loan.id)).toEqual(before);
    expect(await routine(c.loan.id)).toEqual(before);
    // 91 days past due: both become 次级, each in a transaction of its own; both are re-planned from today.
    const run = await runBatch(env.ctx, store, '2026-05-17', 'system', { replanChunk: 1 });
    expect(run.changedLevels).toBe(2);
    for (const id of [a.loan.id, c.loan.id]) {
      const after = await routine(id);
      expect(after.slice(0, before.length)).toEqual(before.map((r) => r.replace('planned', 'cancelled')));
      const replanned = after.slice(before.length);
      expect(replanned.length).toBeGreaterThan(5);
      expect(replanned.every((r) => r.startsWith('planned ') && r.slice(8) > '2026-03-01')).toBe(true);
      expect(replanned).not.toEqual(before);
    }
  });

  it('exports the ledger to an Excel workbook that LibreOffice opens', async () => {
    await start();
    const b = await borrower(env.ctx);
    const l = await loan(env.ctx, b.id);
    await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-02-15', amountFen: 1_120_000, note: '' });
    const { base64, fileName } = await exportLedger(env.ctx, { loanId: l.loan.id });
    expect(fileName).toBe('贷款台账_HT-2026-0001.xlsx');
    const dir = join(env.root, 'xlsx');
    mkdirSync(dir);
    const file = join(dir, 'ledger.xlsx');
    writeFileSync(file, Buffer.from(base64, 'base64'));
    execFileSync('soffice', ['--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, file], { stdio: 'ignore', timeout: 120_000, env: { ...process.env, HOME: env.root } });
    const csv = readFileSync(join(dir, 'ledger.csv'), 'utf8');
    expect(csv).toContain('贷款台账 — 合同 HT-2026-0001');
    expect(csv).toContain('放款');
    expect(csv).toMatch(/"?120,?000\.00"?/);
    expect(csv).toMatch(/"?110,?000\.00"?/);
  });
});

describe('allocation order', () => {
  it('a loan keeps the order it was entered with when the setting changes', async () => {
    await start();
    const b = await borrower(env.ctx);
    const before = await loan(env.ctx, b.id);
    await loginAs(env.ctx, 'admin');
    const { updateSettings, getSettings } = await import('../../src/main/features/settings/settings');
    await updateSettings(env.ctx, { ...(await getSettings(env.ctx)), allocationOrder: ['principal', 'interest', 'penalty'] });
    await loginAs(env.ctx, 'officer1');
    const after = await loan(env.ctx, b.id, { contractNo: 'HT-2026-0009' });
    const pay = { paidOn: '2026-03-01', amountFen: 500_000, note: '' };
    const a = await createRepayment(env.ctx, { loanId: before.loan.id, ...pay });
    const c = await createRepayment(env.ctx, { loanId: after.loan.id, ...pay });
    expect(a.repayments[0].allocation!.penaltyFen).toBeGreaterThan(0);
    expect(c.repayments[0].allocation).toMatchObject({ principalFen: 500_000, penaltyFen: 0, interestFen: 0 });
  });
});

describe('list filters', () => {
  it('filters loans by borrower and overdue-only, names the officer, and sorts borrowers', async () => {
    await start();
    const a = await borrower(env.ctx, '张三');
    const b = await borrower(env.ctx, '李四', '11010519850505123');
    await loan(env.ctx, a.id);
    // Disbursed today: nothing is due yet.
    await loan(env.ctx, b.id, { contractNo: 'HT-2026-0002', startDate: '2026-03-01' });
    const byBorrower = await listLoans(env.ctx, { ...listAll, borrowerId: b.id });
    expect(byBorrower.rows.map((r) => [r.contractNo, r.officerName])).toEqual([['HT-2026-0002', 'officer1']]);
    expect((await listLoans(env.ctx, { ...listAll, overdueOnly: true })).rows.map((r) => r.contractNo)).toEqual(['HT-2026-0001']);
    const { searchBorrowers } = await import('../../src/main/features/borrowers/borrowers');
    const sorted = await searchBorrowers(env.ctx, { query: '', kind: null, tier: null, sort: 'name', direction: 'desc', limit: 10, offset: 0 });
    // Code-point order: 张 (U+5F20) before 李 (U+674E).
    // By pinyin (zhangsan after lisi), not by character code (张 U+5F20 before 李 U+674E).
    expect(sorted.rows.map((r) => r.name)).toEqual(['张三', '李四']);
    const byLoans = await searchBorrowers(env.ctx, { query: '', kind: null, tier: null, sort: 'balanceFen', direction: 'desc', limit: 10, offset: 0 });
    expect(byLoans.rows.map((r) => r.name)).toEqual(['张三', '李四']);
  });
});
