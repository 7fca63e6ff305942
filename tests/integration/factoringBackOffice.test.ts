import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { translate } from '../../src/shared/i18n';
import { wordWarningDetail } from '../../src/shared/i18n/warningDetails';
import type { WarningDetail } from '../../src/shared/ipc/warnings';
import { createBorrower } from '../../src/main/features/borrowers/borrowers';
import { registerReceipt } from '../../src/main/features/collections/collections';
import { confirmNotices, prepareNotices } from '../../src/main/features/collections/notices';
import { addReceivables, adjustReceivable, confirmReceivable, listDebtors, recordMisdirected, setCollectionAccount, setDebtorLimit } from '../../src/main/features/factoring/backOffice';
import { createFactoring, getFactoring } from '../../src/main/features/factoring/factoring';
import { listWarnings } from '../../src/main/features/warnings/warnings';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { rawQuery } from '../helpers/storeSql';
import { actAs, createStaff, creditCode, loginAs } from '../helpers/portfolio';

/**
 * The factoring back office on one store: the debtors' register and limits, 确权, dilution, adding receivables
 * within the ratio, the collection account, misdirected payments and the assignment notice's receipt.
 */

// Which receivables a receipt confirms is the question, not the typesetting (seconds per notice in CJK fonts).
vi.mock('../../src/main/pdf/render', async (original) => ({ ...(await original<object>()), renderPdf: async () => Buffer.from('%PDF-1.4\n%%EOF\n') }));

let env: TestEnv;
let loanA: number;
let loanB: number;
const X = { debtorName: '厦门鑫源建材有限公司', debtorCode: creditCode('91350200M00020000'), debtorAddress: '厦门市思明区湖滨南路100号' };
const Y = { debtorName: '泉州华泰机械制造有限公司', debtorCode: creditCode('91350500M00030000'), debtorAddress: '泉州市丰泽区刺桐路8号' };

const seller = (name: string, code: string) =>
  createBorrower(env.ctx, { kind: 'enterprise', name, idNumber: creditCode(code), phone: '', address: '福州市鼓楼区五一路1号', employer: '', legalRep: '林某', industry: '批发和零售业', registeredCapitalFen: null, tier: 'normal' });

const financing = (contractNo: string, borrowerId: number, principalFen: number) => ({
  contractNo,
  borrowerId,
  product: '国内有追索权保理',
  principalFen,
  annualRate: '8',
  months: 6,
  method: 'bullet' as const,
  startDate: '2026-06-01',
  penaltyUplift: '0.5',
  purpose: '应收账款融资',
  guaranteeModes: ['credit' as const],
  officer: 'officer1',
});

const receivableOf = async (loanId: number, invoiceNo: string) => (await getFactoring(env.ctx, { loanId })).receivables.find((r) => r.invoiceNo === invoiceNo)!;
const debtor = async (name: string) => (await listDebtors(env.ctx)).find((d) => d.name === name)!;

beforeAll(async () => {
  env = newEnv();
  env.clock.t = Date.parse('2026-06-15T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const a = await seller('福州恒信商贸有限公司', '91350100M00010000');
  const b = await seller('福州海丰贸易有限公司', '91350100M00040000');
  loanA = (
    await createFactoring(env.ctx, {
      financing: financing('BL-2026-001', a.id, 8_000_000),
      recourse: true,
      financingRatio: '80',
      feeFen: 0,
      receivables: [
        { ...X, invoiceNo: 'FP001', invoiceAmountFen: 6_000_000, invoiceDate: '2026-05-20', dueDate: '2026-08-31' },
        { ...Y, invoiceNo: 'FP002', invoiceAmountFen: 4_000_000, invoiceDate: '2026-05-25', dueDate: '2026-09-30' },
      ],
    })
  ).loan.id;
  loanB = (
    await createFactoring(env.ctx, {
      financing: financing('BL-2026-002', b.id, 2_000_000),
      recourse: true,
      financingRatio: '80',
      feeFen: 0,
      receivables: [{ ...X, invoiceNo: 'FB001', invoiceAmountFen: 3_000_000, invoiceDate: '2026-05-28', dueDate: '2026-09-15' }],
    })
  ).loan.id;
}, 60_000);
afterAll(() => env.cleanup());

describe('the account debtors’ register', () => {
  it('shows each debtor’s exposure across sellers; a limit is set by a supervisor and flags a breach', async () => {
    await actAs(env.ctx, 'officer1');
    expect(await debtor(X.debtorName)).toMatchObject({ exposureFen: 9_000_000, sellers: 2, receivables: 2, limitFen: null, headroomFen: null, breach: false, unconfirmedFen: 9_000_000 });
    expect(await debtor(Y.debtorName)).toMatchObject({ exposureFen: 4_000_000, sellers: 1 });
    const x = await debtor(X.debtorName);
    // An officer does not set limits; another officer does not see debtors of financings it does not hold.
    expect((await fail(setDebtorLimit(env.ctx, { debtorId: x.id, limitFen: 1 }))).code).toBe('FORBIDDEN');
    await actAs(env.ctx, 'officer2');
    expect(await listDebtors(env.ctx)).toEqual([]);
    await actAs(env.ctx, 'supervisor1');
    const set = await setDebtorLimit(env.ctx, { debtorId: x.id, limitFen: 8_000_000 });
    // Breaches first.
    expect(set[0]).toMatchObject({ name: X.debtorName, limitFen: 8_000_000, headroomFen: -1_000_000, breach: true });
    const raised = await setDebtorLimit(env.ctx, { debtorId: x.id, limitFen: 9_000_000 });
    expect(raised.find((d) => d.id === x.id)).toMatchObject({ headroomFen: 0, breach: false });
    const audit = await env.ctx.store!.db.selectFrom('audit_log').select('detail').where('action', '=', 'factoring.debtorLimit').orderBy('id').execute();
    expect(audit.map((r) => JSON.parse(r.detail!))).toMatchObject([{ before: null, after: 8_000_000 }, { before: 8_000_000, after: 9_000_000 }]);
    expect((await fail(setDebtorLimit(env.ctx, { debtorId: 999, limitFen: 1 }))).code).toBe('NOT_FOUND');
    const dispatch = dispatcherFor(env.ctx);
    expect(await dispatch('factoring.setDebtorLimit', { debtorId: x.id, limitFen: -5 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('confirmation (确权) and dilution', () => {
  it('a signed confirmation is kept; a receipt does not replace it; dates are checked', async () => {
    await actAs(env.ctx, 'officer1');
    const r = await receivableOf(loanA, 'FP001');
    const v = await confirmReceivable(env.ctx, { receivableId: r.id, confirmation: 'signed', date: '2026-06-10', note: '债务人盖章确认书' });
    expect(v.receivables.find((x) => x.id === r.id)).toMatchObject({ confirmation: 'signed', confirmedOn: '2026-06-10', confirmationNote: '债务人盖章确认书' });
    expect(await fail(confirmReceivable(env.ctx, { receivableId: r.id, confirmation: 'receipt', date: '2026-06-12', note: '回执' }))).toMatchObject({ code: 'CONFLICT', issues: [{ path: 'confirmation' }] });
    expect(await fail(confirmReceivable(env.ctx, { receivableId: r.id, confirmation: 'signed', date: '2026-06-16', note: '未来' }))).toMatchObject({ issues: [{ path: 'date' }] });
    expect(await fail(confirmReceivable(env.ctx, { receivableId: r.id, confirmation: 'signed', date: '2026-05-01', note: '发票前' }))).toMatchObject({ issues: [{ path: 'date' }] });
    expect((await debtor(X.debtorName)).unconfirmedFen).toBe(3_000_000);
  });

  it('credit notes, returns and disputes reduce a receivable, never below zero; a disputed one leaves the eligible base until resolved', async () => {
    await actAs(env.ctx, 'officer1');
    const fp1 = await receivableOf(loanA, 'FP001');
    const fp2 = await receivableOf(loanA, 'FP002');
    let v = await getFactoring(env.ctx, { loanId: loanA });
    expect(v).toMatchObject({ eligibleBaseFen: 10_000_000, financeableFen: 8_000_000, balanceFen: 8_000_000 });
    v = await adjustReceivable(env.ctx, { receivableId: fp1.id, kind: 'credit-note', amountFen: 300_000, date: '2026-06-11', reason: '价格折让' });
    v = await adjustReceivable(env.ctx, { receivableId: fp1.id, kind: 'return', amountFen: 200_000, date: '2026-06-12', reason: '质量问题退货' });
    expect(v.receivables.find((r) => r.id === fp1.id)).toMatchObject({ dilutionFen: 500_000, outstandingFen: 5_500_000, eligible: true });
    expect(v.receivables.find((r) => r.id === fp1.id)!.adjustments.map((a) => [a.kind, a.amountFen, a.reason, a.by])).toEqual([
      ['credit-note', 300_000, '价格折让', 'officer1'],
      ['return', 200_000, '质量问题退货', 'officer1'],
    ]);
    const over = await fail(adjustReceivable(env.ctx, { receivableId: fp1.id, kind: 'credit-note', amountFen: 5_500_001, date: '2026-06-12', reason: '超额' }));
    expect(over).toMatchObject({ code: 'RULE_VIOLATION', issues: [{ path: 'amountFen' }] });
    expect(over.message).toContain('55,000.00');
    v = await adjustReceivable(env.ctx, { receivableId: fp2.id, kind: 'dispute', amountFen: 1_000_000, date: '2026-06-13', reason: '债务人称部分货物未交付' });
    expect(v.receivables.find((r) => r.id === fp2.id)).toMatchObject({ disputedFen: 1_000_000, dilutionFen: 1_000_000, outstandingFen: 3_000_000, eligible: false });
    expect(v).toMatchObject({ eligibleBaseFen: 5_500_000, financeableFen: 4_400_000 });
    expect((await debtor(Y.debtorName)).disputedFen).toBe(1_000_000);
    expect((await fail(adjustReceivable(env.ctx, { receivableId: fp2.id, kind: 'dispute-resolved', amountFen: 1_000_001, date: '2026-06-14', reason: '和解' }))).issues?.[0].path).toBe('amountFen');
    v = await adjustReceivable(env.ctx, { receivableId: fp2.id, kind: 'dispute-resolved', amountFen: 1_000_000, date: '2026-06-14', reason: '已交付，争议解除' });
    expect(v.receivables.find((r) => r.id === fp2.id)).toMatchObject({ disputedFen: 0, outstandingFen: 4_000_000, eligible: true });
    expect(v).toMatchObject({ eligibleBaseFen: 9_500_000, financeableFen: 7_600_000 });
    // Exposure follows the dilution.
    expect((await debtor(X.debtorName)).exposureFen).toBe(8_500_000);
    // The dilution raised 应收账款稀释 once (two adjustments, one open warning), the dispute 买方商务纠纷 (serious).
    const open = await listWarnings(env.ctx, { loanId: loanA, status: 'open' });
    const byCode = (code: string) => open.filter((w) => w.signalCode === code);
    expect(byCode('receivable-dilution').map((w) => [w.owner, w.source, w.level])).toEqual([['officer1', 'auto', 'medium']]);
    expect(wordWarningDetail((k, p) => translate('zh-CN', k, p), byCode('receivable-dilution')[0].detail as WarningDetail)).toBe('债务人 厦门鑫源建材有限公司 发票 FP001：2026-06-11 登记贷项通知（折让） 3,000.00 元');
    expect(byCode('debtor-dispute').map((w) => w.level)).toEqual(['serious']);
    expect(wordWarningDetail((k, p) => translate('en', k, p), byCode('debtor-dispute')[0].detail as WarningDetail)).toMatch(/^Account debtor 泉州华泰机械制造有限公司, invoice FP002: .+ of 10,000.00 yuan recorded on 2026-06-13$/);
    // Append-only.
    await expect(rawQuery(env.ctx, 'UPDATE receivable_adjustments SET amount_fen = 1')).rejects.toThrow(/append-only/);
    await expect(rawQuery(env.ctx, 'DELETE FROM receivable_adjustments')).rejects.toThrow(/append-only/);
  });
});

describe('adding receivables to a financing', () => {
  it('stays within ratio × eligible base, or nothing is added; past-due and repeated invoices are refused', async () => {
    await actAs(env.ctx, 'officer1');
    // Balance 8,000,000 against 80 % of 9,500,000: 7,600,000. Adding 100,000 is not enough (7,680,000).
    const short = await fail(addReceivables(env.ctx, { loanId: loanA, receivables: [{ ...Y, invoiceNo: 'FP003', invoiceAmountFen: 100_000, invoiceDate: '2026-06-01', dueDate: '2026-10-31' }] }));
    expect(short.code).toBe('RULE_VIOLATION');
    expect(short.message).toContain('76,800.00');
    expect((await getFactoring(env.ctx, { loanId: loanA })).receivables.map((r) => r.invoiceNo)).toEqual(['FP001', 'FP002']);
    const pastDue = await fail(addReceivables(env.ctx, { loanId: loanA, receivables: [{ ...Y, invoiceNo: 'FP004', invoiceAmountFen: 900_000, invoiceDate: '2026-03-01', dueDate: '2026-06-14' }] }));
    expect(pastDue.issues?.[0].path).toBe('receivables.0.dueDate');
    const dup = await fail(addReceivables(env.ctx, { loanId: loanA, receivables: [{ ...Y, invoiceNo: 'FP001', invoiceAmountFen: 900_000, invoiceDate: '2026-06-01', dueDate: '2026-10-31' }] }));
    expect(dup).toMatchObject({ code: 'CONFLICT', issues: [{ path: 'receivables.0.invoiceNo' }] });
    const v = await addReceivables(env.ctx, {
      loanId: loanA,
      receivables: [
        { ...Y, invoiceNo: 'FP003', invoiceAmountFen: 100_000, invoiceDate: '2026-06-01', dueDate: '2026-10-31' },
        { debtorName: '漳州联合食品有限公司', debtorCode: creditCode('91350600M00050000'), invoiceNo: 'FP005', invoiceAmountFen: 500_000, invoiceDate: '2026-06-02', dueDate: '2026-11-30' },
      ],
    });
    expect(v).toMatchObject({ eligibleBaseFen: 10_100_000, financeableFen: 8_080_000, balanceFen: 8_000_000 });
    expect(v.receivables.map((r) => r.invoiceNo)).toEqual(['FP001', 'FP002', 'FP003', 'FP005']);
    expect((await debtor('漳州联合食品有限公司')).exposureFen).toBe(500_000);
    // A debtor's limit holds when receivables are added: over it, nothing is added.
    await actAs(env.ctx, 'supervisor1');
    await setDebtorLimit(env.ctx, { debtorId: (await debtor('漳州联合食品有限公司')).id, limitFen: 600_000 });
    await actAs(env.ctx, 'officer1');
    const over = await fail(addReceivables(env.ctx, { loanId: loanA, receivables: [{ debtorName: '漳州联合食品有限公司', debtorCode: creditCode('91350600M00050000'), invoiceNo: 'FP010', invoiceAmountFen: 200_000, invoiceDate: '2026-06-02', dueDate: '2026-11-30' }] }));
    expect(over).toMatchObject({ code: 'RULE_VIOLATION', message: '应收账款债务人“漳州联合食品有限公司”的额度为 6,000.00 元，加上这些应收账款后敞口将达 7,000.00 元，超过额度。' });
    expect((await debtor('漳州联合食品有限公司')).exposureFen).toBe(500_000);
    // Another officer may not add to officer1's financing.
    await actAs(env.ctx, 'officer2');
    expect((await fail(addReceivables(env.ctx, { loanId: loanA, receivables: [{ ...Y, invoiceNo: 'FP009', invoiceAmountFen: 1, invoiceDate: '2026-06-01', dueDate: '2026-10-31' }] }))).code).toBe('FORBIDDEN');
  });
});

describe('collection account and misdirected payments', () => {
  it('records the account; a payment that reached the seller raises one warning, worded in both languages', async () => {
    await actAs(env.ctx, 'officer1');
    const dispatch = dispatcherFor(env.ctx);
    expect(await dispatch('factoring.setCollectionAccount', { loanId: loanA, bank: '工行', accountName: '测试', accountNo: '4100-0211-0902' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const v = await setCollectionAccount(env.ctx, { loanId: loanA, bank: '中国工商银行厦门分行营业部', accountName: '测试商业保理有限公司', accountNo: '4100 0211 0902 4001 234' });
    expect(v.collectionAccount).toEqual({ bank: '中国工商银行厦门分行营业部', accountName: '测试商业保理有限公司', accountNo: '4100021109024001234' });
    const fp2 = await receivableOf(loanA, 'FP002');
    const first = await recordMisdirected(env.ctx, { receivableId: fp2.id, amountFen: 1_500_000, date: '2026-06-14', note: '卖方来电告知债务人付至其基本户' });
    expect(first.warningId).not.toBeNull();
    // Recorded on the receivable; it is not paid down (the seller owes the money on).
    expect(first.factoring.receivables.find((r) => r.id === fp2.id)).toMatchObject({ misdirectedFen: 1_500_000, outstandingFen: 4_000_000 });
    const second = await recordMisdirected(env.ctx, { receivableId: fp2.id, amountFen: 500_000, date: '2026-06-15', note: '第二笔' });
    expect(second.warningId).toBe(first.warningId);
    expect((await fail(recordMisdirected(env.ctx, { receivableId: fp2.id, amountFen: 2_000_001, date: '2026-06-15', note: '超额' }))).issues?.[0].path).toBe('amountFen');
    const warnings = (await listWarnings(env.ctx, { loanId: loanA, status: 'open' })).filter((w) => w.signalCode === 'misdirected-payment');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ id: first.warningId, owner: 'officer1', source: 'auto', category: 'factoring', signalNames: { zh: '回款未进入指定账户' } });
    const detail = warnings[0].detail as WarningDetail;
    expect(wordWarningDetail((k, p) => translate('zh-CN', k, p), detail)).toBe('债务人 泉州华泰机械制造有限公司 于 2026-06-14 将发票 FP002 项下的 15,000.00 元付给了卖方，未进入回款账户');
    expect(wordWarningDetail((k, p) => translate('en', k, p), detail)).toBe('Account debtor 泉州华泰机械制造有限公司 paid 15,000.00 yuan on invoice FP002 to the seller on 2026-06-14, not into the collection account');
  });
});

describe('the assignment notice’s receipt', () => {
  it('confirms by receipt the receivables the notice named that were not confirmed; a signed confirmation stays', async () => {
    await actAs(env.ctx, 'officer1');
    await setCollectionAccount(env.ctx, { loanId: loanB, bank: '兴业银行福州分行', accountName: '测试商业保理有限公司', accountNo: '117010100100123456' });
    const b = await prepareNotices(env.ctx, { items: [{ loanId: loanA, docType: 'assignment-notice' }], asOf: null, payBy: null });
    // The debtor entered without an address gets no notice (and its receivable stays unconfirmed).
    expect(b.skipped.map((x) => x.reason)).toEqual([expect.stringContaining('漳州联合食品有限公司')]);
    await confirmNotices(env.ctx, { batchId: b.batchId! });
    const toX = b.notices.find((n) => n.addressee === X.debtorName)!;
    const toY = b.notices.find((n) => n.addressee === Y.debtorName)!;
    // A receivable entered after the notice was prepared was not on it.
    env.clock.t = Date.parse('2026-06-15T03:00:00Z');
    await addReceivables(env.ctx, { loanId: loanA, receivables: [{ ...Y, invoiceNo: 'FP006', invoiceAmountFen: 200_000, invoiceDate: '2026-06-10', dueDate: '2026-12-31' }] });
    await registerReceipt(env.ctx, { serial: toY.serial, signedOn: '2026-06-15', signedBy: 'debtor', delivery: 'ems', trackingNo: '', scan: null });
    await registerReceipt(env.ctx, { serial: toX.serial, signedOn: '2026-06-15', signedBy: 'debtor', delivery: 'ems', trackingNo: '', scan: null });
    const v = await getFactoring(env.ctx, { loanId: loanA });
    const by = Object.fromEntries(v.receivables.map((r) => [r.invoiceNo, [r.confirmation, r.confirmedOn, r.confirmationNote]]));
    expect(by).toEqual({
      FP001: ['signed', '2026-06-10', '债务人盖章确认书'],
      FP002: ['receipt', '2026-06-15', `转让通知书回执 ${toY.serial}`],
      FP003: ['receipt', '2026-06-15', `转让通知书回执 ${toY.serial}`],
      FP005: ['none', null, ''],
      FP006: ['none', null, ''],
    });
    // The other seller's receivable owed by the same debtor is not touched.
    expect((await receivableOf(loanB, 'FB001')).confirmation).toBe('none');
  });
});
