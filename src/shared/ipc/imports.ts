import { z } from 'zod';
import type { RepaymentMethod } from '../domain/schedule';
import type { PartyKind, Tier } from './borrowers';
import { empty, text } from './fields';
import type { GuaranteeMode } from './loans';
import { reads, writes, type AccessOf } from './access';

/**
 * The import workbook's layout. Sheet names and headers are part of the file format, so they are Chinese in
 * every locale and must match exactly (full-width brackets and spaces are tolerated when reading).
 */
export const IMPORT_SHEETS = {
  borrowers: {
    name: '借款人',
    columns: [
      { key: 'kind', header: '类型' },
      { key: 'name', header: '名称' },
      { key: 'idNumber', header: '证件号码' },
      { key: 'phone', header: '电话' },
      { key: 'address', header: '地址' },
      { key: 'employer', header: '工作单位' },
      { key: 'legalRep', header: '法定代表人' },
      { key: 'industry', header: '行业' },
      { key: 'registeredCapital', header: '注册资本(元)' },
      { key: 'tier', header: '客户分类' },
    ],
  },
  loans: {
    name: '贷款',
    columns: [
      { key: 'contractNo', header: '合同编号' },
      { key: 'borrowerIdNumber', header: '借款人证件号码' },
      { key: 'product', header: '产品' },
      { key: 'principal', header: '金额(元)' },
      { key: 'annualRate', header: '年利率(%)' },
      { key: 'penaltyUplift', header: '罚息上浮比例' },
      { key: 'months', header: '期限(月)' },
      { key: 'method', header: '还款方式' },
      { key: 'startDate', header: '放款日期' },
      { key: 'purpose', header: '用途' },
      { key: 'guaranteeModes', header: '担保方式' },
      { key: 'officer', header: '管户信贷员(用户名)' },
      { key: 'contractAmount', header: '合同金额(元)' },
    ],
  },
  guarantors: {
    name: '保证人',
    columns: [
      { key: 'contractNo', header: '合同编号' },
      { key: 'kind', header: '类型' },
      { key: 'name', header: '名称' },
      { key: 'idNumber', header: '证件号码' },
      { key: 'phone', header: '电话' },
      { key: 'guaranteeType', header: '保证方式' },
      { key: 'amount', header: '担保金额(元)' },
      { key: 'periodEnd', header: '保证期间截止日' },
    ],
  },
  collateral: {
    name: '抵质押物',
    columns: [
      { key: 'contractNo', header: '合同编号' },
      { key: 'kind', header: '抵押/质押' },
      { key: 'type', header: '类型' },
      { key: 'description', header: '描述' },
      { key: 'owner', header: '所有权人' },
      { key: 'value', header: '评估价值(元)' },
      { key: 'valuedOn', header: '评估日期' },
      { key: 'registrationAuthority', header: '登记机关' },
      { key: 'registrationNo', header: '登记编号' },
      { key: 'certNo', header: '权证编号' },
    ],
  },
  repayments: {
    name: '还款',
    columns: [
      { key: 'contractNo', header: '合同编号' },
      { key: 'paidOn', header: '还款日期' },
      { key: 'amount', header: '金额(元)' },
      { key: 'note', header: '备注' },
    ],
  },
  drawdowns: {
    name: '放款',
    columns: [
      { key: 'contractNo', header: '合同编号' },
      { key: 'drawnOn', header: '放款日期' },
      { key: 'amount', header: '金额(元)' },
      { key: 'voucherNo', header: '放款凭证号' },
    ],
  },
} as const;

export type ImportSheetKey = keyof typeof IMPORT_SHEETS;
export const IMPORT_SHEET_KEYS = Object.keys(IMPORT_SHEETS) as ImportSheetKey[];
export type ImportColumnKey<S extends ImportSheetKey> = (typeof IMPORT_SHEETS)[S]['columns'][number]['key'];
/**
 * Added after the first template: a workbook made from an older one may lack them. A missing optional sheet
 * has no rows; an optional column whose header cell is empty is read as empty.
 */
export const OPTIONAL_SHEETS: ReadonlySet<ImportSheetKey> = new Set(['drawdowns']);
export const OPTIONAL_COLUMNS: ReadonlySet<string> = new Set(['loans.contractAmount']);
/** The instructions sheet; never read. */
export const IMPORT_GUIDE_SHEET = '说明';

/** Cell values of the enumerated columns, as written in the workbook. */
export const PARTY_KIND_CELLS: Record<string, PartyKind> = { 个人: 'person', 企业: 'enterprise' };
export const TIER_CELLS: Record<string, Tier> = { 优质: 'good', 一般: 'normal', 风险: 'risk' };
export const METHOD_CELLS: Record<string, RepaymentMethod> = {
  等额本息: 'equal-installment',
  等额本金: 'equal-principal',
  按月付息到期还本: 'monthly-interest',
  利随本清: 'bullet',
};
export const GUARANTEE_MODE_CELLS: Record<string, GuaranteeMode> = { 信用: 'credit', 保证: 'guarantee', 抵押: 'mortgage', 质押: 'pledge' };
export const GUARANTEE_TYPE_CELLS: Record<string, 'general' | 'joint'> = { 一般保证: 'general', 连带责任保证: 'joint' };
export const COLLATERAL_KIND_CELLS: Record<string, 'mortgage' | 'pledge'> = { 抵押: 'mortgage', 质押: 'pledge' };

/** About 22 MB of workbook. */
export const IMPORT_MAX_BASE64 = 30 * 1024 * 1024;
/** Rows of each sheet sent back for display; the summary counts them all. */
export const IMPORT_PREVIEW_ROWS = 500;
/** Errors sent back; `errorCount` has the full number. */
export const IMPORT_MAX_ERRORS = 5000;

export interface ImportCellError {
  /** Sheet name as in the workbook, e.g. 贷款. */
  sheet: string;
  /** Row number as Excel shows it (the header is row 1). */
  row: number;
  /** Header text of the column. */
  column: string;
  /** What is wrong, in the user's language. */
  reason: string;
}

export interface ImportSummary {
  borrowers: number;
  loans: number;
  /** Guarantee rows (a guarantor on a loan). */
  guarantors: number;
  collateral: number;
  repayments: number;
  /** Further disbursements (分次放款). */
  drawdowns: number;
}

/** Parsed rows for display; a field that could not be read is null (or empty text). */
export interface ImportBorrowerRow {
  row: number;
  kind: PartyKind | null;
  name: string;
  idNumber: string;
  phone: string;
  address: string;
  employer: string;
  legalRep: string;
  industry: string;
  registeredCapitalFen: number | null;
  tier: Tier | null;
}

export interface ImportLoanRow {
  row: number;
  contractNo: string;
  borrowerIdNumber: string;
  product: string;
  principalFen: number | null;
  annualRate: string | null;
  penaltyUplift: string | null;
  months: number | null;
  method: RepaymentMethod | null;
  startDate: string | null;
  purpose: string;
  guaranteeModes: GuaranteeMode[];
  officer: string;
  /** Drawn in several disbursements: the contract amount; `principalFen` is the first one. */
  contractAmountFen: number | null;
  /** From the schedule, when the terms are valid. */
  maturityDate: string | null;
}

export interface ImportGuarantorRow {
  row: number;
  contractNo: string;
  kind: PartyKind | null;
  name: string;
  idNumber: string;
  phone: string;
  guaranteeType: 'general' | 'joint' | null;
  amountFen: number | null;
  periodEnd: string | null;
}

export interface ImportCollateralRow {
  row: number;
  contractNo: string;
  kind: 'mortgage' | 'pledge' | null;
  type: string;
  description: string;
  owner: string;
  valueFen: number | null;
  valuedOn: string | null;
  registrationAuthority: string;
  registrationNo: string;
  certNo: string;
}

export interface ImportRepaymentRow {
  row: number;
  contractNo: string;
  paidOn: string | null;
  amountFen: number | null;
  note: string;
}

export interface ImportDrawdownRow {
  row: number;
  contractNo: string;
  drawnOn: string | null;
  amountFen: number | null;
  voucherNo: string;
}

export interface ImportRows {
  borrowers: ImportBorrowerRow[];
  loans: ImportLoanRow[];
  guarantors: ImportGuarantorRow[];
  collateral: ImportCollateralRow[];
  repayments: ImportRepaymentRow[];
  drawdowns: ImportDrawdownRow[];
}

export interface ImportPreview {
  /** Hand back to `import.commit`; valid for 30 minutes and only in this login session. */
  token: string;
  fileName: string;
  /** Data rows found in each sheet (blank rows are skipped). */
  summary: ImportSummary;
  /** Sorted by sheet, row and column; at most IMPORT_MAX_ERRORS. */
  errors: ImportCellError[];
  errorCount: number;
  /** The first IMPORT_PREVIEW_ROWS rows of each sheet. */
  rows: ImportRows;
}

export const importsChannels = {
  'import.template': empty,
  'import.preview': z
    .object({
      // Standard base64 without line breaks; the renderer encodes the file it read.
      base64: z
        .string()
        .min(1)
        .max(IMPORT_MAX_BASE64)
        .regex(/^[A-Za-z0-9+/]+={0,2}$/)
        .refine((s) => s.length % 4 === 0),
      fileName: text(255),
    })
    .strict(),
  'import.commit': z.object({ token: z.string().regex(/^[0-9a-f]{32}$/) }).strict(),
};

/** Who may call each channel, and whether it writes (see access.ts). */
export const importsAccess = {
  'import.template': reads('portfolio.import'),
  'import.preview': reads('portfolio.import'),
  'import.commit': writes('portfolio.import'),
} satisfies AccessOf<typeof importsChannels>;

export interface ImportsOutputs {
  'import.template': { fileName: string; base64: string };
  'import.preview': ImportPreview;
  'import.commit': { imported: ImportSummary };
}
