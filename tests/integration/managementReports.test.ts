import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { amountInWords, LEVEL_LABELS, LEVELS } from '../../src/shared/domain';
import { runBatchCommand } from '../../src/main/jobs/dailyBatch';
import { addPromise } from '../../src/main/features/collections/collections';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { applyExtension, applyRestructuring, decideChange } from '../../src/main/features/loanChanges/loanChanges';
import { reassignLoans } from '../../src/main/features/archive/archive';
import { cmdReport } from '../../src/main/features/managementReports/cli';
import { authenticated } from '../../src/main/cli/commands';
import { concentration, kpis, migration, trend, vintage } from '../../src/main/features/managementReports/reports';
import { currentSnapshot, fillMonthEnds, listSnapshots, retakeSnapshot, setProvisionRates, snapshotLoans, takeSnapshot } from '../../src/main/features/managementReports/snapshots';
import { dispatcherFor, newEnv, setUp, type TestEnv, storeFlags } from '../helpers/context';
import { rawQuery, storeWrites } from '../helpers/storeSql';
import { actAs, borrower, createStaff, loan, loginAs, PASSWORDS } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => {
  vi.restoreAllMocks();
  env?.cleanup();
});

const bullet = (contractNo: string, startDate: string, months: number, principalFen = 12_000_000) => ({ contractNo, startDate, method: 'bullet' as const, months, principalFen });

/**
 * A small portfolio on 2026-11-23, as of 2026-10-31:
 * - HT-A 120,000.00 bullet from 2026-01-10, due 2026-07-10, unpaid: 113 days past due, M4, 次级 (floor: > 90 days);
 * - HT-B 120,000.00 monthly from 2026-10-01, first instalment 2026-11-01: current, M0, 正常;
 * - HT-C 50,000.00 bullet from 2026-05-20, due 2026-08-20, unpaid: 72 days, M3, 关注;
 * - HT-D paid off on 2026-04-05 (closed): not on the books.
 * Balance 290,000.00; overdue 170,000.00; NPL 120,000.00; provisions 25 % · 120,000 + 1 % · 120,000 + 2 % · 50,000 = 32,200.00.
 */
async function world() {
  env = newEnv();
  env.clock.t = Date.parse('2026-11-23T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b1 = await borrower(env.ctx);
  const b2 = await borrower(env.ctx, '李四', '11010519850505123');
  const a = await loan(env.ctx, b1.id, bullet('HT-A', '2026-01-10', 6));
  const b = await loan(env.ctx, b2.id, { contractNo: 'HT-B', startDate: '2026-10-01', months: 12 });
  const c = await loan(env.ctx, b2.id, bullet('HT-C', '2026-05-20', 3, 5_000_000));
  const d = await loan(env.ctx, b1.id, bullet('HT-D', '2026-01-05', 3, 1_000_000));
  await createRepayment(env.ctx, { loanId: d.loan.id, paidOn: '2026-04-05', amountFen: 2_000_000, note: '结清', confirm: true });
  // A promise kept (100.00 paid within it) and one broken, both due in October.
  await createRepayment(env.ctx, { loanId: a.loan.id, paidOn: '2026-10-10', amountFen: 10_000, note: '部分还款' });
  await addPromise(env.ctx, { loanId: a.loan.id, amountFen: 10_000, promiseDate: '2026-10-20', madeOn: '2026-10-05', note: '' });
  await addPromise(env.ctx, { loanId: c.loan.id, amountFen: 50_000, promiseDate: '2026-10-25', madeOn: '2026-10-01', note: '' });
  await actAs(env.ctx, 'supervisor1');
  await runBatchCommand(env.ctx, { asOf: null });
  return { a: a.loan.id, b: b.loan.id, c: c.loan.id, d: d.loan.id };
}

const changes = () => storeWrites(env.ctx);

describe('management reports', () => {
  it('KPIs as of a month-end match the hand-computed figures; a read stores nothing', async () => {
    await world();
    const before = await changes();
    const k = await kpis(env.ctx, { asOf: '2026-10-31' });
    expect(await changes()).toBe(before);
    expect(k.source).toBe('live');
    expect(k).toMatchObject({ loans: 3, balanceFen: 29_000_000, overdueLoans: 2, overdueBalanceFen: 17_000_000, nplLoans: 1, nplBalanceFen: 12_000_000, provisionRequiredFen: 3_220_000, provisionHeldFen: null, coverageBasis: 'required' });
    expect(k.overdueRate).toBe(17_000_000 / 29_000_000);
    expect(k.overdueCountRate).toBe(2 / 3);
    expect(k.nplRatio).toBe(12_000_000 / 29_000_000);
    expect(k.coverageRatio).toBe(3_220_000 / 12_000_000);
    expect(k.byClass.substandard).toEqual({ count: 1, balanceFen: 12_000_000, provisionRateBp: 2500, provisionFen: 3_000_000 });
    expect(k.byClass.normal).toEqual({ count: 1, balanceFen: 12_000_000, provisionRateBp: 100, provisionFen: 120_000 });
    expect(k.byClass['special-mention']).toEqual({ count: 1, balanceFen: 5_000_000, provisionRateBp: 200, provisionFen: 100_000 });
    expect(k.byBucket.M4).toEqual({ count: 1, balanceFen: 12_000_000 });
    expect(k.byBucket.M3).toEqual({ count: 1, balanceFen: 5_000_000 });
    expect(k.byBucket.M0).toEqual({ count: 1, balanceFen: 12_000_000 });
    expect(k.activity.periodStart).toBe('2026-10-01');
    expect(k.activity.promises).toEqual({ due: 2, met: 1, rate: 0.5 });
    expect(k.activity.writeOffs).toEqual({ count: 0, balanceFen: 0 });

    const conc = await concentration(env.ctx, { asOf: '2026-10-31' });
    expect(conc.topBorrowers.map((r) => [r.key, r.count, r.balanceFen])).toEqual([
      ['李四', 2, 17_000_000],
      ['张三', 1, 12_000_000],
    ]);
    expect(conc.top10Share).toBe(1);
    expect(conc.largestShare).toBe(17_000_000 / 29_000_000);
    const v = await vintage(env.ctx, { asOf: '2026-10-31' });
    expect(v.rows.map((r) => [r.vintage, r.loans, r.balanceFen, r.nplBalanceFen])).toEqual([
      ['2026Q1', 1, 12_000_000, 12_000_000],
      ['2026Q2', 1, 5_000_000, 0],
      ['2026Q4', 1, 12_000_000, 0],
    ]);

    // The provisioning rates are a setting (administrator), in basis points.
    await actAs(env.ctx, 'admin');
    await setProvisionRates(env.ctx, { byLevel: { normal: 150, 'special-mention': 300, substandard: 3000, doubtful: 6000, loss: 10000 }, factoringReserveMinBp: 100 });
    await actAs(env.ctx, 'risk1');
    // 30 % · 120,000 + 1.5 % · 120,000 + 3 % · 50,000 = 36,000 + 1,800 + 1,500.
    expect((await kpis(env.ctx, { asOf: '2026-10-31' })).provisionRequiredFen).toBe(3_930_000);
  });

  it('month-end snapshots are taken once and never change; only a supervisor re-takes one, with a reason, audited', async () => {
    const ids = await world();
    const taken = await fillMonthEnds(env.ctx, env.ctx.store!);
    expect(taken).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31']);
    expect(await fillMonthEnds(env.ctx, env.ctx.store!)).toEqual([]);
    // Vintage curves from the snapshots: balance > 30 days past due against months on book, over the quarter's principal.
    const curves = (await vintage(env.ctx, { asOf: '2026-10-31' })).curves.map((c) => [c.vintage, c.points.map((p) => [p.mob, p.over30Fen])]);
    expect(curves).toEqual([
      // 2026Q1: HT-A (120,000.00, due 10 July) and HT-D (10,000.00, paid off): 31+ days from August.
      ['2026Q1', [[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], [6, 0], [7, 0], [8, 12_000_000], [9, 12_000_000], [10, 12_000_000]]],
      // 2026Q2: HT-C (50,000.00, due 20 August) from its first month-end in May; 41 days on 30 September.
      ['2026Q2', [[2, 0], [3, 0], [4, 0], [5, 0], [6, 5_000_000], [7, 5_000_000]]],
      ['2026Q4', [[1, 0]]],
    ]);
    const q1 = (await vintage(env.ctx, { asOf: '2026-10-31' })).curves[0].points.at(-1)!;
    expect(q1.ratio).toBe(12_000_000 / 13_000_000);
    const k0 = await kpis(env.ctx, { asOf: '2026-10-31' });
    expect(k0).toMatchObject({ source: 'snapshot', loans: 3, balanceFen: 29_000_000, overdueBalanceFen: 17_000_000, provisionRequiredFen: 3_220_000 });

    // Today's data changes (a late-entered payment dated in October pays HT-C off); last month's snapshot does not.
    await actAs(env.ctx, 'officer1');
    await createRepayment(env.ctx, { loanId: ids.c, paidOn: '2026-10-15', amountFen: 6_000_000, note: '补录', confirm: true });
    await actAs(env.ctx, 'supervisor1');
    expect(await kpis(env.ctx, { asOf: '2026-10-31' })).toEqual(k0);
    await expect(rawQuery(env.ctx, `UPDATE portfolio_snapshot_loans SET balance_fen = 0`)).rejects.toThrow(/append-only/);
    await expect(rawQuery(env.ctx, `DELETE FROM portfolio_snapshots`)).rejects.toThrow(/append-only/);

    // Taking it again on demand is refused; a risk officer may not re-take it; a supervisor may, with a reason.
    await expect(takeSnapshot(env.ctx, { asOf: '2026-10-31' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const dispatch = dispatcherFor(env.ctx);
    await actAs(env.ctx, 'risk1');
    expect(await dispatch('managementReports.retakeSnapshot', { asOf: '2026-10-31', reason: '补录还款' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await dispatch('managementReports.retakeSnapshot', { asOf: '2026-10-31', reason: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await actAs(env.ctx, 'supervisor1');
    const again = await retakeSnapshot(env.ctx, { asOf: '2026-10-31', reason: '补录 10 月 15 日还款' });
    expect(again.supersedes).toBe(k0.snapshotId);
    const k1 = await kpis(env.ctx, { asOf: '2026-10-31' });
    // HT-C is paid off on 15 October: off the books at the month's end.
    expect(k1).toMatchObject({ source: 'snapshot', snapshotId: again.id, loans: 2, balanceFen: 24_000_000, overdueBalanceFen: 12_000_000 });
    const list = (await listSnapshots(env.ctx)).filter((s) => s.asOf === '2026-10-31');
    expect(list.map((s) => [s.id, s.current, s.reason, s.takenBy])).toEqual([
      [again.id, true, '补录 10 月 15 日还款', 'supervisor1'],
      [k0.snapshotId, false, null, 'system'],
    ]);
    const audit = await rawQuery<{ actor: string; reason: string; detail: string }>(env.ctx, `SELECT actor, reason, detail FROM audit_log WHERE action = 'managementReports.retakeSnapshot'`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'supervisor1', reason: '补录 10 月 15 日还款' });
    expect(JSON.parse(audit[0].detail)).toMatchObject({ before: { snapshotId: k0.snapshotId, balanceFen: 29_000_000 }, balanceFen: 24_000_000 });

    // The trend reads the snapshots; the migration matrix compares two month-ends.
    const tr = await trend(env.ctx, { asOf: '2026-10-31', months: 12 });
    expect(tr).toHaveLength(12);
    expect(tr[0]).toMatchObject({ asOf: '2025-11-30', snapshotId: null });
    expect(tr[11]).toMatchObject({ asOf: '2026-10-31', balanceFen: 24_000_000, nplRatio: 0.5 });
    const m = await migration(env.ctx, { fromAsOf: '2026-06-30', asOf: '2026-10-31' });
    // 30 June: HT-A, HT-C current (正常, M0); HT-B not yet lent.
    expect(m.byClass.find((r) => r.from === 'normal')!.to.substandard).toEqual({ count: 1, balanceFen: 12_000_000 });
    expect(m.byClass.find((r) => r.from === 'normal')!.to.closed).toEqual({ count: 1, balanceFen: 5_000_000 });
    expect(m.byBucket.find((r) => r.from === 'M0')!.to.M4).toEqual({ count: 1, balanceFen: 12_000_000 });
    expect([m.fromSource, m.toSource]).toEqual(['snapshot', 'snapshot']);
    expect(m.newLoans).toEqual({ count: 1, balanceFen: 12_000_000 });
  });

  it('the period activity KPIs count exactly: inspections and reports on time, promises kept, receipts returned in the chase period, warnings by level and age', async () => {
    const ids = await world();
    const q = (text: string, ...params: unknown[]) => rawQuery<{ id: number }>(env.ctx, text, ...params);
    const at = '2026-11-23T02:00:00.000Z';
    // Only the inspections written here count: the ones planned with the loans are set aside.
    await q(`UPDATE inspections SET status = 'cancelled'`);
    const insp = async (due: string, status = 'planned') =>
      (await q(`INSERT INTO inspections (loan_id, kind, due_date, reason, status, created_at, updated_at) VALUES (?, 'routine', ?, '定期', ?, ?, ?) RETURNING id`, ids.a, due, status, at, at))[0].id;
    const report = async (inspectionId: number, visit: string, status: string, reviewDue: string | null = null, version = 1) =>
      (
        await q(
          `INSERT INTO inspection_reports (inspection_id, loan_id, form, version, status, visit_date, data, officer, report_due, review_due, created_at, updated_at)
           VALUES (?, ?, 'post', ?, ?, ?, '{}', 'officer1', ?, ?, ?, ?) RETURNING id`,
          inspectionId, ids.a, version, status, visit, visit, reviewDue, at, at,
        )
      )[0].id;
    const signed = (reportId: number, iso: string) => q(`INSERT INTO report_events (report_id, step, by_user, at) VALUES (?, 'sign', 'supervisor1', ?)`, reportId, iso);
    // October: on time (visit on the due date, signed; and one visited early and accepted, with its corrected version);
    // late (visited after the due date); a draft dated in time (not done); a returned report (not done); not visited at all.
    const r1 = await report(await insp('2026-10-10', 'done'), '2026-10-10', 'signed', '2026-10-14');
    await signed(r1, '2026-10-14T09:00:00.000Z');
    const i2 = await insp('2026-10-12', 'done');
    const r2 = await report(i2, '2026-10-08', 'superseded', '2026-10-12');
    await signed(r2, '2026-10-11T09:00:00.000Z');
    await report(i2, '2026-10-08', 'accepted', null, 2);
    const r3 = await report(await insp('2026-10-15', 'done'), '2026-10-20', 'signed', '2026-10-24');
    // Signed on 25 October in Beijing (24 October 17:00 UTC): a day late.
    await signed(r3, '2026-10-24T17:00:00.000Z');
    await report(await insp('2026-10-20'), '2026-10-19', 'draft');
    const r5 = await report(await insp('2026-10-22'), '2026-10-21', 'returned', '2026-10-26');
    await q(`INSERT INTO report_events (report_id, step, by_user, at) VALUES (?, 'return', 'supervisor1', '2026-10-25T02:00:00.000Z')`, r5);
    await insp('2026-10-30');
    // Outside the period: due in September, and in November; a cancelled one in October.
    await signed(await report(await insp('2026-09-30', 'done'), '2026-09-29', 'signed', '2026-10-03'), '2026-10-02T02:00:00.000Z');
    await insp('2026-11-05');
    await insp('2026-10-18', 'cancelled');

    const k = await kpis(env.ctx, { asOf: '2026-10-31' });
    // Due in October: 6 inspections, 2 visited by their due date with a report past the draft (r1, i2).
    expect(k.activity.inspections).toEqual({ due: 6, met: 2, rate: 2 / 6 });
    // Reports whose review fell due in October: r1 (on time), r2 (on time), r3 (late), r5 (returned, not signed);
    // and the September inspection's, due on 3 October and signed on the 2nd: 5 due, 3 signed by then.
    expect(k.activity.reportsSigned).toEqual({ due: 5, met: 3, rate: 3 / 5 });

    // Promises due in October: the two of world() (one kept), one made after the only payment (broken), one
    // kept by a payment on the day it fell due; one due in November does not count.
    await actAs(env.ctx, 'officer1');
    await addPromise(env.ctx, { loanId: ids.a, amountFen: 10_000, promiseDate: '2026-10-22', madeOn: '2026-10-12', note: '' });
    await createRepayment(env.ctx, { loanId: ids.c, paidOn: '2026-10-28', amountFen: 20_000, note: '部分还款' });
    await addPromise(env.ctx, { loanId: ids.c, amountFen: 20_000, promiseDate: '2026-10-28', madeOn: '2026-10-26', note: '' });
    await addPromise(env.ctx, { loanId: ids.c, amountFen: 20_000, promiseDate: '2026-11-03', madeOn: '2026-10-26', note: '' });
    await actAs(env.ctx, 'supervisor1');

    // Receipts (chase period 15 days from the printing day in Beijing): the chase period of four ended in October.
    const notice = (printedAt: string, receipt: 'pending' | 'returned' | 'none', registeredAt: string | null, status = 'printed', required = 1) =>
      q(
        `INSERT INTO notices (serial, doc_type, loan_id, addressee_kind, addressee_name, addressee_address, as_of, principal_fen, interest_fen, penalty_fen, batch_id, status,
           receipt_required, receipt_status, registered_by, registered_at, created_by, created_at, printed_at)
         VALUES (?, 'overdue-notice', ?, 'borrower', '张三', '北京', '2026-09-01', 0, 0, 0, 'b', ?, ?, ?, ?, ?, 'officer1', ?, ?)`,
        `N-${printedAt}-${status}-${required}`, ids.a, status, required, receipt, registeredAt ? 'officer1' : null, registeredAt, printedAt, printedAt,
      );
    await notice('2026-09-20T02:00:00.000Z', 'returned', '2026-10-01T02:00:00.000Z'); // ends 5 Oct, back in time
    await notice('2026-10-01T02:00:00.000Z', 'returned', '2026-10-16T17:00:00.000Z'); // ends 16 Oct, back on the 17th in Beijing: late
    await notice('2026-10-10T02:00:00.000Z', 'pending', null); // ends 25 Oct, not back
    await notice('2026-09-15T17:00:00.000Z', 'returned', '2026-09-25T02:00:00.000Z'); // printed 16 Sept in Beijing, ends 1 Oct, back in time
    await notice('2026-10-20T02:00:00.000Z', 'pending', null); // ends 4 Nov: not yet
    await notice('2026-10-01T03:00:00.000Z', 'pending', null, 'void'); // voided
    await notice('2026-10-01T04:00:00.000Z', 'none', null, 'printed', 0); // no receipt asked for

    // Warnings open at the end of 31 October (Beijing), by level, with their age in days.
    const signal = (await q(`SELECT id FROM warning_signals ORDER BY id LIMIT 1`))[0].id;
    const warning = (level: string, raisedAt: string, closedAt: string | null) =>
      q(`INSERT INTO warnings (loan_id, signal_id, source, level, detail, status, owner, raised_by, raised_at, closed_at) VALUES (?, ?, 'manual', ?, '', ?, 'officer1', 'officer1', ?, ?)`, ids.a, signal, level, closedAt ? 'cleared' : 'raised', raisedAt, closedAt);
    await warning('light', '2026-10-01T02:00:00.000Z', null); // 30 days
    await warning('light', '2026-10-21T02:00:00.000Z', '2026-11-05T02:00:00.000Z'); // 10 days, closed later
    await warning('serious', '2026-09-30T17:00:00.000Z', null); // raised on 1 October in Beijing: 30 days
    await warning('medium', '2026-10-05T02:00:00.000Z', '2026-10-31T17:00:00.000Z'); // closed on 1 November in Beijing: 26 days
    await warning('medium', '2026-10-01T02:00:00.000Z', '2026-10-20T02:00:00.000Z'); // closed in October
    await warning('serious', '2026-11-02T02:00:00.000Z', null); // not yet raised

    const a = (await kpis(env.ctx, { asOf: '2026-10-31' })).activity;
    expect(a.promises).toEqual({ due: 4, met: 2, rate: 0.5 });
    expect(a.receipts).toEqual({ due: 4, met: 2, rate: 0.5 });
    expect(a.warnings).toEqual({
      open: 4,
      averageAgeDays: 24,
      byLevel: { light: { count: 2, averageAgeDays: 20 }, medium: { count: 1, averageAgeDays: 26 }, serious: { count: 1, averageAgeDays: 30 } },
    });
    // The snapshot stores the same figures.
    await takeSnapshot(env.ctx, { asOf: '2026-10-31' });
    expect((await kpis(env.ctx, { asOf: '2026-10-31' })).activity).toEqual(a);
  });

  it('a past month-end is replayed with the schedule in force and the officer who held the loan then', async () => {
    const ids = await world();
    const before = await kpis(env.ctx, { asOf: '2026-10-31' });
    // After the month-end: HT-B is extended and handed to officer2; HT-C is restructured (its overdue folded into a new schedule, at 10 %).
    await actAs(env.ctx, 'officer1');
    const ext = await applyExtension(env.ctx, { loanId: ids.b, newMaturity: '2028-04-01', reason: '订单回款延迟' });
    const res = await applyRestructuring(env.ctx, { loanId: ids.c, newMaturity: '2027-11-20', newRate: '10', newMethod: 'equal-principal', reason: '经营困难' });
    await actAs(env.ctx, 'supervisor1');
    await decideChange(env.ctx, { changeId: ext.id, approve: true, comment: '同意' });
    await decideChange(env.ctx, { changeId: res.id, approve: true, comment: '同意' });
    await reassignLoans(env.ctx, { loanIds: [ids.b], toOfficer: 'officer2', reason: '岗位调整' });
    expect(await rawQuery(env.ctx, `SELECT officer, maturity_date, schedule_version, annual_rate FROM loans WHERE id IN (?, ?) ORDER BY id`, ids.b, ids.c)).toEqual([
      { officer: 'officer2', maturity_date: '2028-04-01', schedule_version: 2, annual_rate: '12' },
      { officer: 'officer1', maturity_date: '2027-11-20', schedule_version: 2, annual_rate: '10' },
    ]);

    // Computed live and as stored, 31 October is what it was: HT-C still 72 days past due under its old schedule.
    const live = await kpis(env.ctx, { asOf: '2026-10-31' });
    expect(live).toEqual(before);
    expect(live.historyGaps).toBe(0);
    await takeSnapshot(env.ctx, { asOf: '2026-10-31' });
    const kdb = env.ctx.store!.db;
    const rows = await snapshotLoans(kdb, (await currentSnapshot(kdb, '2026-10-31'))!.id);
    const byId = new Map(rows.map((r) => [r.loan_id, r]));
    expect(byId.get(ids.b)).toMatchObject({ officer: 'officer1', maturity_date: '2027-10-01', balance_fen: 12_000_000, dpd: 0, history_gaps: '' });
    expect(byId.get(ids.c)).toMatchObject({ officer: 'officer1', maturity_date: '2026-08-20', dpd: 72, bucket: 'M3', level: 'special-mention', history_gaps: '' });
    expect((await kpis(env.ctx, { asOf: '2026-10-31' })).overdueBalanceFen).toBe(17_000_000);
    // Today the new schedule and officer are in force.
    const now = await takeSnapshot(env.ctx, { asOf: '2026-11-23' });
    const today = new Map((await snapshotLoans(kdb, now.id)).map((r) => [r.loan_id, r]));
    expect(today.get(ids.b)).toMatchObject({ officer: 'officer2', maturity_date: '2028-04-01' });
    expect(today.get(ids.c)).toMatchObject({ maturity_date: '2027-11-20', dpd: 0 });
  }, 60_000);

  it('CLI: report --name kpis prints the KPIs as JSON and writes the workbook (LibreOffice opens it) and the PDF', async () => {
    await world();
    await fillMonthEnds(env.ctx, env.ctx.store!);
    // What the report's newer sections must print: the same computations as the channels give.
    const mig = await migration(env.ctx, { fromAsOf: '2026-09-30', asOf: '2026-10-31' });
    const vin = await vintage(env.ctx, { asOf: '2026-10-31' });
    env.ctx.close();
    const pw = join(env.root, 'pw.txt');
    writeFileSync(pw, `${PASSWORDS.supervisor1}\n`);
    const xlsx = join(env.root, 'report.xlsx');
    const pdf = join(env.root, 'report.pdf');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    await cmdReport({ ...storeFlags(env), user: 'supervisor1', 'password-file': pw, name: 'kpis', 'as-of': '2026-10-31', json: true, xlsx, pdf }, authenticated);
    vi.restoreAllMocks();
    const k = JSON.parse(out.join(''));
    expect(k).toMatchObject({ asOf: '2026-10-31', source: 'snapshot', loans: 3, balanceFen: 29_000_000, overdueBalanceFen: 17_000_000, nplBalanceFen: 12_000_000, provisionRequiredFen: 3_220_000 });
    expect(k.overdueRate).toBeCloseTo(17 / 29, 15);
    expect(k.nplRatio).toBeCloseTo(12 / 29, 15);
    expect(k.coverageRatio).toBeCloseTo(3.22 / 12, 15);
    expect(k.byClass.substandard.balanceFen).toBe(12_000_000);

    // Every sheet, as a user opening the workbook in LibreOffice sees it.
    const dir = join(env.root, 'csv');
    execFileSync('soffice', ['--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', dir, xlsx], { stdio: 'ignore', timeout: 180_000, env: { ...process.env, HOME: env.root } });
    const sheets = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const all = Object.values(sheets).join('\n');
    expect(Object.keys(sheets)).toHaveLength(13);
    expect(all).toContain('次级,1,"120,000.00",41.38%');
    expect(all).toContain('M4,1,"120,000.00",41.38%');
    expect(all).toContain('1,李四,2,"170,000.00",58.62%');
    expect(all).toContain('应计提贷款损失准备,,,"32,200.00"');
    expect(all).toMatch(/不良贷款率,41\.38%/);
    // The newer sheets: migration by count and by balance, vintage, each row as computed.
    const csvYuan = (fen: number) => `"${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}"`.replace(/^"(\d{1,3}\.\d\d)"$/, '$1');
    const migTo = [...LEVELS, 'closed', 'written-off'] as const;
    for (const r of mig.byClass) {
      const counts = migTo.map((to) => r.to[to].count);
      expect(all).toContain(`${LEVEL_LABELS[r.from].zh},${counts.join(',')},${counts.reduce((a, b) => a + b, 0)}`);
      const fens = migTo.map((to) => r.to[to].balanceFen);
      expect(all).toContain(`${LEVEL_LABELS[r.from].zh},${fens.map(csvYuan).join(',')},${csvYuan(fens.reduce((a, b) => a + b, 0))}`);
    }
    expect(mig.byClass.some((r) => migTo.some((to) => r.to[to].balanceFen > 0))).toBe(true);
    expect(all).toContain(`期间新增,,,,,,,,${mig.newLoans.count}`);
    for (const r of vin.rows) {
      expect(all).toContain(`${r.vintage},${r.loans},${[r.principalFen, r.balanceFen, r.overdueBalanceFen, r.nplBalanceFen].map(csvYuan).join(',')},${r.nplOfPrincipal === null ? '' : `${(r.nplOfPrincipal * 100).toFixed(2)}%`}`);
    }

    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('贷后管理月报');
    expect(text).toContain('2026年10月31日');
    for (const fen of [29_000_000, 17_000_000, 12_000_000, 3_220_000]) expect(text.replace(/\s+/g, '')).toContain(amountInWords(fen));
    expect(text).toMatch(/41\.38%/);
    for (const title of ['六、行业与产品集中度', '七、保理业务集中度', '八、五级分类迁徙矩阵', '九、按发放季度（Vintage）', '十、保理应收账款账龄', '编制人（签字）']) expect(text).toContain(title);
    // The migration's starting balance and the vintages' principal, in figures and in words.
    const migFrom = mig.byClass.reduce((n, r) => n + migTo.reduce((x, to) => x + r.to[to].balanceFen, 0), 0);
    const principal = vin.rows.reduce((n, r) => n + r.principalFen, 0);
    for (const fen of [migFrom, principal, mig.newLoans.balanceFen]) expect(text.replace(/\s+/g, '')).toContain(`¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}（${amountInWords(fen)}）`);
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
  }, 240_000);
});
