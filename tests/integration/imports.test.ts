import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPORT_GUIDE_SHEET, IMPORT_SHEET_KEYS, IMPORT_SHEETS, type ImportPreview, type ImportSheetKey } from '../../src/shared/ipc/imports';
import type { Result } from '../../src/shared/ipc/errors';
import { verifyAuditChain } from '../../src/main/kernel/audit';
import { createBorrower } from '../../src/main/features/borrowers/borrowers';
import { getLoan, listLoans } from '../../src/main/features/loans/loans';
import { heartbeat } from '../../src/main/features/session/session';
import { bufferSource, openEntry, readEntries } from '../../src/main/archive/zipReader';
import { XLSX_LIMITS } from '../../src/main/xlsx/importRead';
import { translate } from '../../src/shared/i18n';
import { dispatcherFor, newEnv, setUp, type TestEnv } from '../helpers/context';
import { refuseWrites } from '../helpers/storeSql';
import { rawZip, zeroBomb } from '../helpers/packages';
import { borrower, createStaff, creditCode, loan, loginAs, residentId } from '../helpers/portfolio';

let env: TestEnv;
afterEach(() => env?.cleanup());

const t = (k: string, p?: Record<string, string | number>) => translate('zh-CN', k as never, p);
const listAll = { query: '', officer: null, bucket: null, level: null, status: null, sort: 'contractNo' as const, direction: 'asc' as const, limit: 500, offset: 0 };

// Parties of the files below.
const A = residentId('11010519900307281');
const C = creditCode('91350100M00010000');
const D = residentId('32010619880808123');
const G = residentId('44030419751212345');
const ZHANG = residentId('11010519800101123'); // 张三, already in the database
const UNKNOWN = residentId('11010519700101123');

/** Officer1's 张三 with HT-2026-0001 and officer2's 王五 with HT-2026-0002; officer1 logged in. */
async function start(): Promise<TestEnv> {
  env = newEnv();
  env.clock.t = Date.parse('2026-03-01T02:00:00Z');
  await setUp(env);
  await createStaff(env.ctx);
  await loginAs(env.ctx, 'officer2');
  const b2 = await borrower(env.ctx, '王五', '11010519850505123');
  await loan(env.ctx, b2.id, { contractNo: 'HT-2026-0002', officer: 'officer2' });
  await loginAs(env.ctx, 'officer1');
  const b = await borrower(env.ctx);
  await loan(env.ctx, b.id);
  return env;
}

type Rows = Partial<Record<ImportSheetKey, unknown[][]>>;

/** A workbook with the data sheets and their headers, then the rows; `tweak` breaks it on purpose. */
async function book(rows: Rows, tweak?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const k of IMPORT_SHEET_KEYS) {
    const ws = wb.addWorksheet(IMPORT_SHEETS[k].name);
    ws.addRow(IMPORT_SHEETS[k].columns.map((c) => c.header));
    for (const r of rows[k] ?? []) ws.addRow(r);
  }
  tweak?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function preview(buf: Buffer, fileName = '存量贷款.xlsx'): Promise<Result<ImportPreview>> {
  return (await dispatcherFor(env.ctx)('import.preview', { base64: buf.toString('base64'), fileName })) as Result<ImportPreview>;
}

async function commit(token: string) {
  return dispatcherFor(env.ctx)('import.commit', { token });
}

const TABLES = ['borrowers', 'guarantors', 'loans', 'schedule_rows', 'repayments', 'loan_guarantees', 'collateral', 'collateral_valuations', 'certificates', 'loan_events', 'classifications', 'loan_status'] as const;

/** Every table's row count and the whole audit log. */
async function snapshot() {
  const db = env.ctx.store!.db;
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = Number((await db.selectFrom(t).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { counts, audit: await db.selectFrom('audit_log').selectAll().orderBy('id').execute() };
}

const GOOD: Rows = {
  borrowers: [
    ['个人', '李四', A, '13800000001', '上海市浦东新区世纪大道1号', '某某银行', '', '', '', '优质'],
    ['企业', '某某商贸有限公司', C, '0591-87654321', '福州市鼓楼区五四路1号', '', '王五', '批发零售', 5000000, '一般'],
    ['个人', '赵六', D, '', '', '', '', '', '', ''],
  ],
  loans: [
    ['HT-IMP-001', A, '个人经营贷', 120000, 12, 0.5, 12, '等额本金', '2026-01-15', '进货', '保证、抵押', 'officer1'],
    ['HT-IMP-002', C, '流动资金贷', 500000, 8.5, 0.3, 6, '利随本清', new Date(Date.UTC(2026, 0, 10)), '', '信用', 'officer1'],
    ['HT-IMP-003', D, '消费贷', 30000, 18, 0.5, 12, '等额本息', '2025-12-01', '', '信用', 'officer1'],
    ['HT-IMP-004', ZHANG, '个人经营贷', 50000, 10, '50%', 3, '按月付息到期还本', '2026-02-01', '', '信用', 'officer1'],
  ],
  guarantors: [
    ['HT-IMP-001', '个人', '钱七', G, '13900000000', '连带责任保证', 120000, '2029-01-15'],
    ['HT-2026-0001', '个人', '钱七', G, '', '一般保证', 50000, '2029-01-15'],
  ],
  collateral: [['HT-IMP-001', '抵押', '房产', '上海市浦东新区某小区1号楼101室', '李四', 800000, '2026-01-10', '上海市浦东新区不动产登记中心', '沪(2026)浦东新区不动产证明第0001号', '沪(2026)浦东新区不动产权第0002号']],
  repayments: [
    ['HT-IMP-001', '2026-02-15', 11200, '银行转账'],
    ['HT-2026-0001', '2026-03-01', 20000, '补缴'],
  ],
};

const BAD: Rows = {
  borrowers: [
    GOOD.borrowers![0],
    GOOD.borrowers![1],
    ['个人', '李四二', A, '', '', '', '', '', '', ''],
    ['个人', '孙八', A.slice(0, 17) + (A.endsWith('1') ? '2' : '1'), '', '', '', '', '', '', ''],
    ['个人', '张三', ZHANG, '', '', '', '', '', '', ''],
    ['公司', '', D, '', '', '', '', '', '', ''],
    ['个人', '周九', 110105198001011230, '', '', '', '', '', '', ''],
  ],
  loans: [
    GOOD.loans![0],
    ['HT-IMP-002', C, '流动资金贷', 1234.5600000001, 37, 0.6, 6, '利随本清', '2026-01-10', '', '信用', 'officer1'],
    ['HT-IMP-001', A, '经营贷', 1000, 12, 0.5, 6, '等额本息', '2026-01-10', '', '信用', 'officer2'],
    ['HT-2026-0001', A, '经营贷', 1000, 12, 0.5, 6, '等额本息', '2026-02-30', '', '信用', 'officer1'],
    ['HT-IMP-006', UNKNOWN, '经营贷', 1000, 12, 0.5, 0, '等额', '2026-01-10', '', '信用', 'nobody'],
    ['HT-IMP-007', A, '经营贷', 1000, 12, 0.5, 6, '等额本息', '2026-03-05', '', '担保', 'officer1'],
  ],
  guarantors: [
    GOOD.guarantors![0],
    ['HT-NOPE', '个人', '钱七', G, '', '一般保证', 1000, '2029-01-15'],
    ['HT-IMP-001', '个人', '钱七', G, '', '一般保证', 1000, '2026-06-30'],
    ['HT-2026-0002', '个人', '钱七', G, '', '一般保证', 1000, '2029-01-15'],
  ],
  collateral: [GOOD.collateral![0], ['HT-IMP-001', '抵押', '车辆', '沪A12345 轿车', '李四', '', '2026-03-02', '', '', '']],
  repayments: [
    GOOD.repayments![0],
    ['HT-IMP-001', '2026-01-14', 100, ''],
    ['HT-IMP-001', '2026-03-02', 100, ''],
    ['HT-IMP-001', '2026-02-20', '100.001', ''],
    ['HT-2026-0001', '2026-02-20', 100, ''],
  ],
};

describe('Excel import', () => {
  it('the template has the six sheets with their headers and the instructions, opens in LibreOffice, and imports nothing', async () => {
    await start();
    const tpl = ok<{ fileName: string; base64: string }>(await dispatcherFor(env.ctx)('import.template', {}));
    expect(tpl.fileName).toBe('贷款组合导入模板.xlsx');
    const buf = Buffer.from(tpl.base64, 'base64');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['借款人', '贷款', '保证人', '抵质押物', '还款', '放款', '说明']);
    for (const k of IMPORT_SHEET_KEYS) {
      const ws = wb.getWorksheet(IMPORT_SHEETS[k].name)!;
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(IMPORT_SHEETS[k].columns.map((c) => c.header));
      expect(ws.actualRowCount).toBe(1);
    }
    expect(wb.getWorksheet('借款人')!.getCell('A2').dataValidation).toMatchObject({ type: 'list', formulae: ['"个人,企业"'] });
    expect(wb.getWorksheet('贷款')!.getCell('H3').dataValidation).toMatchObject({ type: 'list', formulae: ['"等额本息,等额本金,按月付息到期还本,利随本清"'] });

    const dir = mkdtempSync(join(tmpdir(), 'lk-soffice-'));
    try {
      const file = join(dir, 'template.xlsx');
      writeFileSync(file, buf);
      execFileSync(
        'soffice',
        ['--headless', '--norestore', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', dir, file],
        { env: { ...process.env, HOME: dir }, timeout: 120_000, stdio: 'pipe' },
      );
      for (const k of IMPORT_SHEET_KEYS) {
        const csv = readFileSync(join(dir, `template-${IMPORT_SHEETS[k].name}.csv`), 'utf8');
        expect(csv.trim()).toBe(IMPORT_SHEETS[k].columns.map((c) => c.header).join(','));
      }
      const guide = readFileSync(join(dir, `template-${IMPORT_GUIDE_SHEET}.csv`), 'utf8');
      expect(guide).toContain('YYYY-MM-DD');
      expect(guide).toContain('最多两位小数');
      expect(guide).toContain('HT-2026-0001');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const before = await snapshot();
    const p = ok<ImportPreview>(await preview(buf, tpl.fileName));
    expect(p.summary).toEqual({ borrowers: 0, loans: 0, guarantors: 0, collateral: 0, repayments: 0, drawdowns: 0 });
    expect(p.errors).toEqual([]);
    expect(ok(await commit(p.token))).toEqual({ imported: p.summary });
    expect(await snapshot()).toEqual(before);
  });

  it('a file with errors: every (sheet, row, column, reason) is listed and nothing is written; the corrected file imports everything', async () => {
    await start();
    const before = await snapshot();
    const bad = ok<ImportPreview>(await preview(await book(BAD)));
    expect(bad.errors.map((e) => [e.sheet, e.row, e.column])).toEqual([
      ['借款人', 4, '证件号码'],
      ['借款人', 5, '证件号码'],
      ['借款人', 6, '证件号码'],
      ['借款人', 7, '类型'],
      ['借款人', 7, '名称'],
      ['借款人', 8, '证件号码'],
      ['贷款', 3, '金额(元)'],
      ['贷款', 3, '年利率(%)'],
      ['贷款', 3, '罚息上浮比例'],
      ['贷款', 4, '合同编号'],
      ['贷款', 4, '管户信贷员(用户名)'],
      ['贷款', 5, '合同编号'],
      ['贷款', 5, '放款日期'],
      ['贷款', 6, '借款人证件号码'],
      ['贷款', 6, '期限(月)'],
      ['贷款', 6, '还款方式'],
      ['贷款', 6, '管户信贷员(用户名)'],
      ['贷款', 7, '放款日期'],
      ['贷款', 7, '担保方式'],
      ['保证人', 3, '合同编号'],
      ['保证人', 4, '证件号码'],
      ['保证人', 4, '保证期间截止日'],
      ['保证人', 5, '合同编号'],
      ['抵质押物', 3, '评估价值(元)'],
      ['抵质押物', 3, '评估日期'],
      ['还款', 3, '还款日期'],
      ['还款', 4, '还款日期'],
      ['还款', 5, '金额(元)'],
    ]);
    expect(bad.errorCount).toBe(28);
    const reason = (sheet: string, row: number, column: string) => bad.errors.find((e) => e.sheet === sheet && e.row === row && e.column === column)!.reason;
    expect(reason('借款人', 4, '证件号码')).toBe('与第 2 行重复');
    expect(reason('借款人', 5, '证件号码')).toContain('身份证号码不正确');
    expect(reason('借款人', 6, '证件号码')).toMatch(/^已存在.*张三/);
    expect(reason('借款人', 8, '证件号码')).toContain('文本格式');
    expect(reason('贷款', 3, '金额(元)')).toContain('最多两位小数');
    expect(reason('贷款', 4, '管户信贷员(用户名)')).toBe('信贷员只能登记自己管户的贷款。');
    expect(reason('贷款', 5, '合同编号')).toMatch(/^已存在/);
    expect(reason('贷款', 6, '借款人证件号码')).toContain('找不到借款人');
    expect(reason('贷款', 6, '还款方式')).toContain('等额本息、等额本金、按月付息到期还本、利随本清');
    expect(reason('贷款', 6, '管户信贷员(用户名)')).toContain('启用的信贷员');
    expect(reason('贷款', 7, '放款日期')).toBe('放款日期不能晚于今天。');
    expect(reason('保证人', 3, '合同编号')).toContain('找不到合同');
    expect(reason('保证人', 4, '保证期间截止日')).toContain('2027年1月15日');
    expect(reason('保证人', 5, '合同编号')).toContain('不由您管户');
    expect(reason('抵质押物', 3, '评估价值(元)')).toBe('必填');
    expect(reason('还款', 3, '还款日期')).toContain('不能早于放款日 2026年1月15日');
    expect(reason('还款', 4, '还款日期')).toContain('不能晚于今天');
    expect(bad.summary).toEqual({ borrowers: 7, loans: 6, guarantors: 4, collateral: 2, repayments: 5, drawdowns: 0 });
    expect(bad.rows.loans[0]).toMatchObject({ row: 2, contractNo: 'HT-IMP-001', principalFen: 12_000_000, annualRate: '12', method: 'equal-principal', maturityDate: '2027-01-15', guaranteeModes: ['guarantee', 'mortgage'] });
    expect(bad.rows.loans[1]).toMatchObject({ row: 3, principalFen: null, annualRate: null });
    expect(await snapshot()).toEqual(before);

    // A preview with errors cannot be committed.
    const refused = await commit(bad.token);
    expect(refused).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION' } });
    if (!refused.ok) expect(refused.error.message).toContain('28 处错误');
    expect(await snapshot()).toEqual(before);

    const good = ok<ImportPreview>(await preview(await book(GOOD)));
    expect(good.errors).toEqual([]);
    expect(good.summary).toEqual({ borrowers: 3, loans: 4, guarantors: 2, collateral: 1, repayments: 2, drawdowns: 0 });
    expect(await snapshot()).toEqual(before);
    expect(ok(await commit(good.token))).toEqual({ imported: good.summary });

    const after = await snapshot();
    expect(after.counts.borrowers - before.counts.borrowers).toBe(3);
    expect(after.counts.loans - before.counts.loans).toBe(4);
    expect(after.counts.guarantors - before.counts.guarantors).toBe(1);
    expect(after.counts.loan_guarantees - before.counts.loan_guarantees).toBe(2);
    expect(after.counts.collateral - before.counts.collateral).toBe(1);
    expect(after.counts.certificates - before.counts.certificates).toBe(1);
    expect(after.counts.repayments - before.counts.repayments).toBe(2);
    const actions = after.audit.slice(before.audit.length).map((a) => a.action);
    expect(actions.filter((a) => a === 'borrowers.create')).toHaveLength(3);
    expect(actions.filter((a) => a === 'loans.create')).toHaveLength(4);
    expect(actions.filter((a) => a === 'repayments.create')).toHaveLength(2);
    expect(actions.at(-1)).toBe('import.commit');
    expect(after.audit.at(-1)).toMatchObject({ actor: 'officer1', entity: 'import' });
    expect(JSON.parse(after.audit.at(-1)!.detail)).toMatchObject({ fileName: '存量贷款.xlsx', imported: good.summary });
    expect((await verifyAuditChain(env.ctx.store!)).ok).toBe(true);

    const byNo = new Map((await listLoans(env.ctx, listAll)).rows.map((r) => [r.contractNo, r]));
    const l1 = await getLoan(env.ctx, { id: byNo.get('HT-IMP-001')!.id, asOf: null });
    expect(l1.borrower).toMatchObject({ name: '李四', idNumber: A, tier: 'good', employer: '某某银行' });
    expect(l1.loan).toMatchObject({ principalFen: 12_000_000, annualRate: '12', penaltyUplift: '0.5', termMonths: 12, method: 'equal-principal', startDate: '2026-01-15', maturityDate: '2027-01-15', guaranteeModes: ['guarantee', 'mortgage'], officer: 'officer1', status: 'active' });
    expect(l1.schedule).toHaveLength(12);
    expect(l1.schedule.reduce((s, p) => s + p.principalFen, 0)).toBe(12_000_000);
    expect(l1.state).toMatchObject({ dpd: 0, bucket: 'M0', level: 'normal', balanceFen: 11_000_000 });
    expect(l1.repayments).toHaveLength(1);
    expect(l1.repayments[0]).toMatchObject({ paidOn: '2026-02-15', amountFen: 1_120_000, source: 'import', note: '银行转账', createdBy: 'officer1' });
    expect(l1.repayments[0].allocation).toEqual({ penaltyFen: 0, interestFen: 120_000, principalFen: 1_000_000, unallocatedFen: 0, feeFen: 0 });
    expect(l1.guarantees).toEqual([expect.objectContaining({ name: '钱七', idNumber: G, guaranteeType: 'joint', amountFen: 12_000_000, periodEnd: '2029-01-15' })]);
    expect(l1.collateral).toHaveLength(1);
    expect(l1.collateral[0]).toMatchObject({ kind: 'mortgage', type: '房产', owner: '李四', valuations: [expect.objectContaining({ valueFen: 80_000_000, valuedOn: '2026-01-10' })] });
    expect(l1.collateral[0].certificates).toEqual([expect.objectContaining({ certNo: '沪(2026)浦东新区不动产权第0002号', custody: 'vault' })]);

    const l2 = await getLoan(env.ctx, { id: byNo.get('HT-IMP-002')!.id, asOf: null });
    expect(l2.borrower).toMatchObject({ kind: 'enterprise', legalRep: '王五', registeredCapitalFen: 500_000_000 });
    expect(l2.loan).toMatchObject({ method: 'bullet', startDate: '2026-01-10', maturityDate: '2026-07-10', annualRate: '8.5', penaltyUplift: '0.3' });
    expect(l2.state.dpd).toBe(0);

    // Nothing paid since 2025-12-01: the 2026-01-01 instalment is 59 days overdue on 2026-03-01.
    const l3 = await getLoan(env.ctx, { id: byNo.get('HT-IMP-003')!.id, asOf: null });
    expect(l3.state).toMatchObject({ dpd: 59, bucket: 'M2', level: 'special-mention', oldestUnpaidDueDate: '2026-01-01' });
    expect(byNo.get('HT-IMP-003')).toMatchObject({ dpd: 59, bucket: 'M2' });

    const l4 = await getLoan(env.ctx, { id: byNo.get('HT-IMP-004')!.id, asOf: null });
    expect(l4.borrower.idNumber).toBe(ZHANG);
    expect(l4.loan.penaltyUplift).toBe('0.5');

    // The existing loan got its guarantor and its catch-up payment, and its status was recomputed.
    const old = await getLoan(env.ctx, { id: byNo.get('HT-2026-0001')!.id, asOf: null });
    expect(old.guarantees).toEqual([expect.objectContaining({ idNumber: G, guaranteeType: 'general', amountFen: 5_000_000 })]);
    expect(old.repayments[0]).toMatchObject({ paidOn: '2026-03-01', amountFen: 2_000_000, source: 'import' });
    expect(old.state).toMatchObject({ dpd: 0, bucket: 'M0' });
    expect(byNo.get('HT-2026-0001')).toMatchObject({ dpd: 0 });

    // The same token again, and the same file again. (Listing loans above ran the daily batch, which writes.)
    const settled = await snapshot();
    const twice = await commit(good.token);
    expect(twice).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const again = ok<ImportPreview>(await preview(await book(GOOD)));
    expect(again.errors.filter((e) => e.reason.startsWith('已存在')).map((e) => [e.sheet, e.row])).toEqual([
      ['借款人', 2],
      ['借款人', 3],
      ['借款人', 4],
      ['贷款', 2],
      ['贷款', 3],
      ['贷款', 4],
      ['贷款', 5],
    ]);
    expect(await snapshot()).toEqual(settled);
  });

  it('loans drawn in several disbursements: contract amount and 放款 rows are checked, then each drawdown reschedules; an older template without them still imports', async () => {
    await start();
    const loanRow = (no: string, principal: number, contract: number | string) => [no, ZHANG, '个人经营贷', principal, 12, 0.5, 12, '等额本金', '2026-01-15', '', '信用', 'officer1', contract];
    const bad = ok<ImportPreview>(
      await preview(
        await book({
          loans: [loanRow('FK-1', 100000, 200000), loanRow('FK-2', 100000, 50000), loanRow('FK-3', 100000, '')],
          drawdowns: [
            ['FK-1', '2026-02-01', 60000, 'V-1'],
            ['FK-1', '2026-02-10', 40000.01, 'V-2'],
            ['FK-1', '2026-01-10', 1000, ''],
            ['FK-1', '2026-03-05', 1000, ''],
            ['FK-3', '2026-02-01', 1000, ''],
            ['HT-2026-0001', '2026-02-01', 1000, ''],
          ],
        }),
      ),
    );
    const at = (sheet: string, row: number) => bad.errors.filter((e) => e.sheet === sheet && e.row === row).map((e) => `${e.column}: ${e.reason}`);
    expect(at('贷款', 3)).toEqual(['合同金额(元): 合同金额不能小于首次放款金额。']);
    // In date order: 1,000 (row 4) and 60,000 came first, leaving 39,000 of the 100,000 still to draw.
    expect(at('放款', 3)).toEqual([expect.stringMatching(/^金额\(元\): 超出合同金额：尚可放款 39,000\.00 元/)]);
    expect(at('放款', 4)).toEqual(['放款日期: 放款日期不能早于上一次放款日期 2026-01-15。']);
    expect(at('放款', 5)).toContain('放款日期: 放款日期不能晚于今天（2026-03-01）。');
    expect(at('放款', 6)[0]).toMatch(/超出合同金额：尚可放款 0\.00 元/);
    expect(at('放款', 7)[0]).toMatch(/超出合同金额：尚可放款 0\.00 元/);
    expect(bad.summary.drawdowns).toBe(6);

    const good = ok<ImportPreview>(
      await preview(
        await book({
          loans: [loanRow('FK-1', 100000, 200000)],
          drawdowns: [
            ['FK-1', '2026-02-20', 40000, 'V-2'],
            ['FK-1', '2026-02-01', 60000, 'V-1'],
          ],
          repayments: [['FK-1', '2026-02-15', 9333.33, '']],
        }),
      ),
    );
    expect(good.errors).toEqual([]);
    ok(await commit(good.token));
    const id = (await listLoans(env.ctx, { ...listAll, query: 'FK-1' })).rows[0].id;
    const d = await getLoan(env.ctx, { id, asOf: null });
    expect(d.loan.principalFen).toBe(20_000_000);
    expect(d.schedule.reduce((n, p) => n + p.principalFen, 0)).toBe(20_000_000);
    const { listDrawdowns } = await import('../../src/main/features/drawdowns/drawdowns');
    const v = await listDrawdowns(env.ctx, { loanId: id });
    expect(v.drawdowns.map((x) => [x.drawnOn, x.amountFen, x.voucherNo])).toEqual([
      ['2026-01-15', 10_000_000, ''],
      ['2026-02-01', 6_000_000, 'V-1'],
      ['2026-02-20', 4_000_000, 'V-2'],
    ]);
    expect(v.availableFen).toBe(0);

    // A workbook from the older template: no 放款 sheet, no 合同金额 column.
    const old = await book({ loans: [loanRow('OLD-1', 50000, '').slice(0, 12)] }, (wb) => {
      wb.removeWorksheet(wb.getWorksheet('放款')!.id);
      wb.getWorksheet('贷款')!.getRow(1).getCell(13).value = null;
    });
    const p = ok<ImportPreview>(await preview(old));
    expect(p.errors).toEqual([]);
    expect(p.summary).toMatchObject({ loans: 1, drawdowns: 0 });
    ok(await commit(p.token));
  });

  it('a file that is not a usable workbook is refused as a whole with a clear message, and nothing is written', async () => {
    await start();
    const before = await snapshot();
    const cases: [string, Buffer, RegExp][] = [
      ['随机字节.xlsx', randomBytes(4096), /不是 Excel 工作簿（\.xlsx）/],
      ['台账.csv', Buffer.from('合同编号,金额(元)\r\nHT-1,100\r\n', 'utf8'), /“台账\.csv”不是 Excel 工作簿/],
      ['旧台账.xls', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), randomBytes(4096)]), /旧版 Excel 97-2003 格式（\.xls）/],
      ['截断.xlsx', (await book(GOOD)).subarray(0, 2000), /不是 Excel 工作簿/],
      [
        '改名.xlsx',
        await book(GOOD, (wb) => {
          wb.getWorksheet('还款')!.name = '还款记录';
          wb.getWorksheet('保证人')!.name = 'Sheet3';
        }),
        /缺少工作表：保证人、还款。.*文件中的工作表：借款人、贷款、Sheet3、抵质押物、还款记录/,
      ],
      [
        '表头.xlsx',
        await book(GOOD, (wb) => {
          wb.getWorksheet('贷款')!.getCell('C1').value = '产品名称';
        }),
        /工作表“贷款”第 1 行的表头不正确：C 列应为“产品”，实为“产品名称”/,
      ],
      [
        '合并.xlsx',
        await book(GOOD, (wb) => {
          wb.getWorksheet('贷款')!.mergeCells('A3:B3');
        }),
        /工作表“贷款”有合并单元格 A3:B3，请取消合并后再导入/,
      ],
      [
        '公式.xlsx',
        await book(GOOD, (wb) => {
          wb.getWorksheet('贷款')!.getCell('D2').value = { formula: 'E2*10000', result: 120000 } as ExcelJS.CellFormulaValue;
        }),
        /^工作表“贷款”第2行D列（金额\(元\)）是公式，请粘贴为数值后再导入。$/,
      ],
    ];
    for (const [name, buf, message] of cases) {
      const r = await preview(buf, name);
      expect(r.ok, name).toBe(false);
      if (!r.ok) {
        expect(r.error.code, name).toBe('VALIDATION');
        expect(r.error.message, name).toMatch(message);
      }
    }
    const shared = await preview(
      await book(GOOD, (wb) => {
        const ws = wb.getWorksheet('还款')!;
        ws.getCell('C2').value = { formula: 'C3', result: 1 } as ExcelJS.CellFormulaValue;
        ws.getCell('C3').value = { formula: 'C4', result: 1 } as ExcelJS.CellFormulaValue;
      }),
    );
    expect(shared.ok || shared.error.message).toBe('工作表“还款”第2行C列（金额(元)）是公式，请粘贴为数值后再导入。（共 2 个公式单元格）');
    expect(await snapshot()).toEqual(before);
  });

  it('a workbook hiding a zip bomb, or declaring more than the limits, is refused before exceljs unpacks it', async () => {
    await start();
    const before = await snapshot();
    const good = await book(GOOD);
    const src = bufferSource(good);
    const parts = readEntries(src, XLSX_LIMITS).map((e) => {
      const r = openEntry('', e, src);
      if (!r.ok) throw new Error(e.name);
      return { name: e.name, payload: r.data };
    });
    // Re-packed by hand, stored: still a good workbook.
    expect(ok<ImportPreview>(await preview(rawZip(parts), '重新打包.xlsx')).summary.loans).toBeGreaterThan(0);
    const refused = t('import.zipTooLarge', { file: '炸弹.xlsx', mb: 512 });
    // An image declared as 8 MiB whose deflate data runs on to 4 GiB: stopped at 8 MiB.
    const bomb = await preview(rawZip([...parts, { name: 'xl/media/image1.png', payload: zeroBomb(4096), method: 8, size: 8 << 20 }]), '炸弹.xlsx');
    expect(bomb).toEqual({ ok: false, error: { code: 'VALIDATION', message: refused } });
    // One part declaring 300 MB; parts declaring 600 MB in all.
    const one = await preview(rawZip([...parts, { name: 'xl/media/image1.png', payload: zeroBomb(1), method: 8, size: 300 << 20 }]), '炸弹.xlsx');
    expect(one).toEqual({ ok: false, error: { code: 'VALIDATION', message: refused } });
    const many = Array.from({ length: 3 }, (_, i) => ({ name: `xl/media/image${i}.png`, payload: zeroBomb(1), method: 8 as const, size: 200 << 20 }));
    expect(await preview(rawZip([...parts, ...many]), '炸弹.xlsx')).toEqual({ ok: false, error: { code: 'VALIDATION', message: refused } });
    expect(await snapshot()).toEqual(before);
  });

  it('officers import only their own loans; a supervisor imports for any officer', async () => {
    await start();
    const rows: Rows = {
      borrowers: [GOOD.borrowers![0]],
      loans: [['HT-IMP-009', A, '个人经营贷', 10000, 12, 0.5, 6, '等额本息', '2026-01-15', '', '信用', 'officer2']],
      repayments: [['HT-2026-0002', '2026-02-15', 100, '']],
    };
    const mine = ok<ImportPreview>(await preview(await book(rows)));
    expect(mine.errors.map((e) => [e.sheet, e.row, e.column, e.reason])).toEqual([
      ['贷款', 2, '管户信贷员(用户名)', '信贷员只能登记自己管户的贷款。'],
      ['还款', 2, '合同编号', '这笔贷款不由您管户，无权查看或操作。'],
    ]);
    await loginAs(env.ctx, 'supervisor1');
    const sup = ok<ImportPreview>(await preview(await book(rows)));
    expect(sup.errors).toEqual([]);
    ok(await commit(sup.token));
    await loginAs(env.ctx, 'officer2');
    expect((await listLoans(env.ctx, listAll)).rows.map((r) => [r.contractNo, r.officer])).toEqual([
      ['HT-2026-0002', 'officer2'],
      ['HT-IMP-009', 'officer2'],
    ]);

    await loginAs(env.ctx, 'archivist1');
    expect(await dispatcherFor(env.ctx)('import.template', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await preview(await book(rows))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('tokens are per login session and expire after 30 minutes', async () => {
    await start();
    const buf = await book({ borrowers: [GOOD.borrowers![0]] });
    const first = ok<ImportPreview>(await preview(buf));
    await loginAs(env.ctx, 'officer1');
    expect(await commit(first.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const second = ok<ImportPreview>(await preview(buf));
    // Keep the session active while 31 minutes pass.
    for (let i = 0; i < 31; i++) {
      env.clock.advance(60_000);
      expect(heartbeat(env.ctx).locked).toBe(false);
    }
    const expired = await commit(second.token);
    expect(expired).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (!expired.ok) expect(expired.error.message).toContain('30 分钟');

    const third = ok<ImportPreview>(await preview(buf));
    for (let i = 0; i < 29; i++) {
      env.clock.advance(60_000);
      heartbeat(env.ctx);
    }
    expect(ok(await commit(third.token))).toEqual({ imported: { borrowers: 1, loans: 0, guarantors: 0, collateral: 0, repayments: 0, drawdowns: 0 } });
  });

  it('commit re-checks against the database and rolls everything back on any failure', async () => {
    await start();
    const before = await snapshot();
    const meanwhile = ok<ImportPreview>(await preview(await book(GOOD)));
    expect(meanwhile.errors).toEqual([]);
    // Someone registers 赵六 between preview and commit.
    await createBorrower(env.ctx, { kind: 'person', name: '赵六', idNumber: D, phone: '', address: '', employer: '', legalRep: '', industry: '', registeredCapitalFen: null, tier: 'normal' });
    const interim = await snapshot();
    const conflict = await commit(meanwhile.token);
    expect(conflict).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!conflict.ok) expect(conflict.error.message).toMatch(/数据库未作任何改动.*工作表“借款人”第4行“证件号码”：已存在/);
    expect(await snapshot()).toEqual(interim);

    // A failure in the middle of writing (here: the last table refuses) undoes the borrowers and loans already written.
    const file = await book({ ...GOOD, borrowers: GOOD.borrowers!.slice(0, 2), loans: GOOD.loans!.filter((l) => l[1] !== D) });
    const p = ok<ImportPreview>(await preview(file));
    expect(p.errors).toEqual([]);
    const allow = await refuseWrites(env.ctx, 'repayments', 'INSERT', 'disk I/O error');
    const failed = await commit(p.token);
    expect(failed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!failed.ok) expect(failed.error.message).toBe('导入失败，已全部撤销，数据库未作任何改动：disk I/O error');
    expect(await snapshot()).toEqual(interim);
    await allow();
    ok(await commit(ok<ImportPreview>(await preview(file)).token));
    expect((await snapshot()).counts.loans).toBe(before.counts.loans + 3);
  });

  it('whole-column data validations added in Excel do not slow the preview down', async () => {
    await start();
    const buf = await book(GOOD, (wb) => {
      const ws = wb.getWorksheet('贷款')! as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } };
      // exceljs would expand each of these cell by cell (about 0.8 s per column) if the reader did not skip them.
      for (const col of 'ABCDEFGHIJKL') ws.dataValidations.add(`${col}2:${col}1048576`, { type: 'textLength', operator: 'lessThan', allowBlank: true, formulae: [300] });
    });
    const t0 = performance.now();
    const p = ok<ImportPreview>(await preview(buf));
    expect(p.errors).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(3_000);
  });

  it('reasons are in English in the en locale', async () => {
    await start();
    ok(await dispatcherFor(env.ctx)('app.setLocale', { locale: 'en' }));
    const p = ok<ImportPreview>(await preview(await book({ repayments: [['HT-NOPE', '2026-02-30', 1.234, '']] })));
    expect(p.errors.map((e) => [e.sheet, e.row, e.column, e.reason])).toEqual([
      ['还款', 2, '合同编号', 'No such contract: the contract number is neither on the loan sheet nor in the system'],
      ['还款', 2, '还款日期', 'Not a valid date: write YYYY-MM-DD as text (e.g. 2026-01-15) or use an Excel date, and it must exist'],
      ['还款', 2, '金额(元)', 'At most 2 decimals (fen); amounts are never rounded'],
    ]);
    const r = await preview(Buffer.from('not a workbook'), 'a.csv');
    expect(r.ok || r.error.message).toMatch(/^The file "a.csv" is not an Excel workbook/);
  });

  it('previews a 2,000-loan workbook in a few seconds and commits it in one transaction', async () => {
    await start();
    const n = 2000;
    const ids = Array.from({ length: n }, (_, i) => {
      const y = 1960 + (i % 40);
      const m = String(1 + (i % 12)).padStart(2, '0');
      const d = String(1 + (i % 28)).padStart(2, '0');
      return residentId(`110105${y}${m}${d}${String(i % 1000).padStart(3, '0')}`);
    });
    const rows: Rows = {
      borrowers: ids.map((id, i) => ['个人', `借款人${i}`, id, '13800000000', '北京市', '', '', '', '', '一般']),
      loans: ids.map((id, i) => [`HT-P-${String(i).padStart(5, '0')}`, id, '经营贷', 10000 + i, 12, 0.5, 12, i % 2 ? '等额本息' : '等额本金', '2025-06-15', '', '信用', i % 2 ? 'officer1' : 'officer2']),
      repayments: ids.map((_, i) => [`HT-P-${String(i).padStart(5, '0')}`, '2025-07-15', 500, '']),
    };
    const buf = await book(rows);
    await loginAs(env.ctx, 'supervisor1');
    const t0 = performance.now();
    const p = ok<ImportPreview>(await preview(buf, 'big.xlsx'));
    const previewMs = performance.now() - t0;
    expect(p.errors).toEqual([]);
    expect(p.summary).toMatchObject({ borrowers: n, loans: n, repayments: n });
    expect(p.rows.loans).toHaveLength(500);
    expect(previewMs).toBeLessThan(10_000);
    const t1 = performance.now();
    ok(await commit(p.token));
    const commitMs = performance.now() - t1;
    console.info(`import of ${n} loans: preview ${Math.round(previewMs)} ms, commit ${Math.round(commitMs)} ms (${Math.round(buf.length / 1024)} KB)`);
    const statuses = await env.ctx.store!.db.selectFrom('loan_status').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(statuses.n)).toBe(n + 2);
  }, 180_000);
});
