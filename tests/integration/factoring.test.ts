import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { amountInWords } from '../../src/shared/domain';
import { monthlyPdfBuffer, monthlyXlsxBuffer } from '../../src/main/features/managementReports/documents';
import { createBorrower } from '../../src/main/features/borrowers/borrowers';
import { createFactoring, getFactoring, receivablePayment, setDebtorRelatedParty } from '../../src/main/features/factoring/factoring';
import { adjustReceivable } from '../../src/main/features/factoring/backOffice';
import { concentration } from '../../src/main/features/managementReports/reports';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { rawQuery } from '../helpers/storeSql';
import { actAs, borrower, createStaff, creditCode, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

async function seller() {
  return createBorrower(env.ctx, {
    kind: 'enterprise',
    name: '福州恒信商贸有限公司',
    idNumber: creditCode('91350100M00010000'),
    phone: '0591-88888888',
    address: '福州市鼓楼区五一路1号',
    employer: '',
    legalRep: '林某',
    industry: '批发和零售业',
    registeredCapitalFen: 500_000_000,
    tier: 'normal',
  });
}

const receivables = [
  { debtorName: '厦门鑫源建材有限公司', debtorCode: creditCode('91350200M00020000'), invoiceNo: 'FP001', invoiceAmountFen: 6_000_000, invoiceDate: '2026-01-05', dueDate: '2026-04-30' },
  { debtorName: '泉州华泰机械制造有限公司', debtorCode: creditCode('91350500M00030000'), invoiceNo: 'FP002', invoiceAmountFen: 4_000_000, invoiceDate: '2026-01-08', dueDate: '2026-04-30' },
];

const financing = (sellerId: number, over = {}) => ({
  contractNo: 'BL-2026-001',
  borrowerId: sellerId,
  product: '国内有追索权保理',
  principalFen: 8_000_000,
  annualRate: '8',
  months: 3,
  method: 'bullet' as const,
  startDate: '2026-01-31',
  penaltyUplift: '0.5',
  purpose: '应收账款融资',
  guaranteeModes: ['credit' as const],
  officer: 'officer1',
  ...over,
});

describe('factoring', () => {
  it('records receivables, applies debtor payments and the seller’s buy-back to the financing', async () => {
    env = newEnv();
    env.clock.t = Date.parse('2026-05-10T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const s = await seller();
    const d = await createFactoring(env.ctx, { financing: financing(s.id), recourse: true, financingRatio: '80', feeFen: 80_000, receivables });
    expect(d.loan.kind).toBe('factoring');
    expect(d.state.dpd).toBe(10);
    let f = await getFactoring(env.ctx, { loanId: d.loan.id });
    expect(f.receivables.map((r) => r.outstandingFen)).toEqual([6_000_000, 4_000_000]);
    const [r1, r2] = f.receivables;
    await receivablePayment(env.ctx, { receivableId: r1.id, kind: 'debtor', paidOn: '2026-04-30', amountFen: 6_000_000 });
    const after = await receivablePayment(env.ctx, { receivableId: r2.id, kind: 'buyback', paidOn: '2026-05-08', amountFen: 4_000_000 });
    f = await getFactoring(env.ctx, { loanId: d.loan.id });
    expect(f.receivables.map((r) => [r.paidByDebtorFen, r.boughtBackFen, r.outstandingFen])).toEqual([
      [6_000_000, 0, 0],
      [0, 4_000_000, 0],
    ]);
    expect(after.repayments.map((r) => r.source)).toEqual(['debtor', 'buyback']);
    expect(after.state.dpd).toBe(0);
    expect(after.state.balanceFen).toBe(0);
    const over = await fail(receivablePayment(env.ctx, { receivableId: r1.id, kind: 'debtor', paidOn: '2026-05-09', amountFen: 1 }));
    expect(over.issues?.[0].path).toBe('amountFen');
  });

  it('refuses a duplicate invoice of the same seller, a buy-back without recourse and financing over the ratio; related-party debtors against their limit', async () => {
    env = newEnv();
    env.clock.t = Date.parse('2026-03-01T02:00:00Z');
    await setUp(env);
    await createStaff(env.ctx);
    await loginAs(env.ctx, 'officer1');
    const s = await seller();
    // A person cannot be a factoring seller: refused on the borrower field, whatever the form checked.
    const person = await borrower(env.ctx, '王五');
    const notEnterprise = await fail(createFactoring(env.ctx, { financing: financing(person.id), recourse: true, financingRatio: '80', feeFen: 0, receivables }));
    expect(notEnterprise).toMatchObject({ code: 'RULE_VIOLATION', issues: [{ path: 'financing.borrowerId' }] });
    expect(notEnterprise.message).toBe('保理融资的卖方必须是企业');
    const twice = await fail(createFactoring(env.ctx, { financing: financing(s.id), recourse: true, financingRatio: '80', feeFen: 0, receivables: [receivables[0], receivables[0]] }));
    expect(twice).toMatchObject({ code: 'CONFLICT', issues: [{ path: 'receivables.1.invoiceNo' }] });
    const tooMuch = await fail(createFactoring(env.ctx, { financing: financing(s.id, { principalFen: 8_000_001 }), recourse: true, financingRatio: '80', feeFen: 0, receivables }));
    expect(tooMuch.issues?.[0].path).toBe('financing.principalFen');
    const d = await createFactoring(env.ctx, { financing: financing(s.id), recourse: false, financingRatio: '80', feeFen: 0, receivables });
    const again = await fail(createFactoring(env.ctx, { financing: financing(s.id, { contractNo: 'BL-2026-002' }), recourse: false, financingRatio: '80', feeFen: 0, receivables: [receivables[1]] }));
    expect(again.message).toContain('FP002');
    const f = await getFactoring(env.ctx, { loanId: d.loan.id });
    const e = await fail(receivablePayment(env.ctx, { receivableId: f.receivables[0].id, kind: 'buyback', paidOn: '2026-02-27', amountFen: 100 }));
    expect(e.code).toBe('RULE_VIOLATION');
    expect(e.message).toContain('无追索权');

    // 关联方: a second financing marks the known debtor 厦门鑫源 a related party as its receivable is entered.
    const d3 = await createFactoring(env.ctx, {
      financing: financing(s.id, { contractNo: 'BL-2026-003', principalFen: 2_000_000 }),
      recourse: false,
      financingRatio: '80',
      feeFen: 0,
      receivables: [{ ...receivables[0], invoiceNo: 'FP003', invoiceAmountFen: 3_000_000, debtorRelatedParty: true }],
    });
    expect((await getFactoring(env.ctx, { loanId: d.loan.id })).receivables.map((r) => r.debtorRelatedParty)).toEqual([true, false]);
    // Risk assets 100,000.00: BL-2026-001's 80,000.00 spread 6 : 4, BL-2026-003's 20,000.00 all to 厦门鑫源.
    await actAs(env.ctx, 'risk1');
    let c = (await concentration(env.ctx, { asOf: '2026-03-01' })).factoring;
    expect(c.balanceFen).toBe(10_000_000);
    expect(c.byDebtor.map((r) => [r.key, r.balanceFen, r.relatedParty, r.breach])).toEqual([
      ['厦门鑫源建材有限公司', 6_800_000, true, true],
      ['泉州华泰机械制造有限公司', 3_200_000, false, false],
    ]);
    // 68 % related-party against the 40 % limit: a breach, besides the one debtor above 50 %.
    expect(c.relatedParty).toEqual({ debtors: 1, balanceFen: 6_800_000, share: 0.68, breach: true });
    expect(c.breaches).toBe(2);

    // On the financing's page: 厦门鑫源 is not a related party after all, 泉州华泰 is — 32 %, within the limit.
    await actAs(env.ctx, 'officer1');
    await setDebtorRelatedParty(env.ctx, { loanId: d3.loan.id, debtorId: f.receivables[0].debtorId, relatedParty: false });
    const view = await setDebtorRelatedParty(env.ctx, { loanId: d.loan.id, debtorId: f.receivables[1].debtorId, relatedParty: true });
    expect(view.receivables.map((r) => r.debtorRelatedParty)).toEqual([false, true]);
    // A debtor that owes nothing on the financing named is not found through it.
    expect((await fail(setDebtorRelatedParty(env.ctx, { loanId: d3.loan.id, debtorId: f.receivables[1].debtorId, relatedParty: false }))).code).toBe('NOT_FOUND');
    await actAs(env.ctx, 'risk1');
    c = (await concentration(env.ctx, { asOf: '2026-03-01' })).factoring;
    expect(c.relatedParty).toEqual({ debtors: 1, balanceFen: 3_200_000, share: 0.32, breach: false });
    expect(c.breaches).toBe(1);
    // Each change audited: who, when, which debtor, which way.
    const audit = await rawQuery<{ actor: string; at: string; entity_id: string; detail: string }>(env.ctx, `SELECT actor, at, entity_id, detail FROM audit_log WHERE action = 'factoring.debtorRelatedParty' ORDER BY id`);
    expect(audit.map((a) => [a.actor, a.at, Number(a.entity_id), JSON.parse(a.detail).relatedParty])).toEqual([
      ['officer1', '2026-03-01T02:00:00.000Z', f.receivables[0].debtorId, true],
      ['officer1', '2026-03-01T02:00:00.000Z', f.receivables[0].debtorId, false],
      ['officer1', '2026-03-01T02:00:00.000Z', f.receivables[1].debtorId, true],
    ]);

    // The limits are a setting (the administrator's), in basis points: a per cent with at most two decimals, 0–100.
    const dispatch = dispatcherFor(env.ctx);
    const limits = (v: unknown) => dispatch('managementReports.setConcentrationLimits', v);
    expect(await limits({ debtorMaxBp: 7000, relatedMaxBp: 3000 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await actAs(env.ctx, 'admin');
    for (const bad of [{ debtorMaxBp: 10_001, relatedMaxBp: 3000 }, { debtorMaxBp: 7000, relatedMaxBp: 1234.5 }, { debtorMaxBp: -1, relatedMaxBp: 3000 }, { debtorMaxBp: 7000 }]) {
      expect(await limits(bad)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(await limits({ debtorMaxBp: 7000, relatedMaxBp: 3000 })).toEqual({ ok: true, value: { debtorMaxBp: 7000, relatedMaxBp: 3000 } });
    const set = await rawQuery<{ actor: string; at: string; detail: string }>(env.ctx, `SELECT actor, at, detail FROM audit_log WHERE action = 'managementReports.setConcentrationLimits'`);
    expect(set.map((a) => [a.actor, a.at, JSON.parse(a.detail)])).toEqual([
      ['admin', '2026-03-01T02:00:00.000Z', { before: { debtorMaxBp: 5000, relatedMaxBp: 4000 }, after: { debtorMaxBp: 7000, relatedMaxBp: 3000 } }],
    ]);
    // 厦门鑫源's 68 % is within 70 %; the related parties' 32 % is now above 30 %.
    await actAs(env.ctx, 'risk1');
    expect(await dispatch('managementReports.concentrationLimits', {})).toEqual({ ok: true, value: { debtorMaxBp: 7000, relatedMaxBp: 3000 } });
    c = (await concentration(env.ctx, { asOf: '2026-03-01' })).factoring;
    expect(c.limits).toEqual({ debtorMaxBp: 7000, relatedMaxBp: 3000 });
    expect(c.byDebtor.map((r) => r.breach)).toEqual([false, false]);
    expect(c.relatedParty).toEqual({ debtors: 1, balanceFen: 3_200_000, share: 0.32, breach: true });
    expect(c.breaches).toBe(1);

    // The monthly report as of 15 June, nothing paid: the three invoices fell due on 30 April, 46 days before.
    env.clock.t = Date.parse('2026-06-15T02:00:00Z');
    await actAs(env.ctx, 'risk1');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await monthlyXlsxBuffer(env.ctx, '2026-06-15')) as never);
    const rows = (name: string) => (wb.getWorksheet(name)!.getSheetValues() as unknown[][]).slice(4).map((r) => r.slice(1));
    expect(rows('保理-按债务人')).toEqual([
      [1, '厦门鑫源建材有限公司', '', 68_000, 0.68, ''],
      [2, '泉州华泰机械制造有限公司', '✓', 32_000, 0.32, ''],
      ['', '合计', '', 100_000, 1, ''],
      ['', '关联方债务人合计', 1, 32_000, 0.32, '✓'],
      ['', '单一债务人限额', '', undefined, 0.7, ''],
      ['', '关联方限额', '', undefined, 0.3, ''],
      ['', '超限项数', 1, undefined, undefined, ''],
    ]);
    expect(rows('保理-按卖方')).toEqual([[1, '福州恒信商贸有限公司', 2, 100_000, 1]]);
    expect(rows('保理应收账款账龄')).toEqual([
      ['未到期', 0, 0, 0],
      ['逾期 1–30 天', 0, 0, 0],
      ['逾期 31–60 天', 3, 130_000, 1],
      ['逾期 61–90 天', 0, 0, 0],
      ['逾期 91–180 天', 0, 0, 0],
      ['逾期 180 天以上', 0, 0, 0],
      ['合计', 3, 130_000, 1],
    ]);
    // A credit note of 10,000 yuan on one invoice (dilution) reduces what the ageing counts as owed.
    await actAs(env.ctx, 'officer1');
    await adjustReceivable(env.ctx, { receivableId: (await getFactoring(env.ctx, { loanId: d.loan.id })).receivables[0].id, kind: 'credit-note', amountFen: 1_000_000, date: '2026-06-10', reason: '质量折让' });
    await actAs(env.ctx, 'risk1');
    const diluted = new ExcelJS.Workbook();
    await diluted.xlsx.load((await monthlyXlsxBuffer(env.ctx, '2026-06-15')) as never);
    expect((diluted.getWorksheet('保理应收账款账龄')!.getSheetValues() as unknown[][]).slice(4).map((r) => r.slice(1)).at(-1)).toEqual(['合计', 3, 120_000, 1]);
    const pdf = join(env.root, 'monthly.pdf');
    writeFileSync(pdf, await monthlyPdfBuffer(env.ctx, '2026-06-15'));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(`风险资产（在账保理融资余额）：¥100,000.00（${amountInWords(10_000_000)}）。限额：单一应收账款债务人不超过70.00%，关联方债务人合计不超过30.00%`);
    expect(text).toContain(`关联方债务人1户，合计¥32,000.00（${amountInWords(3_200_000)}），占风险资产32.00%，超过限额30.00%。`);
    expect(text).toContain(`逾期31–60天3¥120,000.00（${amountInWords(12_000_000)}）100.00%`);
  }, 60_000);
});
