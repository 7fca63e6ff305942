import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/ipc/contract';
import { maskIdNumber } from '../../src/shared/domain/ids';
import { createBorrower } from '../../src/main/features/borrowers/borrowers';
import { reassignLoans } from '../../src/main/features/archive/archive';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs, residentId } from '../helpers/portfolio';

let env: TestEnv;
const ID_B = residentId('11010119850203456');
const PHONE_B = '13912345678';
const ADDRESS_B = '上海市浦东新区世纪大道100号';
let a: number; // officer1's borrower, with a loan
let b: number; // officer2's borrower, with a loan
let c: number; // registered by officer2, no loan yet
let loanA: number;
let loanB: number;

const person = (name: string, idNumber: string, phone = '', address = '') => ({
  kind: 'person' as const,
  name,
  idNumber,
  phone,
  address,
  employer: '',
  legalRep: '',
  industry: '',
  registeredCapitalFen: null,
  tier: 'normal' as const,
});

async function as(user: string) {
  await actAs(env.ctx, user);
  const dispatch = dispatcherFor(env.ctx);
  return (channel: Channel, input: unknown) => dispatch(channel, input);
}

beforeAll(async () => {
  env = newEnv();
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  a = (await borrower(env.ctx, '张三')).id;
  loanA = (await loan(env.ctx, a, { contractNo: 'HT-A-0001' })).loan.id;
  await actAs(env.ctx, 'officer2');
  b = (await createBorrower(env.ctx, person('王小五', ID_B, PHONE_B, ADDRESS_B))).id;
  loanB = (await loan(env.ctx, b, { contractNo: 'HT-B-0001', officer: 'officer2' })).loan.id;
  c = (await createBorrower(env.ctx, person('赵六', residentId('11010519700101987'), '13700001111'))).id;
}, 60_000);
afterAll(() => env.cleanup());

describe('officers read and change only the borrowers they manage', () => {
  it("another officer's borrower: FORBIDDEN, in the user's language, without its details", async () => {
    const call = await as('officer1');
    expect(await call('borrowers.get', { id: a })).toMatchObject({ ok: true, value: { idNumber: residentId('11010519800101123') } });
    for (const id of [b, c]) {
      const r = await call('borrowers.get', { id });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: '该借款人不由您管户，无权查看或修改其信息和工作日志。' } });
      expect(JSON.stringify(r)).not.toContain(ID_B);
    }
    expect(await call('borrowers.get', { id: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await actAs(env.ctx, 'officer1');
    env.ctx.saveConfig({ locale: 'en' });
    try {
      expect(await dispatcherFor(env.ctx)('borrowers.get', { id: b })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'You do not manage this borrower, so you cannot see or change its details or work log.' } });
    } finally {
      env.ctx.saveConfig({ locale: 'zh-CN' });
    }
  });

  it("cannot rewrite the address another officer's notices go to; nothing is written", async () => {
    const call = await as('officer1');
    const audit = async () => (await env.ctx.store!.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await audit();
    const r = await call('borrowers.update', { id: b, ...person('王小五', ID_B, PHONE_B, '骗子的地址') });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await audit()).toBe(before);
    const row = await env.ctx.store!.db.selectFrom('borrowers').select('address').where('id', '=', b).executeTakeFirstOrThrow();
    expect(row.address).toBe(ADDRESS_B);
    // The officer who manages it may.
    const own = await as('officer2');
    expect(await own('borrowers.update', { id: b, ...person('王小五', ID_B, PHONE_B, ADDRESS_B) })).toMatchObject({ ok: true });
  });

  it('supervisors, risk officers and archivists read every borrower; supervisors change them; the administrator sees none', async () => {
    for (const user of ['supervisor1', 'risk1', 'archivist1']) {
      const call = await as(user);
      expect(await call('borrowers.get', { id: b }), user).toMatchObject({ ok: true, value: { idNumber: ID_B, phone: PHONE_B } });
    }
    const sup = await as('supervisor1');
    expect(await sup('borrowers.update', { id: c, ...person('赵六', residentId('11010519700101987'), '13700001111', '北京市西城区1号') })).toMatchObject({ ok: true });
    for (const user of ['risk1', 'archivist1', 'admin']) {
      const call = await as(user);
      expect(await call('borrowers.update', { id: b, ...person('王小五', ID_B, PHONE_B, ADDRESS_B) }), user).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await (await as('admin'))('borrowers.get', { id: b })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a borrower with no loan yet is managed by whoever registered it; once it has loans, by their officers', async () => {
    const call = await as('officer2');
    expect(await call('borrowers.get', { id: c })).toMatchObject({ ok: true });
    expect(await call('worklog.add', { borrowerId: c, loanId: null, entryDate: '2026-11-20', kind: 'call', content: '电话了解经营情况' })).toMatchObject({ ok: true });
    const o1 = await as('officer1');
    expect(await o1('worklog.list', { borrowerId: c, loanId: null })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The supervisor gives the borrower a loan held by officer1: officer1 manages it now, its registrar no longer.
    await actAs(env.ctx, 'supervisor1');
    const l = await loan(env.ctx, c, { contractNo: 'HT-C-0001', officer: 'officer1' });
    expect(await (await as('officer1'))('borrowers.get', { id: c })).toMatchObject({ ok: true });
    expect(await (await as('officer2'))('borrowers.get', { id: c })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Handing the loan on hands the borrower on.
    await actAs(env.ctx, 'supervisor1');
    await reassignLoans(env.ctx, { loanIds: [l.loan.id], toOfficer: 'officer2', reason: '调岗' });
    expect(await (await as('officer2'))('borrowers.get', { id: c })).toMatchObject({ ok: true });
    expect(await (await as('officer1'))('borrowers.get', { id: c })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('borrower search finds everyone, masked where the caller does not manage', () => {
  const search = (query: string, sort: 'name' | 'idNumber' | 'loanCount' | 'balanceFen' = 'name') => ({ query, kind: null, tier: null, sort, direction: 'asc', limit: 50, offset: 0 });

  it("shows another officer's borrower with ID number and phone masked and no loan figures", async () => {
    const call = await as('officer1');
    const r = await call('borrowers.search', search(''));
    if (!r.ok) throw new Error(r.error.message);
    const rows = (r.value as { rows: Array<Record<string, unknown>> }).rows;
    const other = rows.find((x) => x.id === b)!;
    expect(other).toMatchObject({ name: '王小五', idNumber: `${ID_B.slice(0, 6)}********${ID_B.slice(-4)}`, phone: '139****5678', loanCount: null, balanceFen: null, managed: false });
    expect(other.idNumber).toBe(maskIdNumber(ID_B));
    expect(rows.find((x) => x.id === a)).toMatchObject({ name: '张三', idNumber: residentId('11010519800101123'), phone: '13800000000', loanCount: 1, managed: true });
    expect(JSON.stringify(r)).not.toContain(ID_B);
    expect(JSON.stringify(r)).not.toContain(PHONE_B);
  });

  it('finds it by name or by the full ID number or phone, never by a part of them', async () => {
    const call = await as('officer1');
    const ids = async (q: string) => {
      const r = await call('borrowers.search', search(q));
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as { rows: Array<{ id: number }> }).rows.map((x) => x.id);
    };
    expect(await ids('王小五')).toContain(b);
    expect(await ids('王')).toContain(b);
    expect(await ids('小五')).toContain(b);
    expect(await ids(ID_B)).toEqual([b]);
    expect(await ids(ID_B.toLowerCase())).toEqual([b]);
    expect(await ids(PHONE_B)).toEqual([b]);
    for (const part of [ID_B.slice(6, 14), ID_B.slice(0, 10), ID_B.slice(3, 17), PHONE_B.slice(3, 7), PHONE_B.slice(0, 7), '12']) expect(await ids(part), part).not.toContain(b);
    // Their own borrowers are still found by any part.
    expect(await ids('0101123')).toContain(a);
    expect(await ids('0000')).toContain(a);
  });

  it('sorting by a masked column uses only what is shown', async () => {
    const call = await as('officer1');
    for (const sort of ['idNumber', 'loanCount', 'balanceFen'] as const) expect(await call('borrowers.search', search('', sort)), sort).toMatchObject({ ok: true });
  });

  it('supervisors see every borrower in full', async () => {
    const call = await as('supervisor1');
    const r = await call('borrowers.search', search('3456'));
    expect(r).toMatchObject({ ok: true, value: { rows: [{ id: b, idNumber: ID_B, phone: PHONE_B, managed: true }] } });
  });

  it('registering an ID number twice names the borrower, and points at it only for whoever may open it', async () => {
    const o1 = await as('officer1');
    const r = await o1('borrowers.create', person('王小五', ID_B));
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: '证件号码已登记为借款人“王小五”（由其他信贷员管户），不能重复登记。' } });
    expect(r.ok === false && r.error.ref).toBeFalsy();
    const o2 = await as('officer2');
    expect(await o2('borrowers.create', person('王小五', ID_B))).toMatchObject({ ok: false, error: { code: 'CONFLICT', ref: { entity: 'borrower', id: b } } });
  });
});

describe('notices.prepare: a loan the caller cannot see is a missing loan', () => {
  it('skips it exactly as a loan that does not exist, with no contract number', async () => {
    const call = await as('officer1');
    const counters = async () => env.ctx.store!.db.selectFrom('serial_counters').selectAll().execute();
    const before = await counters();
    const r = await call('notices.prepare', { items: [{ loanId: loanB, docType: 'overdue-notice' }, { loanId: 999_999, docType: 'overdue-notice' }], asOf: null, payBy: null });
    if (!r.ok) throw new Error(r.error.message);
    const v = r.value as { batchId: string | null; skipped: Array<{ loanId: number; contractNo: string; docType: string; reason: string }> };
    expect(v.batchId).toBeNull();
    const [hidden, missing] = v.skipped;
    expect({ ...hidden, loanId: 0, contractNo: '' }).toEqual({ ...missing, loanId: 0, contractNo: '' });
    expect(hidden).toEqual({ loanId: loanB, contractNo: String(loanB), docType: 'overdue-notice', reason: '贷款不存在。' });
    expect(JSON.stringify(r)).not.toContain('HT-B-0001');
    expect(await counters()).toEqual(before);
  });

  it("another officer's batch is not found to confirm or discard", async () => {
    const o2 = await as('officer2');
    const r = await o2('notices.prepare', { items: [{ loanId: loanB, docType: 'overdue-notice' }], asOf: null, payBy: null });
    if (!r.ok) throw new Error(r.error.message);
    const batchId = (r.value as { batchId: string }).batchId;
    expect(batchId).toBeTruthy();
    const o1 = await as('officer1');
    expect(await o1('notices.confirm', { batchId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await o1('notices.discard', { batchId, reason: '取消' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await (await as('officer2'))('notices.discard', { batchId, reason: '取消' })).toMatchObject({ ok: true, value: { voided: 1 } });
  });

  it('its own loans still print', async () => {
    const call = await as('officer1');
    const r = await call('notices.prepare', { items: [{ loanId: loanA, docType: 'overdue-notice' }], asOf: null, payBy: null });
    expect(r).toMatchObject({ ok: true, value: { skipped: [], notices: [{ contractNo: 'HT-A-0001' }] } });
  });
});
