import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/shared/ipc/settings';
import { proposeDestruction } from '../../src/main/features/archive/archive';
import { runBatch } from '../../src/main/domain/batch';
import { applyExtension } from '../../src/main/features/loanChanges/loanChanges';
import { confirmNotices, dueNotices, prepareNotices } from '../../src/main/features/collections/notices';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { DEFAULT_SETTINGS } from '../../src/main/kernel/settings';
import { getSettings, updateSettings } from '../../src/main/features/settings/settings';
import { getToday } from '../../src/main/features/today/today';
import { today } from '../../src/main/kernel/context';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

async function world(at: string) {
  env = newEnv();
  env.clock.t = Date.parse(`${at}T02:00:00Z`);
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  return borrower(env.ctx);
}

/** Changes settings as the administrator, then carries on as `as`. */
async function set(patch: Partial<Settings>, as: string): Promise<void> {
  await loginAs(env.ctx, 'admin');
  await updateSettings(env.ctx, { ...(await getSettings(env.ctx)), ...patch });
  await loginAs(env.ctx, as);
}

async function moveTo(date: string, as: string): Promise<void> {
  env.clock.t = Date.parse(`${date}T02:00:00Z`);
  await loginAs(env.ctx, as);
}

const due = async () => (await dueNotices(env.ctx, { officer: null, bucket: null, level: null })).map((d) => `${d.contractNo}:${d.docType}`);

describe('collection and archive rules are settings', () => {
  it('defaults equal the rules the app shipped with; main refuses values out of range and audits each change', async () => {
    await world('2026-06-15');
    await loginAs(env.ctx, 'admin');
    expect(await getSettings(env.ctx)).toMatchObject({ extensionLeadDays: 15, receiptChaseDays: 15, reminderLeadDays: 3, maturityReminderLeadDays: 30, overdueNoticeRepeatDays: 30, retentionYears: 30 });
    const dispatch = dispatcherFor(env.ctx);
    const current = await getSettings(env.ctx);
    for (const bad of [{ extensionLeadDays: 0 }, { receiptChaseDays: 181 }, { reminderLeadDays: 1.5 }, { maturityReminderLeadDays: 91 }, { overdueNoticeRepeatDays: 3 }, { retentionYears: 5 }]) {
      const r = await dispatch('settings.update', { ...current, ...bad });
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: Object.keys(bad)[0] }] } });
    }
    await updateSettings(env.ctx, { ...current, receiptChaseDays: 7, retentionYears: 10 });
    const row = await env.ctx.store!.db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.update').executeTakeFirstOrThrow();
    const detail = JSON.parse(row.detail!) as { before: Settings; after: Settings };
    expect(detail.before).toMatchObject({ receiptChaseDays: 15, retentionYears: 30 });
    expect(detail.after).toMatchObject({ receiptChaseDays: 7, retentionYears: 10 });
    expect(await getSettings(env.ctx)).toEqual({ ...DEFAULT_SETTINGS, institution: current.institution, branch: current.branch, receiptChaseDays: 7, retentionYears: 10 });
  });

  it('an extension filed 10 days before maturity is refused with a 15-day lead and accepted with a 5-day lead', async () => {
    const b = await world('2026-06-30');
    const l = await loan(env.ctx, b.id, { method: 'monthly-interest', months: 6, startDate: '2026-01-10' });
    expect(l.loan.maturityDate).toBe('2026-07-10');
    const refused = await fail(applyExtension(env.ctx, { loanId: l.loan.id, newMaturity: '2026-10-10', reason: '订单回款延迟' }));
    expect(refused.code).toBe('RULE_VIOLATION');
    expect(refused.message).toContain('至少 15 天');
    await set({ extensionLeadDays: 5 }, 'officer1');
    expect((await applyExtension(env.ctx, { loanId: l.loan.id, newMaturity: '2026-10-10', reason: '订单回款延迟' })).status).toBe('pending');
  });

  it("a printed notice's receipt goes on the chase list after the set number of days", async () => {
    const b = await world('2026-01-05');
    const old = await loan(env.ctx, b.id, { contractNo: 'HT-OLD', method: 'bullet', months: 6, startDate: '2025-01-05' });
    const batch = await prepareNotices(env.ctx, { items: [{ loanId: old.loan.id, docType: 'overdue-notice' }], asOf: null, payBy: null });
    await confirmNotices(env.ctx, { batchId: batch.batchId! });
    await moveTo('2026-01-15', 'officer1');
    expect((await getToday(env.ctx)).collections!.receiptsToChase).toEqual([]);
    expect((await dispatcherFor(env.ctx)('settings.limits', {})) as unknown).toMatchObject({ ok: true, value: { receiptChaseDays: 15 } });
    await set({ receiptChaseDays: 7 }, 'officer1');
    expect((await getToday(env.ctx)).collections!.receiptsToChase.map((n) => n.serial)).toEqual([batch.notices[0].serial]);
    // The collections page's chase list starts at the setting.
    expect((await dispatcherFor(env.ctx)('settings.limits', {})) as unknown).toMatchObject({ ok: true, value: { receiptChaseDays: 7 } });
  });

  it('reminder leads and the overdue repeat interval decide which notices are due', async () => {
    const b = await world('2026-06-15');
    // First instalment 2026-06-20 (5 days ahead), a bullet maturity 2026-07-25 (40 days), and one 45 days overdue.
    await loan(env.ctx, b.id, { contractNo: 'HT-A', startDate: '2026-05-20' });
    await loan(env.ctx, b.id, { contractNo: 'HT-B', method: 'bullet', months: 6, startDate: '2026-01-25' });
    const c = await loan(env.ctx, b.id, { contractNo: 'HT-C', method: 'bullet', months: 3, startDate: '2026-02-01' });
    await runBatch(env.ctx, env.ctx.store!, today(env.ctx), 'system');
    expect(await due()).toEqual(['HT-C:overdue-notice']);
    // Today's work lists instalments due within the same lead.
    expect((await getToday(env.ctx)).reminders.map((r) => r.contractNo)).toEqual([]);
    await set({ reminderLeadDays: 7, maturityReminderLeadDays: 45 }, 'officer1');
    expect(await due()).toEqual(['HT-C:overdue-notice', 'HT-A:reminder', 'HT-B:reminder']);
    const mine = await getToday(env.ctx);
    expect([mine.reminderDays, mine.reminders.map((r) => [r.contractNo, r.dueDate])]).toEqual([7, [['HT-A', '2026-06-20']]]);

    const printed = await prepareNotices(env.ctx, { items: [{ loanId: c.loan.id, docType: 'overdue-notice' }], asOf: null, payBy: null });
    await confirmNotices(env.ctx, { batchId: printed.batchId! });
    expect(await due()).not.toContain('HT-C:overdue-notice');
    // Twenty days later: not again within the 30-day interval, again with a 14-day one.
    await moveTo('2026-07-05', 'officer1');
    await runBatch(env.ctx, env.ctx.store!, today(env.ctx), 'system');
    expect(await due()).not.toContain('HT-C:overdue-notice');
    await set({ overdueNoticeRepeatDays: 14 }, 'officer1');
    expect(await due()).toContain('HT-C:overdue-notice');
  });

  it('the retention years set the date from which a closed file may be listed for destruction', async () => {
    const b = await world('2026-03-01');
    const l = await loan(env.ctx, b.id, { startDate: '2026-01-15' });
    await createRepayment(env.ctx, { loanId: l.loan.id, paidOn: '2026-03-01', amountFen: 20_000_000, note: '提前结清', excess: 'settle', confirm: true });
    await moveTo('2038-03-02', 'archivist1');
    const early = await fail(proposeDestruction(env.ctx, { loanIds: [l.loan.id], reason: '保管期满' }));
    expect(early.code).toBe('RULE_VIOLATION');
    expect(early.message).toContain('保管 30 年，至 2056年3月1日');
    await set({ retentionYears: 10 }, 'archivist1');
    const list = await proposeDestruction(env.ctx, { loanIds: [l.loan.id], reason: '保管期满' });
    expect(list.loans).toEqual([{ loanId: l.loan.id, contractNo: 'HT-2026-0001', closedOn: '2026-03-01', retentionUntil: '2036-03-01' }]);
  });
});
