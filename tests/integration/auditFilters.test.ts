import { afterEach, describe, expect, it } from 'vitest';
import type { AuditFilters } from '../../src/shared/ipc/audit';
import { listAudit } from '../../src/main/features/audit/audit';
import { exportAudit } from '../../src/main/features/listExport/listExports';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { updateUser } from '../../src/main/features/users/users';
import { dispatcherFor, fail, newEnv, setUp, type TestEnv } from '../helpers/context';
import { borrower, createStaff, loan, loginAs } from '../helpers/portfolio';
import { readSheet } from '../helpers/xlsx';

let env: TestEnv;
afterEach(() => env?.cleanup());

const at = (iso: string) => (env.clock.t = Date.parse(iso));
const NONE: AuditFilters = { actor: null, from: null, to: null, contractNo: null, action: null };
const PAGE = { limit: 500, offset: 0 };

/**
 * Set up on 2026-06-10; officer1 registers 张三 and HT-1 on the 12th (Beijing), officer2 李四 and HT-2 on the
 * 15th at 00:30 Beijing time (still the 14th in UTC); a repayment on HT-1 on the 16th.
 */
async function world() {
  env = newEnv();
  at('2026-06-10T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await updateUser(env.ctx, { username: 'officer1', displayName: '王小明', roles: ['officer'] });
  at('2026-06-12T02:00:00Z');
  await loginAs(env.ctx, 'officer1');
  const zhang = await borrower(env.ctx, '张三', '11010519800101123');
  const l1 = await loan(env.ctx, zhang.id, { contractNo: 'HT-1', startDate: '2026-05-01' });
  at('2026-06-14T16:30:00Z');
  await loginAs(env.ctx, 'officer2');
  const li = await borrower(env.ctx, '李四', '11010519800101131');
  const l2 = await loan(env.ctx, li.id, { contractNo: 'HT-2', officer: 'officer2', startDate: '2026-05-01' });
  at('2026-06-16T02:00:00Z');
  await loginAs(env.ctx, 'officer1');
  await createRepayment(env.ctx, { loanId: l1.loan.id, paidOn: '2026-06-16', amountFen: 100_000, note: '' });
  await loginAs(env.ctx, 'admin');
  return { zhang: zhang.id, li: li.id, l1: l1.loan.id, l2: l2.loan.id };
}

const actions = async (f: AuditFilters) => (await listAudit(env.ctx, { ...NONE, ...f, ...PAGE })).entries.map((e) => `${e.actor} ${e.action}`);

describe('audit log filters', () => {
  it('by user, by business date (Beijing time, both ends included), by loan and by action, in main', async () => {
    await world();
    expect(await actions({ actor: 'officer2' })).toEqual(['officer2 loans.create', 'officer2 borrowers.create', 'officer2 session.login']);
    // 00:30 on the 15th in Beijing is the 15th, though still the 14th in UTC.
    expect(await actions({ from: '2026-06-15', to: '2026-06-15' })).toEqual(['officer2 loans.create', 'officer2 borrowers.create', 'officer2 session.login']);
    expect(await actions({ from: '2026-06-12', to: '2026-06-14' })).toEqual(['officer1 loans.create', 'officer1 borrowers.create', 'officer1 session.login']);
    expect(await actions({ actor: 'officer1', from: '2026-06-16' })).toEqual(['officer1 repayments.create', 'officer1 session.login']);
    // The loan's own entries and the repayment, whose detail names the loan; part of the number is enough.
    expect(await actions({ contractNo: 'HT-1' })).toEqual(['officer1 repayments.create', 'officer1 loans.create']);
    expect(await actions({ contractNo: 't-2' })).toEqual(['officer2 loans.create']);
    expect(await actions({ contractNo: '%' })).toEqual([]);
    expect(await actions({ action: 'borrowers.create' })).toEqual(['officer2 borrowers.create', 'officer1 borrowers.create']);
    // Sign-ins: admin and officer1 on the 16th, officer2 on the 15th, officer1 on the 12th; a page of two from the second.
    const page = await listAudit(env.ctx, { ...NONE, action: 'session.login', limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.entries.map((e) => `${e.actor} ${e.at}`)).toEqual(['officer1 2026-06-16T02:00:00.000Z', 'officer2 2026-06-14T16:30:00.000Z']);
  });

  it('names the record: a loan by contract number, a borrower by name, a user by display name', async () => {
    const w = await world();
    const e = (await listAudit(env.ctx, { ...NONE, ...PAGE })).entries;
    const of = (action: string) => e.filter((x) => x.action === action).map((x) => [x.subject, x.loanId]);
    expect(of('loans.create')).toEqual([['HT-2', w.l2], ['HT-1', w.l1]]);
    expect(of('repayments.create')).toEqual([['HT-1', w.l1]]);
    expect(of('borrowers.create')).toEqual([['李四', null], ['张三', null]]);
    expect(of('users.update')).toEqual([['王小明', null]]);
    expect(of('setup.create')).toEqual([[null, null]]);
  });

  it('the export takes the same filters and names them; a range that ends before it starts is refused', async () => {
    await world();
    const listed = await listAudit(env.ctx, { ...NONE, actor: 'officer1', contractNo: 'HT-1', ...PAGE });
    const file = await exportAudit(env.ctx, { ...NONE, actor: 'officer1', contractNo: 'HT-1' });
    const sheet = await readSheet(file.base64);
    expect(sheet[1][0]).toBe('筛选条件：操作人：王小明；合同编号：HT-1');
    expect(sheet.slice(4).map((r) => Number(r[0]))).toEqual(listed.entries.map((x) => x.id));
    expect(sheet.slice(4).map((r) => r[3])).toEqual(['登记还款', '登记贷款']);
    const bad = await dispatcherFor(env.ctx)('audit.list', { ...NONE, from: '2026-06-15', to: '2026-06-14', ...PAGE });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'to' }] } });
    expect(await dispatcherFor(env.ctx)('audit.exportXlsx', { action: 'x; DROP TABLE' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await loginAs(env.ctx, 'officer1');
    expect((await fail(listAudit(env.ctx, { ...NONE, actor: 'officer1', ...PAGE }))).code).toBe('FORBIDDEN');
  });
});
