import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Channel } from '../../src/shared/ipc/contract';
import { translate } from '../../src/shared/i18n';
import { runBatchCommand } from '../../src/main/jobs/dailyBatch';
import { addPromise } from '../../src/main/features/collections/collections';
import { decideChange, proposeWriteOff, recordRecovery } from '../../src/main/features/loanChanges/loanChanges';
import { confirmNotices, prepareNotices } from '../../src/main/features/collections/notices';
import { createRepayment } from '../../src/main/features/repayments/repayments';
import { addWorklog } from '../../src/main/features/worklog/worklog';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { actAs, borrower, createStaff, loan, loginAs } from '../helpers/portfolio';

/**
 * Every list page's Excel export against the list channel's own answer: same rows (LibreOffice opens each file),
 * same money, the same scoping (an officer's file holds only their own records), headers in the user's language,
 * and an audit entry naming the list and its filters.
 */

// Notices are prepared as usual but not typeset in CJK fonts.
vi.mock('../../src/main/pdf/render', async (original) => ({ ...(await original<object>()), renderPdf: async () => Buffer.from('%PDF-1.4\n%%EOF\n') }));

let env: TestEnv;
let ids: { bad: number; od: number; b1: number; o2: number };

/** Title, filters line, stamp line, header: then one row per record. */
const HEAD_ROWS = 4;

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows.filter((r) => r.some((c) => c !== ''));
}

/** Saves the exports and opens them all with LibreOffice at once (one start of soffice), as CSV rows. */
function openAll(files: Record<string, string>, dir: string): Record<string, string[][]> {
  mkdirSync(dir, { recursive: true });
  const paths = Object.entries(files).map(([name, base64]) => {
    const p = join(dir, `${name}.xlsx`);
    writeFileSync(p, Buffer.from(base64, 'base64'));
    return p;
  });
  execFileSync('soffice', ['--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, ...paths], { stdio: 'ignore', timeout: 240_000, env: { ...process.env, HOME: env.root } });
  return Object.fromEntries(Object.keys(files).map((name) => [name, parseCsv(readFileSync(join(dir, `${name}.csv`), 'utf8'))]));
}

const yuanToFen = (cell: string) => Math.round(Number(cell.replace(/,/g, '')) * 100);

async function call<T>(user: string, ch: Channel, input: unknown): Promise<T> {
  await actAs(env.ctx, user);
  const r = await dispatcherFor(env.ctx)(ch, input);
  if (!r.ok) throw new Error(`${ch}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

const LOANS = { query: '', officer: null, bucket: null, level: null, status: null, sort: 'contractNo', direction: 'asc' } as const;
const BORROWERS = { query: '', kind: null, tier: null } as const;

/** Each list: its channel and input, its export channel, and how to get the list's rows out of the answer. */
const LISTS: { name: string; list: Channel; exp: Channel; input: Record<string, unknown>; extra?: Record<string, unknown>; rows: (v: never) => unknown[]; who: string[] }[] = [
  { name: 'loans', list: 'loans.list', exp: 'loans.exportXlsx', input: LOANS, rows: (v: { rows: unknown[] }) => v.rows, who: ['supervisor1', 'officer1'] },
  { name: 'borrowers', list: 'borrowers.search', exp: 'borrowers.exportXlsx', input: BORROWERS, rows: (v: { rows: { managed: boolean }[] }) => v.rows.filter((r) => r.managed), who: ['supervisor1', 'officer1'] },
  { name: 'warnings', list: 'warnings.list', exp: 'warnings.exportXlsx', input: { loanId: null, status: 'all' }, rows: (v: unknown[]) => v, who: ['supervisor1', 'officer1'] },
  { name: 'inspections', list: 'inspections.list', exp: 'inspections.exportXlsx', input: { loanId: null, status: null, dueBefore: null }, extra: { kind: null, officer: null, overdueOnly: false }, rows: (v: unknown[]) => v, who: ['supervisor1', 'officer1'] },
  { name: 'notices', list: 'notices.chase', exp: 'notices.exportXlsx', input: { olderThanDays: 0 }, rows: (v: unknown[]) => v, who: ['supervisor1', 'officer1'] },
  { name: 'writeoffs', list: 'writeoffs.list', exp: 'writeoffs.exportXlsx', input: {}, rows: (v: unknown[]) => v, who: ['supervisor1', 'officer1'] },
  { name: 'worklog', list: 'worklog.list', exp: 'worklog.exportXlsx', input: { borrowerId: null, loanId: null }, rows: (v: unknown[]) => v, who: ['supervisor1', 'officer1'] },
  { name: 'audit', list: 'audit.list', exp: 'audit.exportXlsx', input: {}, rows: (v: { entries: unknown[] }) => v.entries, who: ['admin'] },
];

beforeAll(async () => {
  env = newEnv();
  env.clock.t = Date.parse('2026-10-01T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer1');
  const b1 = await borrower(env.ctx, '张三');
  await loan(env.ctx, b1.id, { contractNo: 'HT-OK', startDate: '2026-09-20' });
  const od = await loan(env.ctx, b1.id, { contractNo: 'HT-OD', startDate: '2026-01-15' });
  await createRepayment(env.ctx, { loanId: od.loan.id, paidOn: '2026-02-15', amountFen: 1_100_056, note: '' });
  const bad = await loan(env.ctx, b1.id, { contractNo: 'HT-BAD', method: 'bullet', months: 1, startDate: '2026-04-01' });
  await addWorklog(env.ctx, { borrowerId: b1.id, loanId: od.loan.id, entryDate: '2026-09-30', kind: 'call', content: '电话催收，称下周还款' });
  await addPromise(env.ctx, { loanId: od.loan.id, amountFen: 2_345_678, promiseDate: '2026-10-10', madeOn: '2026-09-30', note: '下周还款' });
  await loginAs(env.ctx, 'officer2');
  const b2 = await borrower(env.ctx, '李四', '11010519850505123');
  const o2 = await loan(env.ctx, b2.id, { contractNo: 'HT-O2-SECRET', method: 'bullet', months: 1, startDate: '2026-04-01', officer: 'officer2' });
  await addWorklog(env.ctx, { borrowerId: b2.id, loanId: o2.loan.id, entryDate: '2026-09-30', kind: 'visit', content: '上门走访李四' });
  await actAs(env.ctx, 'supervisor1');
  await runBatchCommand(env.ctx, { asOf: null });
  for (const [user, loanId] of [['officer1', bad.loan.id], ['officer2', o2.loan.id]] as const) {
    await actAs(env.ctx, user);
    const printed = await prepareNotices(env.ctx, { items: [{ loanId, docType: 'overdue-notice' }], asOf: null, payBy: null });
    await confirmNotices(env.ctx, { batchId: printed.batchId! });
  }
  await actAs(env.ctx, 'officer1');
  const w = await proposeWriteOff(env.ctx, { loanId: bad.loan.id, reason: '借款人死亡，无遗产', evidence: '法院终结执行裁定书' });
  await actAs(env.ctx, 'supervisor1');
  await decideChange(env.ctx, { changeId: w.id, approve: true, comment: '同意上报' });
  await actAs(env.ctx, 'risk1');
  await decideChange(env.ctx, { changeId: w.id, approve: true, comment: '同意核销' });
  await actAs(env.ctx, 'officer1');
  await recordRecovery(env.ctx, { loanId: bad.loan.id, paidOn: '2026-10-01', amountFen: 50_012, note: '处置所得' });
  env.clock.advance(60_000);
  ids = { bad: bad.loan.id, od: od.loan.id, b1: b1.id, o2: o2.loan.id };
}, 180_000);
afterAll(() => env?.cleanup());

describe('every list exports to Excel', () => {
  it('each file holds the list channel’s rows for the same caller, opens in LibreOffice, and officer1’s hold only officer1’s records', async () => {
    const files: Record<string, string> = {};
    const expected: Record<string, unknown[]> = {};
    for (const l of LISTS) {
      for (const user of l.who) {
        const key = `${l.name}-${user}`;
        expected[key] = l.rows((await call(user, l.list, l.name === 'audit' ? { limit: 500, offset: 0 } : { ...l.input, ...(l.list === 'loans.list' || l.list === 'borrowers.search' ? { limit: 1000, offset: 0 } : {}) })) as never);
        const file = await call<{ fileName: string; base64: string }>(user, l.exp, { ...l.input, ...l.extra });
        expect(file.fileName).toMatch(/\.xlsx$/);
        files[key] = file.base64;
      }
    }
    files['promises-officer1'] = (await call<{ base64: string }>('officer1', 'promises.exportXlsx', { loanId: ids.od })).base64;
    expected['promises-officer1'] = await call<unknown[]>('officer1', 'promises.forLoan', { loanId: ids.od });

    const sheets = openAll(files, join(env.root, 'exports'));
    for (const [key, rows] of Object.entries(sheets)) {
      // The audit log grew by the exports before this one; the rest must match exactly.
      if (key.startsWith('audit')) expect(rows.length - HEAD_ROWS, key).toBeGreaterThanOrEqual(expected[key].length);
      else expect(rows.length - HEAD_ROWS, key).toBe(expected[key].length);
      expect(expected[key].length, key).toBeGreaterThan(0);
      if (key.endsWith('officer1')) expect(JSON.stringify(rows), key).not.toMatch(/HT-O2-SECRET|李四/);
    }
    // The supervisor's files do hold officer2's records.
    for (const name of ['loans', 'warnings', 'notices', 'worklog']) expect(JSON.stringify(sheets[`${name}-supervisor1`]), name).toMatch(/HT-O2-SECRET|李四/);

    // Title, the filters, the stamp with the data date and the user, then the header in Chinese.
    const loans = sheets['loans-supervisor1'];
    expect(loans[0][0]).toBe('贷款清单');
    expect(loans[1][0]).toContain('筛选条件');
    expect(loans[2][0]).toContain('导出人：supervisor1');
    const head = loans[3];
    const listed = expected['loans-supervisor1'] as { contractNo: string; balanceFen: number; principalFen: number; maturityDate: string }[];
    const od = listed.find((r) => r.contractNo === 'HT-OD')!;
    const row = loans.find((r) => r[0] === 'HT-OD')!;
    expect(yuanToFen(row[head.indexOf('余额（元）')])).toBe(od.balanceFen);
    expect(yuanToFen(row[head.indexOf('贷款金额（元）')])).toBe(od.principalFen);
    expect(row[head.indexOf('到期日')]).toBe(od.maturityDate);
    expect(loans.slice(HEAD_ROWS).map((r) => r[0])).toEqual(listed.map((r) => r.contractNo));

    // Money in the other lists: the recovery and the promise.
    const wo = sheets['writeoffs-officer1'];
    const woList = expected['writeoffs-officer1'] as { balanceFen: number; recoveredFen: number }[];
    expect(yuanToFen(wo[HEAD_ROWS][wo[3].indexOf('核销后收回（元）')])).toBe(50_012);
    expect(yuanToFen(wo[HEAD_ROWS][wo[3].indexOf('核销金额（元）')])).toBe(woList[0].balanceFen);
    const pr = sheets['promises-officer1'];
    expect(yuanToFen(pr[HEAD_ROWS][pr[3].indexOf('承诺金额（元）')])).toBe(2_345_678);
    const bs = sheets['borrowers-supervisor1'];
    const bList = expected['borrowers-supervisor1'] as { name: string; balanceFen: number }[];
    const zs = bs.find((r) => r[0] === '张三')!;
    expect(yuanToFen(zs[bs[3].indexOf('余额（元）')])).toBe(bList.find((b) => b.name === '张三')!.balanceFen);
  }, 300_000);

  it('exports with the list’s filters, in English when the user reads English, and audits who exported what', async () => {
    env.ctx.saveConfig({ locale: 'en' });
    try {
      const filtered = { ...LOANS, status: 'active', query: 'HT-O' } as const;
      const listed = await call<{ rows: { contractNo: string }[] }>('supervisor1', 'loans.list', { ...filtered, limit: 1000, offset: 0 });
      expect(listed.rows.map((r) => r.contractNo).sort()).toEqual(['HT-O2-SECRET', 'HT-OD', 'HT-OK']);
      const file = await call<{ fileName: string; base64: string }>('supervisor1', 'loans.exportXlsx', filtered);
      const sheet = openAll({ filtered: file.base64 }, join(env.root, 'filtered')).filtered;
      expect(sheet[0][0]).toBe('Loans');
      expect(sheet[1][0]).toBe(`Filters: Search loans: HT-O; Status: ${translate('en', 'portfolio.loanStatus.active')}`);
      expect(sheet[3]).toContain('Contract no.');
      expect(sheet.slice(HEAD_ROWS).map((r) => r[0])).toEqual(listed.rows.map((r) => r.contractNo));
    } finally {
      env.ctx.saveConfig({ locale: 'zh-CN' });
    }
    const log = await call<{ entries: { actor: string; action: string; entityId: string; detail: string }[] }>('admin', 'audit.list', { limit: 500, offset: 0 });
    const exports = log.entries.filter((e) => e.action === 'list.export');
    expect(exports[0]).toMatchObject({ actor: 'supervisor1', entityId: 'loans' });
    expect(JSON.parse(exports[0].detail)).toEqual({ filters: { ...LOANS, status: 'active', query: 'HT-O' }, rows: 3 });
    expect(new Set(exports.map((e) => e.entityId))).toEqual(new Set(['loans', 'borrowers', 'warnings', 'inspections', 'notices', 'promises', 'writeoffs', 'worklog', 'audit']));
  }, 120_000);

  it('the inspections file keeps the page’s own narrowing (kind, officer); the work log one borrower’s', async () => {
    const listed = await call<{ kind: string; officer: string; contractNo: string }[]>('supervisor1', 'inspections.list', { loanId: null, status: 'planned', dueBefore: null });
    const special = listed.filter((r) => r.kind === 'special' && r.officer === 'officer1');
    expect(special.length).toBeGreaterThan(0);
    expect(special.length).toBeLessThan(listed.length);
    const file = await call<{ base64: string }>('supervisor1', 'inspections.exportXlsx', { loanId: null, status: 'planned', dueBefore: null, kind: 'special', officer: 'officer1', overdueOnly: false });
    const log = await call<{ base64: string }>('supervisor1', 'worklog.exportXlsx', { borrowerId: ids.b1, loanId: null });
    const sheets = openAll({ special: file.base64, log: log.base64 }, join(env.root, 'narrowed'));
    expect(sheets.special[1][0]).toBe('筛选条件：检查状态：待检查；检查类型：专项检查；管户信贷员：officer1');
    expect(sheets.special.slice(HEAD_ROWS).map((r) => r[0])).toEqual(special.map((r) => r.contractNo));
    // The entry and the promise to pay of the same day (a promise is an entry of the borrower's log).
    expect(sheets.log.slice(HEAD_ROWS).map((r) => `${r[1]} ${r[3]}`)).toEqual(['张三 还款承诺', '张三 电话联系']);
    expect(sheets.log[1][0]).toBe('筛选条件：借款人：张三');
  }, 120_000);

  it('an officer cannot export another officer’s loan’s lists, and nothing is written then', async () => {
    const before = (await call<{ total: number }>('admin', 'audit.list', { limit: 1, offset: 0 })).total;
    await actAs(env.ctx, 'officer1');
    for (const [ch, input] of [
      ['promises.exportXlsx', { loanId: ids.o2 }],
      ['warnings.exportXlsx', { loanId: ids.o2, status: 'all' }],
      ['inspections.exportXlsx', { loanId: ids.o2, status: null, dueBefore: null, kind: null, officer: null, overdueOnly: false }],
    ] as const) {
      const r = await dispatcherFor(env.ctx)(ch, input);
      expect(r.ok, ch).toBe(false);
      if (!r.ok) expect(r.error.code, ch).toBe('FORBIDDEN');
    }
    expect((await call<{ total: number }>('admin', 'audit.list', { limit: 1, offset: 0 })).total).toBe(before);
  });
});
