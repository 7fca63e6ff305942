import ExcelJS from 'exceljs';
import { creditCodeCheckChar, residentIdCheckChar } from '../../shared/domain/ids';
import {
  COLLATERAL_KIND_CELLS,
  GUARANTEE_MODE_CELLS,
  GUARANTEE_TYPE_CELLS,
  IMPORT_GUIDE_SHEET,
  IMPORT_SHEET_KEYS,
  IMPORT_SHEETS,
  METHOD_CELLS,
  PARTY_KIND_CELLS,
  TIER_CELLS,
  type ImportSheetKey,
} from '../../shared/ipc/imports';

/** Rows of each data sheet that get the dropdowns and formats. */
const TEMPLATE_ROWS = 5000;

type Kind = 'text' | 'id' | 'amount' | 'date' | 'number' | 'rate';
interface ColumnSpec {
  kind: Kind;
  width: number;
  required: boolean;
  /** Allowed values for a dropdown. */
  list?: string[];
  /** What to write, for the instructions sheet. */
  rule: string;
}

const opts = (o: Record<string, unknown>) => Object.keys(o);
const residentExample = '11010519800101123' + residentIdCheckChar('11010519800101123');
const creditExample = '91350100M00010000' + creditCodeCheckChar('91350100M00010000');
const guarantorExample = '11010519850505123' + residentIdCheckChar('11010519850505123');

/**
 * The instructions and one example per sheet. The template is a file format with Chinese sheet names, headers and
 * values, so its instructions are Chinese in every locale.
 */
const COLUMNS: { [S in ImportSheetKey]: ColumnSpec[] } = {
  borrowers: [
    { kind: 'text', width: 8, required: true, list: opts(PARTY_KIND_CELLS), rule: '个人 或 企业' },
    { kind: 'text', width: 24, required: true, rule: '姓名或企业全称，最多 100 字' },
    { kind: 'id', width: 22, required: true, rule: '个人填 18 位居民身份证号码，企业填 18 位统一社会信用代码；请用文本格式；同一证件号码只能出现一次，系统中已有的借款人不要再填' },
    { kind: 'id', width: 14, required: false, rule: '最多 30 字' },
    { kind: 'text', width: 30, required: false, rule: '最多 200 字' },
    { kind: 'text', width: 20, required: false, rule: '个人借款人填写，最多 100 字' },
    { kind: 'text', width: 12, required: false, rule: '企业借款人填写，最多 50 字' },
    { kind: 'text', width: 12, required: false, rule: '企业借款人填写，最多 50 字' },
    { kind: 'amount', width: 16, required: false, rule: '企业借款人填写；以元为单位，最多两位小数' },
    { kind: 'text', width: 10, required: false, list: opts(TIER_CELLS), rule: '优质、一般 或 风险；不填按“一般”' },
  ],
  loans: [
    { kind: 'id', width: 18, required: true, rule: '最多 40 字；文件内和系统中都不能重复' },
    { kind: 'id', width: 22, required: true, rule: '借款人表中的证件号码，或系统中已有借款人的证件号码' },
    { kind: 'text', width: 14, required: true, rule: '产品名称，最多 50 字' },
    { kind: 'amount', width: 16, required: true, rule: '贷款本金，以元为单位，最多两位小数，如 120000 或 120000.50' },
    { kind: 'rate', width: 10, required: true, rule: '年利率百分数，大于 0 且不超过 36，最多 4 位小数，如 12 或 4.35（表示 4.35%）' },
    { kind: 'rate', width: 12, required: true, rule: '罚息利率在合同利率上的上浮比例，0.3 到 0.5（也可写 30% 到 50%）' },
    { kind: 'number', width: 10, required: true, rule: '1 到 360 之间的整数' },
    { kind: 'text', width: 18, required: true, list: opts(METHOD_CELLS), rule: '等额本息、等额本金、按月付息到期还本 或 利随本清' },
    { kind: 'date', width: 12, required: true, rule: '不能晚于今天' },
    { kind: 'text', width: 20, required: false, rule: '最多 200 字' },
    { kind: 'text', width: 14, required: true, rule: `${opts(GUARANTEE_MODE_CELLS).join('、')}，多个用顿号“、”分隔，如 保证、抵押` },
    { kind: 'id', width: 18, required: true, rule: '系统中启用的信贷员或信贷主管的用户名；信贷员只能导入自己管户的贷款' },
    { kind: 'amount', width: 16, required: false, rule: '分次放款时填写合同总金额，此时“金额(元)”为首次放款金额，其余各次填在“放款”表；一次性全额放款的不填' },
  ],
  guarantors: [
    { kind: 'id', width: 18, required: true, rule: '贷款表中的合同编号，或系统中已有贷款的合同编号' },
    { kind: 'text', width: 8, required: true, list: opts(PARTY_KIND_CELLS), rule: '个人 或 企业' },
    { kind: 'text', width: 20, required: true, rule: '最多 100 字' },
    { kind: 'id', width: 22, required: true, rule: '居民身份证号码或统一社会信用代码，请用文本格式' },
    { kind: 'id', width: 14, required: false, rule: '最多 30 字' },
    { kind: 'text', width: 14, required: true, list: opts(GUARANTEE_TYPE_CELLS), rule: '一般保证 或 连带责任保证' },
    { kind: 'amount', width: 16, required: true, rule: '以元为单位，最多两位小数' },
    { kind: 'date', width: 14, required: true, rule: '不能早于贷款到期日' },
  ],
  collateral: [
    { kind: 'id', width: 18, required: true, rule: '贷款表中的合同编号，或系统中已有贷款的合同编号' },
    { kind: 'text', width: 10, required: true, list: opts(COLLATERAL_KIND_CELLS), rule: '抵押 或 质押' },
    { kind: 'text', width: 12, required: true, rule: '如 房产、土地、车辆、存单，最多 30 字' },
    { kind: 'text', width: 30, required: true, rule: '坐落、面积、车牌号等，最多 300 字' },
    { kind: 'text', width: 16, required: true, rule: '最多 100 字' },
    { kind: 'amount', width: 16, required: true, rule: '以元为单位，最多两位小数' },
    { kind: 'date', width: 12, required: true, rule: '不能晚于今天' },
    { kind: 'text', width: 18, required: false, rule: '最多 100 字' },
    { kind: 'id', width: 18, required: false, rule: '最多 60 字' },
    { kind: 'id', width: 18, required: false, rule: '填写后登记为在库权证，最多 60 字' },
  ],
  repayments: [
    { kind: 'id', width: 18, required: true, rule: '贷款表中的合同编号，或系统中已有贷款的合同编号' },
    { kind: 'date', width: 12, required: true, rule: '不早于放款日期，不晚于今天' },
    { kind: 'amount', width: 16, required: true, rule: '实收金额，以元为单位，最多两位小数；按罚息、利息、本金的顺序冲抵' },
    { kind: 'text', width: 24, required: false, rule: '最多 300 字' },
  ],
  drawdowns: [
    { kind: 'id', width: 18, required: true, rule: '贷款表中填了合同金额的合同，或系统中可追加放款的合同；首次放款不填在这里' },
    { kind: 'date', width: 12, required: true, rule: '不早于放款日期和上一次放款，不晚于今天，早于到期日' },
    { kind: 'amount', width: 16, required: true, rule: '本次放款金额，以元为单位，最多两位小数；各次合计不超过合同金额' },
    { kind: 'id', width: 18, required: false, rule: '最多 60 字' },
  ],
};

const EXAMPLES: { [S in ImportSheetKey]: (string | number)[][] } = {
  borrowers: [
    ['个人', '张三', residentExample, '13800000000', '北京市朝阳区建国路1号', '某某科技有限公司', '', '', '', '一般'],
    ['企业', '某某商贸有限公司', creditExample, '0591-87654321', '福州市鼓楼区五四路1号', '', '王五', '批发零售', 5000000, '优质'],
  ],
  loans: [
    ['HT-2026-0001', residentExample, '个人经营贷', 120000, 12, 0.5, 12, '等额本金', '2026-01-15', '购买原材料', '保证、抵押', 'officer1', ''],
    ['HT-2026-0002', creditExample, '流动资金贷款', 300000, 9.6, 0.5, 12, '按月付息到期还本', '2026-02-10', '支付货款', '保证', 'officer1', 500000],
  ],
  guarantors: [['HT-2026-0001', '个人', '李四', guarantorExample, '13900000000', '连带责任保证', 120000, '2029-01-15']],
  collateral: [['HT-2026-0001', '抵押', '房产', '北京市朝阳区某小区1号楼101室，89.5平方米', '张三', 800000, '2026-01-10', '北京市朝阳区不动产登记中心', '京(2026)朝阳区不动产证明第0001234号', '京(2026)朝阳区不动产权第0005678号']],
  repayments: [['HT-2026-0001', '2026-02-15', 11200, '银行转账']],
  drawdowns: [['HT-2026-0002', '2026-04-01', 200000, 'FK-2026-0002']],
};

const GENERAL_RULES = [
  '1. 本工作簿有“借款人”“贷款”“保证人”“抵质押物”“还款”“放款”六个数据表（“放款”表和贷款表的“合同金额(元)”列只在分次放款时使用，旧模板没有它们也可以导入）。请勿修改工作表名称和第 1 行表头，也不要增删或调换列；从第 2 行起每行填写一条记录，空行会被忽略。',
  '2. 日期请填写 YYYY-MM-DD 格式的文本（如 2026-01-15），或使用 Excel 的日期格式。',
  '3. 金额以“元”为单位，最多两位小数（到分）。超过两位小数的金额会被拒绝，不会四舍五入。',
  '4. 证件号码、电话、合同编号请使用文本格式，以免 Excel 把长数字改成科学计数法而丢失位数。',
  '5. 不要合并单元格，不要使用公式（如需公式计算，请复制后“选择性粘贴—数值”）。',
  '6. 一个文件中的借款人、贷款、保证人、抵质押物和还款要么全部导入，要么全部不导入：预览发现任何错误时不能导入，请按提示的工作表、行号和列修改后重新预览。',
  '7. 贷款可以引用本文件“借款人”表中的借款人，也可以引用系统中已有借款人的证件号码；保证人、抵质押物和还款可以引用本文件“贷款”表中的合同，也可以引用系统中已有的合同。',
  '8. 导入后系统按还款记录计算每笔贷款的逾期天数和五级分类。',
];

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle' };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    c.border = { bottom: { style: 'thin' } };
  });
}

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** The import template: six empty data sheets with headers, formats and dropdowns, and the instructions sheet. */
export async function importTemplateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'LoanKeeper';
  for (const key of IMPORT_SHEET_KEYS) {
    const spec = IMPORT_SHEETS[key];
    const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    styleHeader(ws.addRow(spec.columns.map((c) => c.header)));
    COLUMNS[key].forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      col.width = c.width;
      if (c.kind === 'id') col.numFmt = '@';
      else if (c.kind === 'date') col.numFmt = 'yyyy-mm-dd';
      else if (c.kind === 'amount') col.numFmt = '#,##0.00';
      const letter = columnLetter(i + 1);
      if (c.list) {
        // exceljs has range validations at runtime but not in its typings.
        (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
          type: 'list',
          allowBlank: true,
          formulae: [`"${c.list.join(',')}"`],
          showErrorMessage: true,
          errorStyle: 'stop',
          errorTitle: spec.columns[i].header,
          error: `请从下拉列表中选择：${c.list.join('、')}`,
        });
      }
    });
  }

  const guide = wb.addWorksheet(IMPORT_GUIDE_SHEET);
  guide.getColumn(1).width = 16;
  guide.getColumn(2).width = 22;
  guide.getColumn(3).width = 10;
  guide.getColumn(4).width = 80;
  guide.addRow(['贷款组合导入模板 使用说明']).font = { bold: true, size: 14 };
  guide.addRow([]);
  for (const line of GENERAL_RULES) guide.addRow([line]);
  guide.addRow([]);
  styleHeader(guide.addRow(['工作表', '列', '是否必填', '填写要求']));
  for (const key of IMPORT_SHEET_KEYS) {
    IMPORT_SHEETS[key].columns.forEach((c, i) => {
      const spec = COLUMNS[key][i];
      guide.addRow([IMPORT_SHEETS[key].name, c.header, spec.required ? '必填' : '选填', spec.rule]);
    });
  }
  guide.addRow([]);
  guide.addRow(['填写示例（示例只在本说明页，数据表中请填写真实数据）']).font = { bold: true };
  for (const key of IMPORT_SHEET_KEYS) {
    guide.addRow([]);
    guide.addRow([`“${IMPORT_SHEETS[key].name}”表`]).font = { bold: true };
    styleHeader(guide.addRow(IMPORT_SHEETS[key].columns.map((c) => c.header)));
    for (const example of EXAMPLES[key]) guide.addRow(example);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
