import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { translate } from '../../src/shared/i18n';
import { IMPORT_SHEET_KEYS, IMPORT_SHEETS, type ImportSheetKey } from '../../src/shared/ipc/imports';
import { parseRows, readImportWorkbook, shiftDecimal, type Cell, type RawSheets } from '../../src/main/xlsx/importRead';

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('zh-CN', key, params);
const TODAY = '2026-03-01';

const txt = (v: string): Cell => ({ t: 'text', v });
const num = (v: number, percent = false): Cell => ({ t: 'number', v, percent });
const E: Cell = { t: 'empty' };

/** A loan row whose amount, rate, uplift and start date cells are given; the rest is valid. */
function loanRow(over: { principal?: Cell; annualRate?: Cell; penaltyUplift?: Cell; startDate?: Cell; months?: Cell; guaranteeModes?: Cell }): Cell[] {
  const base: Record<string, Cell> = {
    contractNo: txt('HT-1'),
    borrowerIdNumber: txt('11010519800101123X'),
    product: txt('经营贷'),
    principal: num(1000),
    annualRate: num(12),
    penaltyUplift: num(0.5),
    months: num(12),
    method: txt('等额本息'),
    startDate: { t: 'date', v: '2026-01-15' },
    purpose: E,
    guaranteeModes: txt('信用'),
    officer: txt('officer1'),
    ...over,
  };
  return IMPORT_SHEETS.loans.columns.map((c) => base[c.key]);
}

function parseLoans(rows: Cell[][]) {
  const raw = Object.fromEntries(IMPORT_SHEET_KEYS.map((k) => [k, []])) as unknown as RawSheets;
  raw.loans = rows.map((cells, i) => ({ row: i + 2, cells }));
  return parseRows(raw, t, TODAY);
}

const reasons = (r: ReturnType<typeof parseLoans>, column: string) => r.errors.filter((e) => e.column === column).map((e) => `${e.row}:${e.reason}`);

describe('import cell parsing', () => {
  it('amounts: yuan to fen exactly, refused rather than rounded, number cells read through String(n)', () => {
    const cells: Cell[] = [num(1234.5), num(1234.56), txt('1,234.56'), txt('￥88.10'), num(1234.5600000001), num(0.1 + 0.2), txt('12,000.123'), num(-5), num(0), num(1e21), num(1e-7), txt('12万'), num(2 ** 53)];
    const r = parseLoans(cells.map((principal) => loanRow({ principal })));
    expect(r.rows.loans.map((l) => l.principalFen)).toEqual([123450, 123456, 123456, 8810, null, null, null, null, null, null, null, null, null]);
    expect(reasons(r, '金额(元)')).toEqual([
      '6:金额最多两位小数（到分），不会自动四舍五入',
      '7:金额最多两位小数（到分），不会自动四舍五入',
      '8:金额最多两位小数（到分），不会自动四舍五入',
      '9:金额必须大于 0',
      '10:金额必须大于 0',
      '11:金额超出可精确表示的范围',
      '12:金额最多两位小数（到分），不会自动四舍五入',
      '13:金额格式不正确，应为以元为单位的数字，如 1234.56',
      '14:金额超出可精确表示的范围',
    ]);
  });

  it('rates in per cent (plain or percent-formatted), uplift as a fraction or a percentage', () => {
    const r = parseLoans([
      loanRow({ annualRate: num(4.35), penaltyUplift: txt('50%') }),
      loanRow({ annualRate: num(0.0435, true), penaltyUplift: num(0.3, true) }),
      loanRow({ annualRate: txt('36%'), penaltyUplift: txt('0.45') }),
      loanRow({ annualRate: num(36.01), penaltyUplift: num(0.6) }),
      loanRow({ annualRate: num(0), penaltyUplift: num(50) }),
      loanRow({ annualRate: txt('4.123456'), penaltyUplift: txt('0.29') }),
    ]);
    expect(r.rows.loans.map((l) => [l.annualRate, l.penaltyUplift])).toEqual([
      ['4.35', '0.5'],
      ['4.35', '0.3'],
      ['36', '0.45'],
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect(reasons(r, '年利率(%)')).toHaveLength(3);
    expect(reasons(r, '罚息上浮比例')).toHaveLength(3);
  });

  it('dates: Excel dates and YYYY-MM-DD text that exists; nothing else', () => {
    const r = parseLoans(
      [{ t: 'date', v: '2024-02-29' } as Cell, txt('2026-01-15'), txt('2026-02-30'), txt('2026/01/15'), txt('2026-1-5'), num(46000), E, { t: 'date', v: '1899-12-31' } as Cell].map((startDate) => loanRow({ startDate })),
    );
    expect(r.rows.loans.map((l) => l.startDate)).toEqual(['2024-02-29', '2026-01-15', null, null, null, null, null, null]);
    expect(reasons(r, '放款日期').map((x) => x.split(':')[0])).toEqual(['4', '5', '6', '7', '8', '9']);
    expect(reasons(r, '放款日期')[4]).toBe('8:必填');
  });

  it('terms, guarantee modes and every bad cell of a row are reported, not just the first', () => {
    const r = parseLoans([
      loanRow({ months: txt('12'), guaranteeModes: txt('保证、抵押 ，保证') }),
      loanRow({ months: num(12.5), guaranteeModes: txt('保证、担保'), principal: E, annualRate: txt('abc') }),
    ]);
    expect(r.rows.loans[0]).toMatchObject({ months: 12, guaranteeModes: ['guarantee', 'mortgage'] });
    expect(r.errors.filter((e) => e.row === 3).map((e) => e.column)).toEqual(['金额(元)', '年利率(%)', '期限(月)', '担保方式']);
    expect(r.bad.loans).toEqual(new Set([3]));
  });

  it('shiftDecimal moves the point without floating-point noise', () => {
    expect(shiftDecimal('0.0435', 2)).toBe('4.35');
    expect(shiftDecimal('50', -2)).toBe('0.5');
    expect(shiftDecimal('5', -2)).toBe('0.05');
    expect(shiftDecimal('0.36', 2)).toBe('36');
    expect(shiftDecimal('1.5', 3)).toBe('1500');
    expect(shiftDecimal('1e-7', 2)).toBeNull();
  });

  it('a real workbook: date cells become the UTC date, numeric ID numbers are refused, blank rows skipped', async () => {
    const wb = new ExcelJS.Workbook();
    for (const k of IMPORT_SHEET_KEYS) wb.addWorksheet(IMPORT_SHEETS[k].name).addRow(IMPORT_SHEETS[k].columns.map((c) => c.header));
    const ws = wb.getWorksheet('还款')!;
    ws.addRow(['HT-1', new Date(Date.UTC(2026, 0, 31)), 100.5, '']);
    ws.addRow([]);
    ws.addRow(['', '', '', '   ']);
    ws.addRow(['HT-1', new Date(Date.UTC(2026, 1, 1, 23, 59)), '200', '现金']);
    wb.getWorksheet('借款人')!.addRow(['个人', '张三', 110105198001011230, '', '', '', '', '', '', '']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await readImportWorkbook(buf, 'x.xlsx', t, TODAY);
    expect(r.rows.repayments.map((x) => [x.row, x.paidOn, x.amountFen])).toEqual([
      [2, '2026-01-31', 10050],
      [5, '2026-02-01', 20000],
    ]);
    expect(r.errors).toEqual([{ sheet: '借款人', row: 2, column: '证件号码', reason: t('import.cell.idAsNumber') }]);
    const empty = Object.fromEntries(IMPORT_SHEET_KEYS.map((k) => [k, 0])) as Record<ImportSheetKey, number>;
    expect({ ...empty, repayments: r.rows.repayments.length, borrowers: r.rows.borrowers.length }).toEqual({ ...empty, repayments: 2, borrowers: 1 });
  });
});
