import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/main/db/schema';
import { runBatch, statusesAsOf } from '../../src/main/domain/batch';
import { executeBatch, startDailyBatch } from '../../src/main/jobs/dailyBatch';
import { addCollateral } from '../../src/main/features/loans/collateral';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { settlementQuote } from '../../src/main/features/repayments/servicing';
import { verifyAuditChain } from '../../src/main/kernel/audit';
import { openBranchStore } from '../../src/main/kernel/branchStore';
import { AppContext } from '../../src/main/kernel/context';
import type { BranchStore, Store } from '../../src/main/kernel/store';
import '../../src/main/reactions';
import { FakeClock, newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs } from '../helpers/portfolio';
import { startPgServer, type PgServer } from '../support/pgServer';

/**
 * The daily batch on both stores, one code path (issue #14): the same small portfolio is booked through the
 * services on the single-PC store and on the branch server, and the batch is run on each. The stored statuses, the
 * closed loan, the system classes, the automatic warnings (details to the byte) and the planned inspections come
 * out the same; a second run the same day changes nothing; two PCs running the next day's batch at once on the
 * server leave what one run leaves on one PC.
 */

let server: PgServer;
let env: TestEnv;
let root: string;
const stores: BranchStore[] = [];

const at = (clock: FakeClock, iso: string) => void (clock.t = Date.parse(iso));

/**
 * Current, 35 and about 95 days past due, one settled early (then reset to active, as an import of a loan paid off
 * leaves it, for the batch to close), and one whose collateral is worth too little (80 % against a 70 % limit).
 */
async function book(ctx: AppContext, clock: FakeClock): Promise<void> {
  at(clock, '2026-01-15T02:00:00Z');
  await actAs(ctx, 'officer1');
  const ids = ['11010519800101123', '11010519800101131', '11010519800101158', '11010519800101166', '11010519800101174'];
  const b = [];
  for (const [i, name] of ['张三', '李四', '王五', '赵六', '钱七'].entries()) b.push((await borrower(ctx, name, ids[i])).id);
  const current = (await loan(ctx, b[0], { contractNo: 'HT-CUR', method: 'equal-installment' })).loan.id;
  await createRepayment(ctx, { loanId: current, paidOn: '2026-01-15', amountFen: 6_000_000, note: '提前还款', confirm: true });
  const due35 = (await loan(ctx, b[1], { contractNo: 'HT-35', method: 'bullet', months: 3 })).loan.id;
  const late = (await loan(ctx, b[2], { contractNo: 'HT-95', method: 'bullet', months: 1, startDate: '2026-01-13' })).loan.id;
  const settled = (await loan(ctx, b[3], { contractNo: 'HT-SET' })).loan.id;
  const ltv = (await loan(ctx, b[4], { contractNo: 'HT-LTV', guaranteeModes: ['mortgage'] })).loan.id;
  await addCollateral(ctx, { loanId: ltv, kind: 'mortgage', type: '房产', description: '朝阳区某小区 3 号楼 101 室', owner: '钱七', registrationAuthority: '北京市不动产登记中心', registrationNo: '京(2026)朝阳区不动产权第0001号', valueFen: 15_000_000, valuedOn: '2026-01-14', certificates: [] });
  at(clock, '2026-03-01T02:00:00Z');
  await actAs(ctx, 'officer1');
  const quote = await settlementQuote(ctx, { loanId: settled, date: '2026-03-01' });
  const paid = await createRepayment(ctx, { loanId: settled, paidOn: '2026-03-01', amountFen: quote.payableFen, note: '提前结清', excess: 'settle', confirm: true });
  expect(paid.loan.status).toBe('closed');
  // As an import leaves them: the settled loan still active, the current loan without any inspection plan.
  await ctx.store!.db.updateTable('loans').set({ status: 'active', closed_on: null }).where('id', '=', settled).execute();
  await ctx.store!.db.deleteFrom('inspections').where('loan_id', '=', current).execute();
  expect(late).toBeGreaterThan(current);
  // Two signed post-loan reports (as filed): the debt ratio from 50.0 % to 80.0 %, and a draft with a fraction,
  // which the rules do not read.
  const visit = (await ctx.store!.db.selectFrom('inspections').select('id').where('loan_id', '=', due35).orderBy('id').executeTakeFirstOrThrow()).id;
  const report = (visitDate: string, status: 'signed' | 'draft', data: object) => ({
    inspection_id: visit, loan_id: due35, form: 'post' as const, version: 1, status, visit_date: visitDate, data: JSON.stringify(data), officer: 'officer1', report_due: visitDate, created_at: clock.now().toISOString(), updated_at: clock.now().toISOString(),
  });
  await ctx.store!.db
    .insertInto('inspection_reports')
    .values([report('2026-02-01', 'signed', { totalAssetsFen: 10_000_000, liabilitiesFen: 5_000_000 }), report('2026-04-01', 'signed', { totalAssetsFen: 10_000_000, liabilitiesFen: 8_000_000 }), report('2026-04-02', 'draft', { totalAssetsFen: 1.5, liabilitiesFen: 1 })])
    .execute();
  at(clock, '2026-05-20T02:00:00Z');
  await actAs(ctx, 'supervisor1');
}

/** What the batch and its reactions leave, by contract number, ids only where both stores number alike. */
async function snapshot(db: Kysely<Database>) {
  const loans = await db.selectFrom('loans').select(['contract_no', 'status', 'closed_on']).orderBy('contract_no').execute();
  const statuses = await db
    .selectFrom('loan_status as s')
    .innerJoin('loans as l', 'l.id', 's.loan_id')
    .select(['l.contract_no', 's.as_of', 's.balance_fen', 's.dpd', 's.bucket', 's.overdue_principal_fen', 's.overdue_interest_fen', 's.penalty_fen', 's.oldest_unpaid', 's.floor_level', 's.floor_reasons', 's.level'])
    .orderBy('l.contract_no')
    .execute();
  const classes = await db
    .selectFrom('classifications as c')
    .innerJoin('loans as l', 'l.id', 'c.loan_id')
    .select(['l.contract_no', 'c.level', 'c.floor_level', 'c.floor_reasons', 'c.reason', 'c.status', 'c.proposed_by', 'c.proposed_at'])
    .orderBy('l.contract_no')
    .orderBy('c.id')
    .execute();
  const warnings = await db
    .selectFrom('warnings as w')
    .innerJoin('loans as l', 'l.id', 'w.loan_id')
    .innerJoin('warning_signals as g', 'g.id', 'w.signal_id')
    .select(['w.id', 'l.contract_no', 'g.code', 'w.source', 'w.level', 'w.detail', 'w.status', 'w.owner', 'w.raised_by', 'w.raised_at'])
    .orderBy('w.id')
    .execute();
  const inspections = await db
    .selectFrom('inspections as i')
    .innerJoin('loans as l', 'l.id', 'i.loan_id')
    .select(['l.contract_no', 'i.kind', 'i.due_date', 'i.reason', 'i.warning_id', 'i.status'])
    .orderBy('l.contract_no')
    .orderBy('i.due_date')
    .orderBy('i.kind')
    .orderBy('i.status')
    .execute();
  return { loans, statuses, classes, warnings, inspections };
}

async function counts(db: Kysely<Database>) {
  const n = async (t: 'loan_status' | 'classifications' | 'warnings' | 'inspections') => Number((await db.selectFrom(t).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { loan_status: await n('loan_status'), classifications: await n('classifications'), warnings: await n('warnings'), inspections: await n('inspections') };
}

function branchContext(store: Store, clock: FakeClock): AppContext {
  const ctx = new AppContext({ configDir: mkdtempSync(join(root, 'pc-')), defaultDataDir: join(root, 'unused'), resourcesDir: resolve('resources') }, clock);
  ctx.store = store;
  return ctx;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lk-branch-batch-'));
  server = await startPgServer();
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
}, 120_000);

afterAll(() => {
  for (const s of stores) s.close();
  env?.cleanup();
  server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the daily batch on the branch server', () => {
  it('stores the same statuses, warnings and plans as on one PC; runs again without change; two PCs at once as one', async () => {
    // One PC.
    await book(env.ctx, env.clock);
    const local = env.ctx.store!;
    const firstLocal = await executeBatch(env.ctx, local, '2026-05-20', 'system', undefined, null);

    // The branch server, booked at one PC, the batch run at another.
    const dataKey = randomBytes(32);
    const pc1 = await openBranchStore({ url: server.url }, dataKey);
    const pc2 = await openBranchStore({ url: server.url }, dataKey);
    stores.push(pc1, pc2);
    const now = env.clock.now().toISOString();
    for (const [username, roles] of [['officer1', ['officer']], ['supervisor1', ['supervisor']]] as const) {
      await pc1.db.insertInto('users').values({ username, display_name: username, roles: JSON.stringify(roles), disabled: 0, must_change_password: 0, created_at: now, updated_at: now }).execute();
    }
    const clock = new FakeClock();
    const ctx1 = branchContext(pc1, clock);
    const ctx2 = branchContext(pc2, clock);
    await book(ctx1, clock);
    const firstBranch = await executeBatch(ctx2, pc2, '2026-05-20', 'system');
    expect({ ...firstBranch, ms: 0 }).toEqual({ ...firstLocal, ms: 0 });

    const a = await snapshot(local.db);
    const b = await snapshot(pc1.db);
    // What the portfolio calls for, on both.
    expect(a.loans.find((l) => l.contract_no === 'HT-SET')).toEqual({ contract_no: 'HT-SET', status: 'closed', closed_on: '2026-03-01' });
    const dpd = Object.fromEntries(a.statuses.map((s) => [s.contract_no, s.dpd]));
    expect(dpd['HT-CUR']).toBe(0);
    expect(dpd['HT-35']).toBe(35);
    expect(dpd['HT-95']).toBe(96);
    const raised = a.warnings.map((w) => `${w.contract_no}:${w.code}`).sort();
    expect(raised).toEqual(expect.arrayContaining(['HT-35:debt-ratio-high', 'HT-35:debt-ratio-jump', 'HT-35:overdue-30', 'HT-95:overdue-90', 'HT-LTV:collateral-ltv', 'HT-LTV:overdue-90']));
    expect(raised.filter((r) => r.startsWith('HT-CUR:'))).toEqual([]);
    expect(a.warnings.find((w) => w.code === 'collateral-ltv')!.detail).toMatch(/^\{"key":"ltv","ref":"valuation:\d+","params":\{"balanceFen":12000000,"valueFen":15000000,"permille":800,"limit":70\}\}$/);
    expect(a.warnings.find((w) => w.code === 'debt-ratio-jump')!.detail).toMatch(/^\{"key":"debtRatioJump","ref":"report:(\d+)","params":\{"before":500,"after":800,"reportId":\1,"previousReportId":\d+\}\}$/);
    // The serious warning has its special inspection; the loan left without a plan got one, from the day it was planned.
    expect(a.inspections.filter((i) => i.contract_no === 'HT-95' && i.kind === 'special')).toHaveLength(1);
    const planned = a.inspections.filter((i) => i.contract_no === 'HT-CUR');
    expect(planned.length).toBeGreaterThan(1);
    expect(planned.every((i) => i.status === 'planned' && i.due_date > '2026-05-20')).toBe(true);
    expect(a.classes.filter((c) => c.status === 'system').length).toBeGreaterThan(4);
    // And the same to the byte on the server.
    expect(b).toEqual(a);

    // A second run the same day changes nothing on either store.
    const before = { local: await counts(local.db), branch: await counts(pc1.db) };
    const againLocal = await runBatch(env.ctx, local, '2026-05-20', 'system');
    const againBranch = await runBatch(ctx1, pc1, '2026-05-20', 'system');
    expect(againLocal.changedLevels).toBe(0);
    expect(againBranch.changedLevels).toBe(0);
    expect(await counts(local.db)).toEqual(before.local);
    expect(await counts(pc1.db)).toEqual(before.branch);
    expect(await snapshot(local.db)).toEqual(a);
    expect(await snapshot(pc1.db)).toEqual(a);

    // The next day (days past due move, a loan crosses 90): once on one PC, from two PCs at once on the server.
    at(env.clock, '2026-07-20T02:00:00Z');
    at(clock, '2026-07-20T02:00:00Z');
    await runBatch(env.ctx, local, '2026-07-20', 'system');
    await Promise.all([executeBatch(ctx1, pc1, '2026-07-20', 'system'), executeBatch(ctx2, pc2, '2026-07-20', 'system')]);
    const c = await snapshot(local.db);
    expect(c.warnings.map((w) => `${w.contract_no}:${w.code}`)).toContain('HT-35:overdue-90');
    expect(c).not.toEqual(a);
    expect(await snapshot(pc2.db)).toEqual(c);

    // The chain the batches wrote on the server verifies with the key the server never had.
    const check = await verifyAuditChain(pc2);
    expect(check.problem).toBeNull();
    const runs = await pc1.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'batch.run').orderBy('id').execute();
    expect(runs.map((r) => r.entity_id)).toEqual(['2026-05-20', '2026-05-20', '2026-07-20', '2026-07-20']);
  }, 240_000);

  it('PCs signing in together on a new day run its batch once: the others wait for it and find it done', async () => {
    const clock = new FakeClock();
    at(clock, '2026-07-21T01:00:00Z');
    const [pc1, pc2] = stores;
    const pcs = [branchContext(pc1, clock), branchContext(pc2, clock), branchContext(pc1, clock)];
    await Promise.all(pcs.map((ctx) => startDailyBatch(ctx)));
    const runs = await pc1.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'batch.run').where('entity_id', '=', '2026-07-21').execute();
    expect(runs).toHaveLength(1);
    expect(await statusesAsOf(pc2)).toBe('2026-07-21');
    // And a PC that comes later the same day finds nothing to do.
    await startDailyBatch(branchContext(pc2, clock));
    expect(await pc1.db.selectFrom('audit_log').select('id').where('action', '=', 'batch.run').where('entity_id', '=', '2026-07-21').execute()).toHaveLength(1);
  }, 120_000);
});
