import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/shared/ipc/errors';
import { catalogues, lookup, translate } from '../../src/shared/i18n';
import type { NoticeDocType } from '../../src/shared/ipc/collections';
import { addContact, addPromise, chaseList, loanLimitation, loanPromises, registerReceipt } from '../../src/main/features/collections/collections';
import { addCollateral, addGuarantee } from '../../src/main/features/loans/collateral';
import { createBorrower, updateBorrower } from '../../src/main/features/borrowers/borrowers';
import { createFactoring } from '../../src/main/features/factoring/factoring';
import { setCollectionAccount } from '../../src/main/features/factoring/backOffice';
import { confirmNotices, discardNotices, prepareNotices } from '../../src/main/features/collections/notices';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { getLoan } from '../../src/main/features/loans/loans';
import { getSettings, updateSettings } from '../../src/main/features/settings/settings';
import { fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, creditCode, loan, loginAs, residentId } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

// Typesetting is real; a test may run something "meanwhile" (another PC printing) before the next ones.
const typesetting = vi.hoisted(() => ({ meanwhile: [] as (() => Promise<void>)[], count: 0 }));
vi.mock('../../src/main/pdf/render', async (original) => {
  const real = await original<typeof import('../../src/main/pdf/render')>();
  return {
    ...real,
    renderPdf: async (...args: Parameters<typeof real.renderPdf>) => {
      typesetting.count++;
      await typesetting.meanwhile.shift()?.();
      return real.renderPdf(...args);
    },
  };
});

async function world() {
  env = newEnv();
  env.clock.t = Date.parse('2026-06-15T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  const l = await loan(env.ctx, b.id, { startDate: '2026-01-15', guaranteeModes: ['guarantee', 'mortgage'] });
  await addGuarantee(env.ctx, { loanId: l.loan.id, guarantor: { kind: 'person', name: '王保证', idNumber: residentId('11010519750808123'), phone: '13900000000', address: '北京市海淀区中关村大街1号' }, guaranteeType: 'joint', amountFen: 12_000_000, periodEnd: '2027-07-15' });
  await addCollateral(env.ctx, { loanId: l.loan.id, kind: 'mortgage', type: '房产', description: '朝阳区住宅一套', owner: '张三', registrationAuthority: '不动产登记中心', registrationNo: '京抵2026第1号', valueFen: 50_000_000, valuedOn: '2026-01-10', certificates: [{ certNo: '京(2025)不动产权第0001号', certType: '不动产权证书' }] });
  const seller = await createBorrower(env.ctx, { kind: 'enterprise', name: '福州恒信商贸有限公司', idNumber: creditCode('91350100M00010000'), phone: '', address: '福州市鼓楼区五一路1号', employer: '', legalRep: '林某', industry: '批发和零售业', registeredCapitalFen: null, tier: 'normal' });
  const f = await createFactoring(env.ctx, {
    financing: { contractNo: 'BL-2026-001', borrowerId: seller.id, product: '国内保理', principalFen: 8_000_000, annualRate: '8', months: 3, method: 'bullet', startDate: '2026-02-10', penaltyUplift: '0.5', purpose: '', guaranteeModes: ['credit'], officer: 'officer1' },
    recourse: true,
    financingRatio: '80',
    feeFen: 0,
    receivables: [{ debtorName: '厦门鑫源建材有限公司', debtorCode: creditCode('91350200M00020000'), debtorAddress: '厦门市思明区湖滨南路100号', invoiceNo: 'FP001', invoiceAmountFen: 10_000_000, invoiceDate: '2026-01-05', dueDate: '2026-05-10' }],
  });
  await setCollectionAccount(env.ctx, { loanId: f.loan.id, bank: '中国工商银行厦门分行营业部', accountName: '测试商业保理有限公司', accountNo: '4100 0211 0902 4001 234' });
  return { loanId: l.loan.id, borrowerId: b.id, factoringId: f.loan.id };
}

/** The collection account as the debtor letters print it (whitespace removed, as pdfText gives it). */
const ACCOUNT = '回款账户（开户行：中国工商银行厦门分行营业部；户名：测试商业保理有限公司；账号：4100021109024001234）';

function pdfText(file: string): string {
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
}

describe('printed notices', () => {
  it('every template shows addressee, serial, amounts in figures and uppercase, receipt wording, embedded fonts and a readable QR code', async () => {
    const { loanId, factoringId } = await world();
    const dir = join(env.root, 'pdf');
    mkdirSync(dir);
    const cases: [NoticeDocType, number, string, string[]][] = [
      ['overdue-notice', loanId, '张三', ['逾期催收通知书', '人民币', '确认截至']],
      ['guarantor-notice', loanId, '王保证', ['担保人履行保证责任通知书', '连带责任保证', '人民币']],
      ['demand-letter', loanId, '张三', ['催告函', '诉讼时效', '人民币']],
      ['assignment-notice', factoringId, '厦门鑫源建材有限公司', ['应收账款转让通知书', 'FP001', '人民币壹拾万元整', ACCOUNT]],
      ['debtor-collection', factoringId, '厦门鑫源建材有限公司', ['应收账款催收函', '人民币壹拾万元整', ACCOUNT]],
    ];
    for (const [docType, id, addressee, words] of cases) {
      const b = await prepareNotices(env.ctx, { items: [{ loanId: id, docType }], asOf: null, payBy: '2026-06-25' });
      expect(b.skipped, docType).toEqual([]);
      const file = join(dir, `${docType}.pdf`);
      writeFileSync(file, Buffer.from(b.base64!, 'base64'));
      const text = pdfText(file);
      const serial = b.notices[0].serial;
      expect(serial).toMatch(/^2026-[A-Z]{2}-\d{6}$/);
      expect(text, docType).toContain(serial);
      expect(text, docType).toContain(addressee);
      for (const w of words) expect(text, `${docType}: ${w}`).toContain(w);
      expect(text, docType).toContain('回执');
      if (docType !== 'assignment-notice') expect(text, docType).toContain('2026年6月25日');
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      for (const line of fonts) expect(line).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
      execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', file, join(dir, docType)]);
      const qr = spawnSync('zbarimg', ['--raw', '-q', join(dir, `${docType}-1.png`)], { encoding: 'utf8' });
      expect(qr.stdout.trim(), docType).toBe(serial);
      await confirmNotices(env.ctx, { batchId: b.batchId! });
    }
    // The overdue amounts appear with their uppercase form.
    const od = pdfText(join(dir, 'overdue-notice.pdf'));
    expect(od).toMatch(/¥[\d,]+\.\d\d（人民币[^）]+）/);
    // The post-loan card lists the collection actions, with the serials that went out.
    const { cardPdfByLoan } = await import('../../src/main/features/loans/printing');
    const card = join(dir, 'card.pdf');
    writeFileSync(card, Buffer.from((await cardPdfByLoan(env.ctx, { loanId })).base64, 'base64'));
    expect(pdfText(card)).toMatch(/逾期催收通知书2026-CS-\d{6}致张三，回执未返回/);
    // Its header gives the loan's real status: in arrears, with the days past due (not 正常存续).
    const dpd = (await getLoan(env.ctx, { id: loanId, asOf: null })).state.dpd;
    expect(dpd).toBeGreaterThan(0);
    expect(pdfText(card)).toContain(`状态：未结清，逾期${dpd}天`);
    expect(pdfText(card)).not.toContain('正常存续');
  });

  it('a reminder shows the coming instalment with its uppercase amount, without a receipt', async () => {
    const { loanId } = await world();
    const { createRepayment: pay } = await import('../../src/main/features/repayments/repayments');
    await pay(env.ctx, { loanId, paidOn: '2026-06-15', amountFen: 20_000_000, note: '', excess: 'settle', confirm: true });
    const b2 = await borrower(env.ctx, '李四', '11010519850505123');
    const l2 = await loan(env.ctx, b2.id, { contractNo: 'HT-2026-0002', startDate: '2026-05-16' });
    const b = await prepareNotices(env.ctx, { items: [{ loanId: l2.loan.id, docType: 'reminder' }], asOf: null, payBy: null });
    const file = join(env.root, 'reminder.pdf');
    writeFileSync(file, Buffer.from(b.base64!, 'base64'));
    const text = pdfText(file);
    expect(text).toContain('还款提示通知书');
    expect(text).toContain('李四');
    expect(text).toContain(b.notices[0].serial);
    expect(text).toContain('2026年6月16日');
    expect(text).toMatch(/合计¥[\d,]+\.\d\d（人民币[^）]+）/);
    expect(text).not.toContain('回执');
  });

  it('typesets before its transaction; when another PC prints meanwhile it sets again with the serials it gets', async () => {
    const { loanId } = await world();
    const db = env.ctx.store!.db;
    const counter = async () => (await db.selectFrom('serial_counters').select('last').where('year', '=', 2026).executeTakeFirst())?.last ?? 0;
    const otherPrints = async () => {
      const last = (await counter()) + 1;
      await db.insertInto('serial_counters').values({ year: 2026, last }).onConflict((oc) => oc.column('year').doUpdateSet({ last })).execute();
    };
    const base = await counter();
    // Once meanwhile: set twice, the second time on the serial after the other PC's.
    typesetting.count = 0;
    typesetting.meanwhile = [otherPrints];
    const once = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'overdue-notice' }], asOf: null, payBy: null });
    expect(typesetting.count).toBe(2);
    expect(once.notices[0].serial).toBe(`2026-${once.notices[0].serial.split('-')[1]}-${String(base + 2).padStart(6, '0')}`);
    const file = join(env.root, 'moved.pdf');
    writeFileSync(file, Buffer.from(once.base64!, 'base64'));
    expect(pdfText(file)).toContain(once.notices[0].serial);
    // Every time meanwhile: after two misses it sets inside its transaction, where nobody can print first.
    typesetting.count = 0;
    typesetting.meanwhile = [otherPrints, otherPrints];
    const busy = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'overdue-notice' }], asOf: null, payBy: null });
    expect(typesetting.count).toBe(3);
    expect(Number(busy.notices[0].serial.slice(-6))).toBe(base + 5);
    writeFileSync(file, Buffer.from(busy.base64!, 'base64'));
    expect(pdfText(file)).toContain(busy.notices[0].serial);
    // No serial was taken twice, and the misses consumed none of this PC's.
    const serials = (await db.selectFrom('notices').select('serial').where('loan_id', '=', loanId).execute()).map((r) => r.serial);
    expect(serials).toEqual([once.notices[0].serial, busy.notices[0].serial]);
    expect(await counter()).toBe(base + 5);
  });

  it('a loan without an address is skipped with a clear message and the rest of the batch prints', async () => {
    const { loanId, borrowerId } = await world();
    const b2 = await borrower(env.ctx, '李四', '11010519850505123');
    const l2 = await loan(env.ctx, b2.id, { contractNo: 'HT-2026-0002', startDate: '2026-01-15' });
    await updateBorrower(env.ctx, { ...b2, address: '' });
    const b = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'overdue-notice' }, { loanId: l2.loan.id, docType: 'overdue-notice' }], asOf: null, payBy: null });
    expect(b.notices.map((n) => n.loanId)).toEqual([loanId]);
    expect(b.skipped).toMatchObject([{ loanId: l2.loan.id, contractNo: 'HT-2026-0002' }]);
    expect(b.skipped[0].reason).toContain('没有登记地址');
    expect(borrowerId).toBeGreaterThan(0);
  });

  it('a cancelled print voids its serials, which are never reused and never count as printed', async () => {
    const { loanId } = await world();
    const first = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'overdue-notice' }], asOf: null, payBy: null });
    await discardNotices(env.ctx, { batchId: first.batchId!, reason: '打印机卡纸，已取消' });
    const e = await fail(registerReceipt(env.ctx, { serial: first.notices[0].serial, signedOn: '2026-06-15', signedBy: 'borrower', delivery: 'in-person', trackingNo: '', scan: null }));
    expect(e.message).toContain('作废');
    const second = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'overdue-notice' }], asOf: null, payBy: null });
    expect(second.notices[0].serial).not.toBe(first.notices[0].serial);
    expect((await fail(confirmNotices(env.ctx, { batchId: first.batchId! }))).code).toBe('CONFLICT');
  });

  it('a scanned receipt moves the limitation date; wrong and repeated serials are refused', async () => {
    const { loanId } = await world();
    const before = await loanLimitation(env.ctx, { loanId });
    expect(before).toMatchObject({ runsFrom: '2027-01-15', expiry: '2030-01-15' });
    const b = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'overdue-notice' }], asOf: null, payBy: null });
    await confirmNotices(env.ctx, { batchId: b.batchId! });
    const serial = b.notices[0].serial;
    expect((await chaseList(env.ctx, { olderThanDays: 0 })).map((n) => n.serial)).toEqual([serial]);
    const typo = await fail(registerReceipt(env.ctx, { serial: serial.replace(/\d$/, (d) => String((Number(d) + 1) % 10)), signedOn: '2026-06-15', signedBy: 'borrower', delivery: 'ems', trackingNo: 'EA123456789CN', scan: null }));
    expect(typo).toMatchObject({ code: 'NOT_FOUND', issues: [{ path: 'serial' }] });
    // Two years after maturity the borrower signs for the demand: the period restarts from that day.
    env.clock.t = Date.parse('2029-03-01T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 1)]).toString('base64');
    const r = await registerReceipt(env.ctx, { serial: serial.toLowerCase(), signedOn: '2029-02-27', signedBy: 'borrower', delivery: 'ems', trackingNo: 'EA123456789CN', scan: { fileName: '回执扫描.jpg', base64: jpeg } });
    expect(r.notice.receiptStatus).toBe('returned');
    expect(r.limitation.expiry).toBe('2032-02-27');
    expect(r.limitation.evidence[0]).toMatchObject({ kind: 'receipt', strength: 'strong' });
    const again = await fail(registerReceipt(env.ctx, { serial, signedOn: '2029-02-27', signedBy: 'borrower', delivery: 'ems', trackingNo: '', scan: null }));
    expect(again.message).toBe(translate('zh-CN', 'errors.receiptAlready', { serial, date: '2029年2月27日' }));
  });

  it('limitation warnings at 180, 90 and 30 days, and the guarantor’s own period', async () => {
    const { loanId } = await world();
    env.clock.t = Date.parse('2029-08-01T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    const l = await loanLimitation(env.ctx, { loanId });
    expect(l).toMatchObject({ expiry: '2030-01-15', warning: '180' });
    expect(l.guarantors).toEqual([{ name: '王保证', guaranteePeriodEnd: '2027-07-15', demandedOn: null, expiry: null, lapsed: true }]);
    env.clock.t = Date.parse('2029-12-20T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    expect((await loanLimitation(env.ctx, { loanId })).warning).toBe('30');
  });

  it('promises are kept or broken from repayments; the contact log tracks 3-3-3', async () => {
    const { loanId } = await world();
    await addPromise(env.ctx, { loanId, amountFen: 500_000, promiseDate: '2026-06-20', madeOn: '2026-06-10', note: '电话承诺' });
    await addPromise(env.ctx, { loanId, amountFen: 300_000, promiseDate: '2026-06-12', madeOn: '2026-06-01', note: '' });
    await createRepayment(env.ctx, { loanId, paidOn: '2026-06-15', amountFen: 500_000, note: '' });
    const ps = await loanPromises(env.ctx, { loanId });
    expect(ps.map((p) => [p.promiseDate, p.status])).toEqual([
      ['2026-06-12', 'broken'],
      ['2026-06-20', 'kept'],
    ]);
    // The limitation evidence words the amounts as the screens do: grouped, two decimals.
    const said = (await loanLimitation(env.ctx, { loanId })).evidence.map((e) => e.description);
    expect(said).toContain(translate('zh-CN', 'limitation.payment', { amount: '5,000.00' }));
    expect(said).toContain(translate('zh-CN', 'limitation.promise', { amount: '3,000.00' }));
    let r;
    for (const [target, slot, day] of [['13800000000', 'morning', '2026-06-12'], ['13900000000', 'afternoon', '2026-06-13'], ['0591-8888', 'evening', '2026-06-14']] as const) {
      r = await addContact(env.ctx, { loanId, channel: 'call', target, slot, outcome: 'no-answer', note: '', contactedOn: day });
    }
    expect(r!.progress).toEqual({ numbers: 3, slots: 3, attempts: 3, lost: true });
    // 3-3-3 met: the 失联 warning is raised on its own, serious, owned by the loan's officer, with a special
    // inspection planned; a fourth failed call raises no second one while it is open.
    const db = env.ctx.store!.db;
    const lost = () =>
      db.selectFrom('warnings as w').innerJoin('warning_signals as g', 'g.id', 'w.signal_id').select(['w.id', 'w.source', 'w.level', 'w.owner', 'w.status', 'w.detail']).where('g.code', '=', 'lost-contact').where('w.loan_id', '=', loanId).execute();
    const [w, ...more] = await lost();
    expect(more).toEqual([]);
    expect(w).toMatchObject({ source: 'auto', level: 'serious', owner: 'officer1', status: 'raised' });
    expect(JSON.parse(w.detail)).toEqual({ key: 'lostContact', params: { numbers: 3, slots: 3, attempts: 3, lastOn: '2026-06-14' } });
    expect(await db.selectFrom('inspections').select('kind').where('warning_id', '=', w.id).execute()).toEqual([{ kind: 'special' }]);
    const { wordWarningDetail } = await import('../../src/shared/i18n/warningDetails');
    expect(wordWarningDetail((k, p) => env.ctx.t(k, p), { kind: 'lostContact', params: JSON.parse(w.detail).params })).toBe('催收联系符合失联判定（3-3-3）：3 个号码、3 个时段、连续 3 次未接通（最近一次 2026-06-14）');
    // Worded for a screen or a list, the date reads as the screens' dates do.
    expect(wordWarningDetail((k, p) => env.ctx.t(k, p), { kind: 'lostContact', params: JSON.parse(w.detail).params }, (d) => env.ctx.day(d))).toBe('催收联系符合失联判定（3-3-3）：3 个号码、3 个时段、连续 3 次未接通（最近一次 2026年6月14日）');
    await addContact(env.ctx, { loanId, channel: 'call', target: '13700000000', slot: 'morning', outcome: 'no-answer', note: '', contactedOn: '2026-06-15' });
    expect(await lost()).toHaveLength(1);
  });

  it('the first contact that reaches an overdue borrower records why; the overdue summary counts loans by that reason', async () => {
    const { loanId, factoringId } = await world();
    const call = { loanId, channel: 'call' as const, target: '13800000000', slot: 'morning' as const, note: '' };
    // No one answered: nothing to ask.
    await addContact(env.ctx, { ...call, outcome: 'no-answer', contactedOn: '2026-06-12' });
    // Reached for the first time in this overdue spell: the reason is required, on its field.
    const refused = await fail(addContact(env.ctx, { ...call, outcome: 'reached', contactedOn: '2026-06-13' }));
    expect(refused.code).toBe('VALIDATION');
    expect(refused.issues).toEqual([{ path: 'reason', message: '这是逾期后首次联系上借款人：请记录逾期原因。' }]);
    const first = await addContact(env.ctx, { ...call, outcome: 'promised', contactedOn: '2026-06-13', reason: 'business-difficulty' });
    expect(first.contacts[0]).toMatchObject({ outcome: 'promised', reason: 'business-difficulty' });
    // Once known, later contacts need not repeat it; a new reason learnt later is the one that counts.
    await addContact(env.ctx, { ...call, outcome: 'reached', contactedOn: '2026-06-14' });
    await addContact(env.ctx, { ...call, outcome: 'refused', contactedOn: '2026-06-15', reason: 'dispute' });
    const audit = await env.ctx.store!.db.selectFrom('audit_log').select('detail').where('action', '=', 'contacts.add').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail)).toMatchObject({ reason: 'dispute' });
    // An impossible code is refused by the contract.
    const { dispatcherFor } = await import('../helpers/context');
    const bad = await dispatcherFor(env.ctx)('contacts.add', { ...call, outcome: 'reached', contactedOn: '2026-06-15', reason: 'lazy' });
    expect(bad.ok ? null : bad.error.code).toBe('VALIDATION');

    await loginAs(env.ctx, 'supervisor1');
    const { overdueSummary } = await import('../../src/main/features/portfolioReports/portfolioReports');
    const report = await overdueSummary(env.ctx, { asOf: '2026-06-15', officer: null });
    const by = Object.fromEntries(report.reasons.map((r) => [r.reason, r]));
    const loanNow = await getLoan(env.ctx, { id: loanId, asOf: '2026-06-15' });
    const factoringNow = await getLoan(env.ctx, { id: factoringId, asOf: '2026-06-15' });
    expect(loanNow.state.dpd).toBeGreaterThan(0);
    expect(factoringNow.state.dpd).toBeGreaterThan(0);
    expect(by.dispute).toMatchObject({ count: 1, balanceFen: loanNow.state.balanceFen });
    expect(by['business-difficulty'].count).toBe(0);
    expect(by.unknown).toMatchObject({ count: 1, balanceFen: factoringNow.state.balanceFen });
    expect(report.reasons.reduce((n, r) => n + r.count, 0)).toBe(report.overdue.count);
    expect(report.reasons.reduce((n, r) => n + r.balanceFen, 0)).toBe(report.overdue.balanceFen);
    // As of the day before the dispute was learnt, the earlier reason counts.
    const before = await overdueSummary(env.ctx, { asOf: '2026-06-14', officer: null });
    expect(before.reasons.find((r) => r.reason === 'business-difficulty')!.count).toBe(1);
  });
});

describe('debtor letters (factoring)', () => {
  it('count only effective payments and call a receivable 已到期 only once it is due by the notice date', async () => {
    const { factoringId } = await world();
    const { receivablePayment } = await import('../../src/main/features/factoring/factoring');
    const { decideReversal } = await import('../../src/main/features/repayments/servicing');
    const { reverseRepayment } = await import('../../src/main/features/repayments/repayments');
    const receivableId = (await env.ctx.store!.db.selectFrom('receivables').select('id').where('loan_id', '=', factoringId).executeTakeFirstOrThrow()).id;
    // The debtor pays ¥40,000, the bank returns it (reversed), then pays ¥10,000 that stands.
    const bounced = await receivablePayment(env.ctx, { receivableId, kind: 'debtor', paidOn: '2026-06-01', amountFen: 4_000_000 });
    const proposed = await reverseRepayment(env.ctx, { repaymentId: bounced.repayments.find((r) => r.amountFen === 4_000_000)!.id, reason: '银行退票' });
    await loginAs(env.ctx, 'supervisor1');
    await decideReversal(env.ctx, { reversalId: proposed.repayments.find((r) => r.reversalPending)!.reversalPending!.id, approve: true, comment: '同意' });
    await loginAs(env.ctx, 'officer1');
    await receivablePayment(env.ctx, { receivableId, kind: 'debtor', paidOn: '2026-06-02', amountFen: 1_000_000 });
    const print = async (docType: NoticeDocType, asOf: string | null) => {
      const b = await prepareNotices(env.ctx, { items: [{ loanId: factoringId, docType }], asOf, payBy: '2026-06-25' });
      expect(b.skipped, docType).toEqual([]);
      const file = join(env.root, `${docType}-${asOf ?? 'today'}.pdf`);
      writeFileSync(file, Buffer.from(b.base64!, 'base64'));
      return pdfText(file);
    };
    const letter = await print('debtor-collection', null);
    // ¥100,000 less the ¥10,000 that stands: ¥90,000 open, all of it due (2026-05-10 ≤ 2026-06-15).
    expect(letter).toContain('尚未支付¥90,000.00（人民币玖万元整），其中已到期¥90,000.00（人民币玖万元整）');
    expect(letter).toContain('到期日2026年5月10日（已到期）');
    expect(letter).not.toContain('（未到期）');
    // As of a date before the due date the same receivable is 未到期, nothing of it due; later payments do not count yet.
    const early = await print('debtor-collection', '2026-05-01');
    expect(early).toContain('到期日2026年5月10日（未到期）');
    expect(early).not.toContain('（已到期）');
    expect(early).toContain('尚未支付¥100,000.00（人民币壹拾万元整），其中已到期¥0.00');
    const notice = await print('assignment-notice', '2026-05-01');
    expect(notice).toContain('到期日2026年5月10日（未到期）');
    expect(notice).toContain(ACCOUNT);
  });

  it('a financing without a collection account gets no debtor letter: it is skipped, saying why', async () => {
    await world();
    const seller = await env.ctx.store!.db.selectFrom('borrowers').select('id').where('name', '=', '福州恒信商贸有限公司').executeTakeFirstOrThrow();
    const f = await createFactoring(env.ctx, {
      financing: { contractNo: 'BL-2026-002', borrowerId: seller.id, product: '国内保理', principalFen: 800_000, annualRate: '8', months: 3, method: 'bullet', startDate: '2026-06-01', penaltyUplift: '0.5', purpose: '', guaranteeModes: ['credit'], officer: 'officer1' },
      recourse: true,
      financingRatio: '80',
      feeFen: 0,
      receivables: [{ debtorName: '厦门鑫源建材有限公司', debtorCode: creditCode('91350200M00020000'), invoiceNo: 'FP009', invoiceAmountFen: 1_000_000, invoiceDate: '2026-05-20', dueDate: '2026-08-20' }],
    });
    const b = await prepareNotices(env.ctx, { items: [{ loanId: f.loan.id, docType: 'assignment-notice' }], asOf: null, payBy: null });
    expect(b.notices).toEqual([]);
    expect(b.skipped).toMatchObject([{ contractNo: 'BL-2026-002', reason: expect.stringContaining('尚未登记回款账户') }]);
  });
});

describe('notice wording', () => {
  it('the risk officer edits a template; printed notices use it; a misspelt placeholder is named', async () => {
    const { loanId } = await world();
    const { listTemplates, previewTemplate, saveTemplate } = await import('../../src/main/features/collections/notices');
    const t = (await listTemplates(env.ctx)).find((x) => x.docType === 'overdue-notice')!;
    // Every placeholder offered is explained on the page, in both languages.
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const p of t.placeholders) expect(lookup(catalogues[locale], `templatesUi.placeholderMeaning.${p}`), `${locale} ${p}`).toBeTruthy();
    }
    const blocks = { ...t.blocks, body: `{{addressee}}：\n贵方合同 {{contractNo}} 已逾期 {{dpd}} 天，特此郑重通知。` };
    expect((await fail(saveTemplate(env.ctx, { docType: 'overdue-notice', blocks }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'risk1');
    const typo = await fail(saveTemplate(env.ctx, { docType: 'overdue-notice', blocks: { ...blocks, body: '{{adressee}}：请还款' } }));
    expect(typo.issues).toEqual([{ path: 'body', message: '占位符 {{adressee}} 不存在，请检查拼写。' }]);
    const preview = await previewTemplate(env.ctx, { docType: 'overdue-notice', blocks });
    const pf = join(env.root, 'preview.pdf');
    writeFileSync(pf, Buffer.from(preview.base64, 'base64'));
    expect(pdfText(pf)).toContain('预览');
    const saved = await saveTemplate(env.ctx, { docType: 'overdue-notice', blocks });
    expect(saved.find((x) => x.docType === 'overdue-notice')).toMatchObject({ customised: true, updatedBy: 'risk1' });
    const b = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'overdue-notice' }], asOf: null, payBy: null });
    const f = join(env.root, 'custom.pdf');
    writeFileSync(f, Buffer.from(b.base64!, 'base64'));
    expect(pdfText(f)).toContain('特此郑重通知');
  });
});

describe('collection stage and transfer to legal', () => {
  it('recommends the next step by bucket and transfers to legal only with the evidence on file', async () => {
    const { loanId } = await world();
    const { collectionStage, transferToLegal } = await import('../../src/main/features/collections/collections');
    const { addDocument } = await import('../../src/main/features/documents/archiveDocuments');
    // Due monthly from 2026-02-15 and never paid: on 2026-06-15, 120 days overdue.
    let st = await collectionStage(env.ctx, { loanId });
    expect(st).toMatchObject({ bucket: 'M4', stage: 'legal', transferred: null });
    // The DPD is a setting: 120 days past due is not more than 120.
    const legalAfter = async (legalMinDpd: number) => {
      await loginAs(env.ctx, 'admin');
      await updateSettings(env.ctx, { ...(await getSettings(env.ctx)), legalMinDpd });
      await loginAs(env.ctx, 'officer1');
    };
    await legalAfter(120);
    expect((await fail(transferToLegal(env.ctx, { loanId, note: '移交法务' }))).message).toBe('逾期超过 120 天方可移交诉讼。');
    await legalAfter(90);
    let e = await fail(transferToLegal(env.ctx, { loanId, note: '移交法务' }));
    expect(e.message).toContain('借款合同');
    expect(e.message).toContain('催告函');
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
    for (const docType of ['contract', 'iou', 'guarantee-contract', 'security-contract']) await addDocument(env.ctx, { loanId, docType, fileName: `${docType}.pdf`, base64: pdf });
    const b = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'demand-letter' }], asOf: null, payBy: null });
    await confirmNotices(env.ctx, { batchId: b.batchId! });
    await registerReceipt(env.ctx, { serial: b.notices[0].serial, signedOn: '2026-06-15', signedBy: 'borrower', delivery: 'in-person', trackingNo: '', scan: null });
    st = await transferToLegal(env.ctx, { loanId, note: '移交法务部起诉' });
    expect(st.transferred).toMatchObject({ on: '2026-06-15', by: 'officer1' });
    e = await fail(transferToLegal(env.ctx, { loanId, note: '再次' }));
    expect(e.code).toBe('CONFLICT');
  });
});

describe('payoff', () => {
  it('a paid-off loan lists its certificates for return; the signed return receipt marks them returned', async () => {
    const { loanId } = await world();
    const { getLoan } = await import('../../src/main/features/loans/loans');
    expect((await fail(prepareNotices(env.ctx, { items: [{ loanId, docType: 'certificate-return' }], asOf: null, payBy: null }).then((b) => { if (b.skipped.length) throw new AppError('RULE_VIOLATION', b.skipped[0].reason); return b; }))).message).toContain('尚未结清');
    await createRepayment(env.ctx, { loanId, paidOn: '2026-06-15', amountFen: 20_000_000, note: '一次性结清', excess: 'settle', confirm: true });
    expect((await getLoan(env.ctx, { id: loanId, asOf: null })).loan.status).toBe('closed');
    const b = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'certificate-return' }], asOf: null, payBy: null });
    const file = join(env.root, 'return.pdf');
    writeFileSync(file, Buffer.from(b.base64!, 'base64'));
    const text = pdfText(file);
    expect(text).toContain('京(2025)不动产权第0001号');
    expect(text).toContain(b.notices[0].serial);
    expect(text).toContain('当面签收');
    execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', file, join(env.root, 'return')]);
    expect(spawnSync('zbarimg', ['--raw', '-q', join(env.root, 'return-1.png')], { encoding: 'utf8' }).stdout.trim()).toBe(b.notices[0].serial);
    await confirmNotices(env.ctx, { batchId: b.batchId! });
    await registerReceipt(env.ctx, { serial: b.notices[0].serial, signedOn: '2026-06-15', signedBy: 'borrower', delivery: 'in-person', trackingNo: '', scan: null });
    const d = await getLoan(env.ctx, { id: loanId, asOf: null });
    expect(d.collateral[0].certificates.map((c) => c.custody)).toEqual(['returned']);
  });
});

describe('notices due today', () => {
  it('lists overdue notices by stage and reminders before an instalment, once a month each', async () => {
    const { loanId } = await world();
    const { dueNotices } = await import('../../src/main/features/collections/notices');
    const b2 = await borrower(env.ctx, '李四', '11010519850505123');
    // Disbursed 2026-05-16: the first instalment falls due 2026-06-16, tomorrow.
    const current = await loan(env.ctx, b2.id, { contractNo: 'HT-2026-0002', startDate: '2026-05-16' });
    const due = await dueNotices(env.ctx, { officer: null, bucket: null, level: null });
    expect(due.map((d) => [d.contractNo, d.docType])).toEqual([
      ['HT-2026-0001', 'demand-letter'],
      ['BL-2026-001', 'overdue-notice'],
      ['HT-2026-0002', 'reminder'],
    ]);
    expect(due[0]).toMatchObject({ loanId, dpd: 120, hasAddress: true });
    const b = await prepareNotices(env.ctx, { items: [{ loanId: current.loan.id, docType: 'reminder' }], asOf: null, payBy: null });
    await confirmNotices(env.ctx, { batchId: b.batchId! });
    expect((await dueNotices(env.ctx, { officer: null, bucket: null, level: null })).map((d) => d.contractNo)).toEqual(['HT-2026-0001', 'BL-2026-001']);
    expect((await dueNotices(env.ctx, { officer: null, bucket: 'M2', level: null })).map((d) => d.contractNo)).toEqual(['BL-2026-001']);
  });
});
