import { afterEach, describe, expect, it } from 'vitest';
import type { WorklogFilters } from '../../src/shared/ipc/worklog';
import { addContact, addPromise } from '../../src/main/features/collections/collections';
import { exportWorklog } from '../../src/main/features/listExport/listExports';
import { addWorklog, listWorklog, searchWorklog, worklogGaps } from '../../src/main/features/worklog/worklog';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';
import { readSheet } from '../helpers/xlsx';

let env: TestEnv;
afterEach(() => env?.cleanup());

const at = (iso: string) => (env.clock.t = Date.parse(iso));
const NONE: WorklogFilters = { query: null, officer: null, from: null, to: null, kind: null };
const PAGE = { limit: 1000, offset: 0 };

/**
 * officer1 manages 张三 (HT-1) and 李四 (HT-2); officer2 manages 王五 (HT-3). Today is 2026-06-15.
 * Written entries, a collection contact on HT-1 and a promise on HT-3.
 */
async function world() {
  env = newEnv();
  at('2026-06-15T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const zhang = await borrower(env.ctx, '张三', '11010519800101123');
  const li = await borrower(env.ctx, '李四', '11010519800101131');
  const l1 = await loan(env.ctx, zhang.id, { contractNo: 'HT-1', startDate: '2026-05-01' });
  await loan(env.ctx, li.id, { contractNo: 'HT-2', startDate: '2026-05-01' });
  const call = await addWorklog(env.ctx, { borrowerId: zhang.id, loanId: l1.loan.id, entryDate: '2026-06-02', kind: 'call', content: '电话回访，本月货款已回笼。' });
  const visit = await addWorklog(env.ctx, { borrowerId: li.id, loanId: null, entryDate: '2026-06-10', kind: 'visit', content: '上门走访，仓库存货充足。' });
  const contact = await addContact(env.ctx, { loanId: l1.loan.id, channel: 'call', target: '张三之妻', slot: 'morning', outcome: 'promised', note: '称月底前还清', contactedOn: '2026-06-12', reason: 'income-loss' });
  await loginAs(env.ctx, 'officer2');
  const wang = await borrower(env.ctx, '王五', '11010519800101158');
  const l3 = await loan(env.ctx, wang.id, { contractNo: 'HT-3', officer: 'officer2', startDate: '2026-05-01' });
  const other = await addWorklog(env.ctx, { borrowerId: wang.id, loanId: l3.loan.id, entryDate: '2026-06-11', kind: 'finding', content: '发现王五仓库存货减少。' });
  await addPromise(env.ctx, { loanId: l3.loan.id, amountFen: 500_000, promiseDate: '2026-06-20', madeOn: '2026-06-14', note: '下周还' });
  return { zhang: zhang.id, li: li.id, wang: wang.id, l1: l1.loan.id, l3: l3.loan.id, call: call.id, visit: visit.id, contactLoan: contact, other: other.id };
}

const found = async (f: WorklogFilters) => (await searchWorklog(env.ctx, { ...NONE, ...f, ...PAGE })).rows.map((r) => `${r.entryDate} ${r.kind} ${r.borrowerName}`);

describe('work log search', () => {
  it('lists collection contacts and promises as entries of their own kind, read from their tables', async () => {
    const w = await world();
    await loginAs(env.ctx, 'supervisor1');
    const all = await searchWorklog(env.ctx, { ...NONE, ...PAGE });
    expect(all.total).toBe(5);
    expect(all.rows.map((r) => `${r.entryDate} ${r.source} ${r.kind} ${r.borrowerName} ${r.contractNo ?? '-'} ${r.author}`)).toEqual([
      '2026-06-14 promise promise 王五 HT-3 officer2',
      '2026-06-12 contact contact 张三 HT-1 officer1',
      '2026-06-11 worklog finding 王五 HT-3 officer2',
      '2026-06-10 worklog visit 李四 - officer1',
      '2026-06-02 worklog call 张三 HT-1 officer1',
    ]);
    const [promise, contact] = all.rows;
    expect(contact).toMatchObject({ content: '称月底前还清', contact: { channel: 'call', target: '张三之妻', outcome: 'promised' }, promise: null, commentDue: null, commentOverdue: false, supervisorComment: null });
    expect(promise).toMatchObject({ content: '下周还', promise: { amountFen: 500_000, promiseDate: '2026-06-20' }, contact: null, loanId: w.l3 });
    // Nothing was copied into the work log's own table.
    expect(await env.ctx.store!.db.selectFrom('work_log').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 3 });
    // The borrower's log shows them too, and they count for the month's coverage.
    expect((await listWorklog(env.ctx, { borrowerId: w.zhang, loanId: null })).map((r) => r.kind)).toEqual(['contact', 'call']);
    const gaps = await worklogGaps(env.ctx, { month: '2026-06' });
    expect(gaps.rows.map((r) => [r.borrowerName, r.entries, r.lastEntryDate])).toEqual(
      expect.arrayContaining([
        ['张三', 2, '2026-06-12'],
        ['王五', 2, '2026-06-14'],
        ['李四', 1, '2026-06-10'],
      ]),
    );
  });

  it('searches the text, the borrower and the contract number; filters by who wrote it, entry dates and kind', async () => {
    await world();
    await loginAs(env.ctx, 'supervisor1');
    expect(await found({ query: '存货' })).toEqual(['2026-06-11 finding 王五', '2026-06-10 visit 李四']);
    expect(await found({ query: '张三之妻' })).toEqual(['2026-06-12 contact 张三']);
    expect(await found({ query: '王五' })).toEqual(['2026-06-14 promise 王五', '2026-06-11 finding 王五']);
    expect(await found({ query: 'ht-1' })).toEqual(['2026-06-12 contact 张三', '2026-06-02 call 张三']);
    expect(await found({ query: '%' })).toEqual([]);
    expect(await found({ officer: 'officer2' })).toEqual(['2026-06-14 promise 王五', '2026-06-11 finding 王五']);
    expect(await found({ from: '2026-06-10', to: '2026-06-12' })).toEqual(['2026-06-12 contact 张三', '2026-06-11 finding 王五', '2026-06-10 visit 李四']);
    expect(await found({ kind: 'promise' })).toEqual(['2026-06-14 promise 王五']);
    expect(await found({ kind: 'call', officer: 'officer1', from: '2026-06-01' })).toEqual(['2026-06-02 call 张三']);
    const page = await searchWorklog(env.ctx, { ...NONE, limit: 2, offset: 2 });
    expect([page.total, page.rows.map((r) => r.kind)]).toEqual([5, ['finding', 'visit']]);
    const bad = await dispatcherFor(env.ctx)('worklog.search', { ...NONE, from: '2026-06-12', to: '2026-06-10', ...PAGE });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'to' }] } });
    expect(await dispatcherFor(env.ctx)('worklog.search', { ...NONE, kind: 'gossip', ...PAGE })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('officers find only their own and their borrowers’ entries, contacts and promises included, whatever the filter', async () => {
    await world();
    await loginAs(env.ctx, 'officer1');
    expect(await found({})).toEqual(['2026-06-12 contact 张三', '2026-06-10 visit 李四', '2026-06-02 call 张三']);
    expect(await found({ query: '王五' })).toEqual([]);
    expect(await found({ officer: 'officer2' })).toEqual([]);
    expect(await found({ kind: 'promise' })).toEqual([]);
    await loginAs(env.ctx, 'officer2');
    expect(await found({})).toEqual(['2026-06-14 promise 王五', '2026-06-11 finding 王五']);
    expect(await found({ kind: 'contact' })).toEqual([]);
  });

  it('the export takes the same filters, words contacts and promises, and names the filters', async () => {
    await world();
    await loginAs(env.ctx, 'supervisor1');
    const filters: WorklogFilters = { ...NONE, query: 'HT', from: '2026-06-12' };
    const listed = await searchWorklog(env.ctx, { ...filters, ...PAGE });
    const file = await exportWorklog(env.ctx, { borrowerId: null, loanId: null, ...filters });
    const sheet = await readSheet(file.base64);
    expect(sheet[1][0]).toBe('筛选条件：搜索日志：HT；起始日期：2026-06-12');
    expect(sheet.slice(4).map((r) => [r[0], r[3], r[4]])).toEqual([
      ['2026-06-14', '还款承诺', '承诺于 2026-06-20 前还款 5,000.00 元。下周还'],
      ['2026-06-12', '催收记录', '电话联系张三之妻：承诺还款。称月底前还清'],
    ]);
    expect(listed.rows.map((r) => r.entryDate)).toEqual(['2026-06-14', '2026-06-12']);
  });
});
