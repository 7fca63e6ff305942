import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cmdQuote } from '../../src/main/cli/quote';
import { amountInWords, formatFen } from '../../src/shared/domain';
import { getLoan } from '../../src/main/features/loans/loans';
import { createRepayment, reverseRepayment } from '../../src/main/features/repayments/repayments';
import { decideReversal, pendingReversals, previewRepayment, setFeeRule, settlementQuote } from '../../src/main/features/repayments/servicing';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv, storeFlags } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs, PASSWORDS } from '../helpers/portfolio';

// The helper's loan: 120,000.00 yuan, 等额本金 at 12 % over 12 months from 2026-01-15, penalty uplift 50 %.
//   principal 10,000.00 a period; interest period 1 = 120,000.00 × 1 % = 1,200.00, period 2 = 110,000.00 × 1 % = 1,100.00.
//   Penalty on overdue principal: 12 % × 1.5 ÷ 360 = 0.05 % a day.

let env: TestEnv;
afterEach(() => {
  vi.restoreAllMocks();
  env?.cleanup();
});

async function start(day = '2026-03-01') {
  env = newEnv();
  env.clock.t = Date.parse(`${day}T02:00:00Z`);
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  const l = await loan(env.ctx, b.id);
  return l.loan.id;
}

const count = async () => (await env.ctx.store!.db.selectFrom('repayments').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
const actions = async () => (await env.ctx.store!.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action);

describe('posting a repayment safely', () => {
  it('shows the split first; money beyond what is due is held as 溢收款, never taken as interest not yet due', async () => {
    const id = await start();
    // 2026-03-01: period 1 (due 02-15) is 14 days overdue. Penalty 10,000.00 × 0.05 % × 14 = 70.00.
    // Due: 70.00 + 1,200.00 + 10,000.00 = 11,270.00. Paid 12,000.50: 730.50 over.
    const p = await previewRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 1_200_050, excess: 'credit' });
    expect(p).toMatchObject({ dueFen: 1_127_000, penaltyFen: 7_000, interestFen: 120_000, principalFen: 1_000_000, feeFen: 0, creditFen: 73_050, exceedsDue: true, paysOff: false, needsConfirmation: true, balanceAfterFen: 11_000_000 });
    expect(p.periods).toEqual([{ period: 1, dueDate: '2026-02-15', penaltyFen: 7_000, interestFen: 120_000, principalFen: 1_000_000 }]);

    // Without the confirmation the post is refused, saying why, and nothing is written.
    const before = await count();
    const refused = await fail(createRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 1_200_050, note: '' }));
    expect(refused.code).toBe('RULE_VIOLATION');
    expect(refused.message).toContain('11,270.00');
    expect(refused.message).toContain('730.50');
    expect(refused.message).toContain('溢收款');
    expect(await count()).toBe(before);

    // Confirmed: the post does what the preview said; period 2's 1,100.00 interest (due 03-15) is untouched.
    const d = await createRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 1_200_050, note: '', confirm: true });
    expect(d.repayments[0].allocation).toEqual({ penaltyFen: 7_000, interestFen: 120_000, principalFen: 1_000_000, unallocatedFen: 73_050, feeFen: 0 });
    expect(d.repayments[0].excess).toBe('credit');
    expect(d.state).toMatchObject({ balanceFen: 11_000_000, creditFen: 73_050, dpd: 0 });
    expect(d.schedule[1]).toMatchObject({ interestPaidFen: 0, principalPaidFen: 0 });

    // On 2026-03-15 the 730.50 held meets period 2: all of it goes to its interest (1,100.00 due), 369.50 stays due.
    const later = await getLoan(env.ctx, { id, asOf: '2026-03-15' });
    expect(later.state.creditFen).toBe(0);
    expect(later.schedule[1]).toMatchObject({ interestPaidFen: 73_050, principalPaidFen: 0, status: 'due' });
    expect(later.state.dueFen).toBe(1_000_000 + 110_000 - 73_050);
  });

  it('an exact payment of what is due needs no confirmation', async () => {
    const id = await start();
    const d = await createRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 1_127_000, note: '' });
    expect(d.state).toMatchObject({ dpd: 0, creditFen: 0, balanceFen: 11_000_000 });
  });

  it('a large amount typed against the balance does not close the loan unless a settlement is asked for and confirmed', async () => {
    const id = await start();
    await createRepayment(env.ctx, { loanId: id, paidOn: '2026-02-15', amountFen: 1_120_000, note: '第一期' });
    // 200,000.00 against a balance of 110,000.00: nothing is due on 2026-03-01, so all of it would be held.
    const credit = await previewRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 20_000_000, excess: 'credit' });
    expect(credit).toMatchObject({ dueFen: 0, creditFen: 20_000_000, paysOff: false, needsConfirmation: true });
    const e = await fail(createRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 20_000_000, note: '' }));
    expect(e.message).toContain('200,000.00');

    // Settlement on 2026-03-01 with a 2 % prepayment fee for the product:
    //   principal 110,000.00; interest 02-15 → 03-01, 14 days: 110,000.00 × 12 % × 14 ÷ 360 = 513.333… → 513.33;
    //   fee 2 % × 110,000.00 = 2,200.00; total 112,713.33.
    await actAs(env.ctx, 'admin');
    await setFeeRule(env.ctx, { product: '个人经营贷', rule: { kind: 'percent', percent: '2' } });
    await actAs(env.ctx, 'officer1');
    expect(await settlementQuote(env.ctx, { loanId: id, date: '2026-03-01' })).toEqual({
      contractNo: 'HT-2026-0001',
      date: '2026-03-01',
      principalFen: 11_000_000,
      interestFen: 51_333,
      penaltyFen: 0,
      feeFen: 220_000,
      totalFen: 11_271_333,
      creditFen: 0,
      payableFen: 11_271_333,
    });
    const short = await fail(createRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 11_000_000, note: '', excess: 'settle', confirm: true }));
    expect(short.message).toContain('112,713.33');
    const refused = await fail(createRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 11_300_000, note: '', excess: 'settle' }));
    expect(refused.message).toContain('结清贷款');
    const d = await createRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 11_300_000, note: '提前结清', excess: 'settle', confirm: true });
    // 113,000.00 − 112,713.33 = 286.67 held as 溢收款.
    expect(d.repayments[1].allocation).toEqual({ penaltyFen: 0, interestFen: 51_333, principalFen: 11_000_000, unallocatedFen: 28_667, feeFen: 220_000 });
    expect(d.loan.status).toBe('closed');
    expect(d.state).toMatchObject({ balanceFen: 0, creditFen: 28_667 });
    expect(d.schedule.slice(2).every((p) => p.interestFen === 0 && p.status === 'paid')).toBe(true);
  });

  it('an officer cannot preview, post, quote or reverse on another officer’s loan', async () => {
    const id = await start();
    await actAs(env.ctx, 'officer2');
    expect((await fail(previewRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 100, excess: 'credit' }))).code).toBe('FORBIDDEN');
    expect((await fail(settlementQuote(env.ctx, { loanId: id, date: '2026-03-01' }))).code).toBe('FORBIDDEN');
    expect((await fail(createRepayment(env.ctx, { loanId: id, paidOn: '2026-03-01', amountFen: 100, note: '' }))).code).toBe('FORBIDDEN');
  });
});

describe('reversing a repayment needs a second person', () => {
  it('is proposed with a reason, changes nothing until another user approves it, and both steps are audited', async () => {
    const id = await start();
    const paid = await createRepayment(env.ctx, { loanId: id, paidOn: '2026-02-15', amountFen: 1_120_000, note: '第一期' });
    const repId = paid.repayments[0].id;
    const proposed = await reverseRepayment(env.ctx, { repaymentId: repId, reason: '银行退票' });
    // Nothing changed: the payment still counts.
    expect(proposed.state.balanceFen).toBe(11_000_000);
    expect(proposed.repayments[0]).toMatchObject({ reversed: null, reversalPending: { by: 'officer1', reason: '银行退票' } });
    expect((await fail(reverseRepayment(env.ctx, { repaymentId: repId, reason: '再申请' }))).code).toBe('CONFLICT');
    const [pending] = await pendingReversals(env.ctx);
    expect(pending).toMatchObject({ repaymentId: repId, contractNo: 'HT-2026-0001', amountFen: 1_120_000, proposedBy: 'officer1' });
    // An officer has no approval right; another officer does not even see it.
    expect((await fail(decideReversal(env.ctx, { reversalId: pending.id, approve: true, comment: '同意' }))).code).toBe('FORBIDDEN');
    await actAs(env.ctx, 'officer2');
    expect(await pendingReversals(env.ctx)).toEqual([]);
    expect((await fail(reverseRepayment(env.ctx, { repaymentId: repId, reason: '越权' }))).code).toBe('FORBIDDEN');

    // A supervisor rejects: still nothing changes.
    await actAs(env.ctx, 'supervisor1');
    const rejected = await decideReversal(env.ctx, { reversalId: pending.id, approve: false, comment: '退票未核实' });
    expect(rejected.state.balanceFen).toBe(11_000_000);
    expect(rejected.repayments[0]).toMatchObject({ reversed: null, reversalPending: null });

    // The supervisor proposes again and may not approve their own proposal; a second supervisor approves.
    await reverseRepayment(env.ctx, { repaymentId: repId, reason: '银行退票（已核实）' });
    const [again] = await pendingReversals(env.ctx);
    const own = await fail(decideReversal(env.ctx, { reversalId: again.id, approve: true, comment: '同意' }));
    expect(own.code).toBe('RULE_VIOLATION');
    await actAs(env.ctx, 'supervisor2');
    const done = await decideReversal(env.ctx, { reversalId: again.id, approve: true, comment: '同意冲正' });
    expect(done.state.balanceFen).toBe(12_000_000);
    expect(done.repayments[0].reversed).toMatchObject({ by: 'supervisor1', reason: '银行退票（已核实）' });
    // Deciding it again, as a stale page would, is refused with who decided it.
    const stale = await fail(decideReversal(env.ctx, { reversalId: again.id, approve: true, comment: '再批' }));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toContain('supervisor2');
    const log = await actions();
    expect(log.filter((a) => a.startsWith('repayments.reverse'))).toEqual(['repayments.reverseProposed', 'repayments.reverseRejected', 'repayments.reverseProposed', 'repayments.reverse']);
  });

  it('through the channels: officer-scoped, and the declared permission', async () => {
    const id = await start();
    const paid = await createRepayment(env.ctx, { loanId: id, paidOn: '2026-02-15', amountFen: 1_120_000, note: '' });
    const dispatch = dispatcherFor(env.ctx);
    const r = await dispatch('repayments.reverse', { repaymentId: paid.repayments[0].id, reason: '录入错误' });
    expect(r.ok).toBe(true);
    const list = await dispatch('repayments.pendingReversals', {});
    const reversalId = (list as { ok: true; value: { id: number }[] }).value[0].id;
    const officer = await dispatch('repayments.decideReversal', { reversalId, approve: true, comment: '同意' });
    expect(officer.ok ? null : officer.error.code).toBe('FORBIDDEN');
    await actAs(env.ctx, 'supervisor1');
    const ok = await dispatch('repayments.decideReversal', { reversalId, approve: true, comment: '同意' });
    expect(ok.ok).toBe(true);
  });
});

describe('the settlement quote, printed', () => {
  it('prints every item with its uppercase, the fee rule, the date it is valid for and the payable total; embedded fonts; officer-scoped', async () => {
    const id = await start();
    await createRepayment(env.ctx, { loanId: id, paidOn: '2026-02-15', amountFen: 1_120_000, note: '' });
    await actAs(env.ctx, 'admin');
    await setFeeRule(env.ctx, { product: '个人经营贷', rule: { kind: 'percent', percent: '2' } });
    await actAs(env.ctx, 'officer1');
    const dispatch = dispatcherFor(env.ctx);
    const r = await dispatch('repayments.quotePdf', { loanId: id, date: '2026-03-01' });
    if (!r.ok) throw new Error(r.error.message);
    const pdf = r.value as { fileName: string; base64: string };
    expect(pdf.fileName).toBe('提前结清测算单_HT-2026-0001_2026-03-01.pdf');
    const file = join(env.root, pdf.fileName);
    writeFileSync(file, Buffer.from(pdf.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, '');
    // The same figures as the quote above: principal 110,000.00, interest 513.33, fee 2,200.00, total 112,713.33.
    for (const fen of [11_000_000, 51_333, 220_000, 11_271_333]) {
      expect(flat).toContain(formatFen(fen));
      expect(flat).toContain(amountInWords(fen));
    }
    expect(flat).toContain('提前结清测算单');
    expect(flat).toContain('按提前偿还本金的2%收取');
    expect(flat).toContain('有效期至2026年3月1日');
    expect(flat).toContain(`结清应付金额：¥${formatFen(11_271_333)}（${amountInWords(11_271_333)}）`);
    expect(flat).toContain('借款人确认');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line.split(/\s+/).at(-5)).toBe('yes'); // emb

    // Another officer's loan: refused like the quote itself; an impossible date is refused by the contract.
    await actAs(env.ctx, 'officer2');
    const other = await dispatch('repayments.quotePdf', { loanId: id, date: '2026-03-01' });
    expect(other.ok ? null : other.error.code).toBe('FORBIDDEN');
    await actAs(env.ctx, 'officer1');
    const bad = await dispatch('repayments.quotePdf', { loanId: id, date: '2026-02-30' });
    expect(bad.ok ? null : bad.error.code).toBe('VALIDATION');
  });
});

describe('CLI quote', () => {
  it('prints the settlement quote as JSON', async () => {
    const id = await start();
    await createRepayment(env.ctx, { loanId: id, paidOn: '2026-02-15', amountFen: 1_120_000, note: '' });
    env.ctx.close();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, `${PASSWORDS.officer1}\n`);
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await cmdQuote({ ...storeFlags(env), user: 'officer1', 'password-file': pw, loan: 'HT-2026-0001', date: '2026-03-01', json: true });
    // No fee rule: 110,000.00 + 513.33 = 110,513.33.
    expect(JSON.parse(out.join(''))).toEqual({ contractNo: 'HT-2026-0001', date: '2026-03-01', principalFen: 11_000_000, interestFen: 51_333, penaltyFen: 0, feeFen: 0, totalFen: 11_051_333, creditFen: 0, payableFen: 11_051_333 });
  });

  it('--pdf writes the 提前结清测算单 with the same total', async () => {
    await start();
    env.ctx.close();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, `${PASSWORDS.officer1}\n`);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const pdf = join(env.root, 'quote.pdf');
    await cmdQuote({ ...storeFlags(env), user: 'officer1', 'password-file': pw, loan: 'HT-2026-0001', date: '2026-03-01', pdf });
    const flat = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(flat).toContain('HT-2026-0001');
    expect(flat).toContain('本产品不收取提前还款违约金');
    expect(flat).toMatch(new RegExp(`结清应付金额：¥[\\d,]+\\.\\d{2}（人民币`));
  });
});
