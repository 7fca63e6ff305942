import { afterEach, describe, expect, it } from 'vitest';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { getToday } from '../../src/main/features/today/today';
import { addWorklog, commentWorklog, listWorklog, worklogGaps } from '../../src/main/features/worklog/worklog';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const at = (iso: string) => (env.clock.t = Date.parse(iso));

/** officer1 manages 张三 (two loans) and 李四; officer2 manages 王五. Today is Monday 2026-06-15. */
async function world() {
  env = newEnv();
  at('2026-06-15T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const zhang = await borrower(env.ctx, '张三', '11010519800101123');
  const li = await borrower(env.ctx, '李四', '11010519800101131');
  const l1 = await loan(env.ctx, zhang.id, { contractNo: 'HT-1', startDate: '2026-05-01' });
  const l2 = await loan(env.ctx, li.id, { contractNo: 'HT-2', startDate: '2026-05-01' });
  await loginAs(env.ctx, 'officer2');
  const wang = await borrower(env.ctx, '王五', '11010519800101158');
  const l3 = await loan(env.ctx, wang.id, { contractNo: 'HT-3', officer: 'officer2', startDate: '2026-05-01' });
  await loginAs(env.ctx, 'officer1');
  return { zhang: zhang.id, li: li.id, wang: wang.id, l1: l1.loan.id, l2: l2.loan.id, l3: l3.loan.id };
}

const entry = (borrowerId: number, over: Partial<Parameters<typeof addWorklog>[1]> = {}) => ({
  borrowerId,
  loanId: null,
  entryDate: '2026-06-15',
  kind: 'call' as const,
  content: '电话回访，借款人经营正常，本月货款已回笼。',
  ...over,
});

describe('work log', () => {
  it('an officer writes for own borrowers; a supervisor other than the author comments once', async () => {
    const w = await world();
    const e = await addWorklog(env.ctx, entry(w.zhang, { loanId: w.l1, kind: 'visit', entryDate: '2026-06-12' }));
    expect(e).toMatchObject({ borrowerName: '张三', contractNo: 'HT-1', author: 'officer1', entryDate: '2026-06-12', kind: 'visit', commentDue: '2026-06-17', commentOverdue: false, supervisorComment: null });

    // Wrong borrower for the loan, future and ancient dates, another officer's borrower.
    expect((await fail(addWorklog(env.ctx, entry(w.li, { loanId: w.l1 })))).issues?.[0].path).toBe('loanId');
    const future = await fail(addWorklog(env.ctx, entry(w.zhang, { entryDate: '2026-06-16' })));
    expect(future).toMatchObject({ code: 'RULE_VIOLATION', issues: [{ path: 'entryDate' }] });
    expect(future.message).toContain('不能晚于今天');
    expect((await fail(addWorklog(env.ctx, entry(w.zhang, { entryDate: '1999-12-31' })))).message).toContain('2000年1月1日');
    expect((await fail(addWorklog(env.ctx, entry(w.wang)))).code).toBe('FORBIDDEN');
    expect((await fail(addWorklog(env.ctx, entry(w.wang, { loanId: w.l3 })))).code).toBe('FORBIDDEN');
    // Officers cannot comment at all.
    expect((await fail(commentWorklog(env.ctx, { entryId: e.id, comment: '好' }))).code).toBe('FORBIDDEN');

    await loginAs(env.ctx, 'supervisor1');
    const own = await addWorklog(env.ctx, entry(w.wang, { kind: 'finding', content: '抽查发现王五仓库存货减少' }));
    expect((await fail(commentWorklog(env.ctx, { entryId: own.id, comment: '自评' }))).message).toContain('自己');
    const commented = await commentWorklog(env.ctx, { entryId: e.id, comment: '走访记录详实，请关注下月回款。' });
    expect(commented).toMatchObject({ supervisorComment: '走访记录详实，请关注下月回款。', commentedBy: 'supervisor1', commentedAt: '2026-06-15T02:00:00.000Z' });
    await loginAs(env.ctx, 'supervisor2');
    const twice = await fail(commentWorklog(env.ctx, { entryId: e.id, comment: '补充意见' }));
    expect(twice.code).toBe('CONFLICT');
    expect(twice.message).toContain('supervisor1');
    expect(await dispatcherFor(env.ctx)('worklog.comment', { entryId: e.id, comment: '   ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const audit = await env.ctx.store!.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'worklog').orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'worklog.add', actor: 'officer1' },
      { action: 'worklog.add', actor: 'supervisor1' },
      { action: 'worklog.comment', actor: 'supervisor1' },
    ]);

    // Officers read their own borrowers' log; supervisors everyone's.
    await loginAs(env.ctx, 'officer2');
    expect((await listWorklog(env.ctx, { borrowerId: null, loanId: null })).map((x) => x.borrowerName)).toEqual(['王五']);
    expect((await fail(listWorklog(env.ctx, { borrowerId: w.zhang, loanId: null }))).code).toBe('FORBIDDEN');
    await loginAs(env.ctx, 'supervisor2');
    expect((await listWorklog(env.ctx, { borrowerId: null, loanId: null })).map((x) => x.id).sort()).toEqual([e.id, own.id].sort());
    expect((await listWorklog(env.ctx, { borrowerId: null, loanId: w.l1 })).map((x) => x.id)).toEqual([e.id]);
  });

  it('the comment is due 2 working days after the entry is written, skipping weekends and holidays', async () => {
    const w = await world();
    // Friday → the next Tuesday.
    at('2026-06-12T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    expect((await addWorklog(env.ctx, entry(w.zhang, { entryDate: '2026-06-12' }))).commentDue).toBe('2026-06-16');
    // Thursday before the Dragon Boat Festival (Fri 19 – Sun 21 June 2026) → Tuesday 23.
    at('2026-06-18T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    const e = await addWorklog(env.ctx, entry(w.zhang, { entryDate: '2026-06-18' }));
    expect(e.commentDue).toBe('2026-06-23');
    // A back-dated entry still gets its two working days from when it was written.
    expect((await addWorklog(env.ctx, entry(w.li, { entryDate: '2026-06-01' }))).commentDue).toBe('2026-06-23');
    at('2026-06-24T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    expect((await listWorklog(env.ctx, { borrowerId: w.zhang, loanId: null })).find((x) => x.id === e.id)!.commentOverdue).toBe(true);
  });

  it('shows the month’s gaps per borrower with an active loan, and per officer for supervisors', async () => {
    const w = await world();
    at('2026-05-20T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    await addWorklog(env.ctx, entry(w.li, { entryDate: '2026-05-20' }));
    at('2026-06-15T02:00:00Z');
    await loginAs(env.ctx, 'officer1');
    await addWorklog(env.ctx, entry(w.zhang, { entryDate: '2026-06-03' }));
    await addWorklog(env.ctx, entry(w.zhang, { entryDate: '2026-06-10', kind: 'visit' }));
    // A borrower whose only loan is paid off is no longer followed.
    const zhao = await borrower(env.ctx, '赵六', '11010519800101166');
    const paid = await loan(env.ctx, zhao.id, { contractNo: 'HT-4', method: 'bullet', months: 1, startDate: '2026-06-01', principalFen: 100_000 });
    await createRepayment(env.ctx, { loanId: paid.loan.id, paidOn: '2026-06-15', amountFen: 150_000, note: '提前结清', excess: 'settle', confirm: true });

    const mine = await worklogGaps(env.ctx, { month: '2026-06' });
    expect(mine).toMatchObject({ month: '2026-06', minPerMonth: 1, total: 2 });
    expect(mine.rows).toEqual([
      { borrowerId: w.li, borrowerName: '李四', officer: 'officer1', entries: 0, lastEntryDate: '2026-05-20', behind: true },
      { borrowerId: w.zhang, borrowerName: '张三', officer: 'officer1', entries: 2, lastEntryDate: '2026-06-10', behind: false },
    ]);
    const may = await worklogGaps(env.ctx, { month: '2026-05' });
    expect(may.rows.map((r) => [r.borrowerName, r.entries, r.behind])).toEqual([['张三', 0, true], ['李四', 1, false]]);

    await loginAs(env.ctx, 'supervisor1');
    const all = await worklogGaps(env.ctx, { month: '2026-06' });
    expect(all.rows.map((r) => [r.officer, r.borrowerName, r.behind])).toEqual([
      ['officer1', '李四', true],
      ['officer2', '王五', true],
      ['officer1', '张三', false],
    ]);
    expect(all.officers).toEqual([
      { officer: 'officer1', borrowers: 2, behind: 1, entries: 2 },
      { officer: 'officer2', borrowers: 1, behind: 1, entries: 0 },
    ]);
    const dispatch = dispatcherFor(env.ctx);
    expect(await dispatch('worklog.gaps', { month: '2026-13' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await dispatch('worklog.gaps', { month: '2026-6' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await dispatch('worklog.gaps', { month: '2026-06' })).toMatchObject({ ok: true });
  });

  it('counts a borrower two officers share once in the totals, and under each officer in their rows', async () => {
    const w = await world();
    await loginAs(env.ctx, 'officer1');
    await addWorklog(env.ctx, entry(w.zhang, { entryDate: '2026-06-03' }));
    // 李四 takes a second loan, managed by officer2.
    await loginAs(env.ctx, 'supervisor1');
    await loan(env.ctx, w.li, { contractNo: 'HT-5', officer: 'officer2', startDate: '2026-05-10' });

    const all = await worklogGaps(env.ctx, { month: '2026-06' });
    // 张三, 李四 and 王五: three borrowers, two of them (李四, 王五) without an entry this month.
    expect(all).toMatchObject({ total: 3, behind: 2 });
    expect(all.rows.map((r) => [r.officer, r.borrowerName, r.behind])).toEqual([
      ['officer1', '李四', true],
      ['officer2', '李四', true],
      ['officer2', '王五', true],
      ['officer1', '张三', false],
    ]);
    expect(all.officers).toEqual([
      { officer: 'officer1', borrowers: 2, behind: 1, entries: 1 },
      { officer: 'officer2', borrowers: 2, behind: 2, entries: 0 },
    ]);
    // An officer's own view counts the shared borrower too, once.
    await loginAs(env.ctx, 'officer2');
    expect(await worklogGaps(env.ctx, { month: '2026-06' })).toMatchObject({ total: 2, behind: 2 });
    // 我的工作台 counts borrowers behind, not rows.
    await loginAs(env.ctx, 'supervisor1');
    expect((await getToday(env.ctx)).counts.worklogBehind).toBe(2);
  });
});
