import ExcelJS from 'exceljs';
import { isValidDate } from '../../shared/domain/dates';
import { isValidCreditCode, isValidResidentId } from '../../shared/domain/ids';
import { parseYuanToFen } from '../../shared/domain/money';
import type { RepaymentMethod } from '../../shared/domain/schedule';
import type { MessageKey } from '../../shared/i18n';
import type { PartyKind } from '../../shared/ipc/borrowers';
import { AppError } from '../../shared/ipc/errors';
import {
  COLLATERAL_KIND_CELLS,
  GUARANTEE_MODE_CELLS,
  GUARANTEE_TYPE_CELLS,
  IMPORT_SHEET_KEYS,
  IMPORT_SHEETS,
  OPTIONAL_COLUMNS,
  OPTIONAL_SHEETS,
  METHOD_CELLS,
  PARTY_KIND_CELLS,
  TIER_CELLS,
  type ImportCellError,
  type ImportColumnKey,
  type ImportRows,
  type ImportSheetKey,
} from '../../shared/ipc/imports';
import type { GuaranteeMode } from '../../shared/ipc/loans';
import { checkZip, type ZipLimits } from '../archive/zipReader';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** One cell, reduced to what the import needs. Dates are business dates taken from the cell's UTC date. */
export type Cell =
  | { t: 'empty' }
  | { t: 'text'; v: string }
  | { t: 'number'; v: number; percent: boolean }
  | { t: 'date'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'error'; v: string };

export interface RawRow {
  /** Excel's row number. */
  row: number;
  cells: Cell[];
}

export type RawSheets = Record<ImportSheetKey, RawRow[]>;

export interface ReadResult {
  rows: ImportRows;
  /** Problems found in single cells, in sheet, row and column order. */
  errors: ImportCellError[];
  /** Excel row numbers that have at least one error, per sheet. */
  bad: Record<ImportSheetKey, Set<number>>;
}

/**
 * What an .xlsx (a zip) may unpack to before exceljs sees it: its JSZip inflates whatever an entry holds, so
 * every entry is first inflated here, stopping at its declared size, and the declared sizes are capped one by
 * one and in total. A full template of 100,000 rows per sheet stays well inside.
 */
export const XLSX_LIMITS: ZipLimits = { maxEntries: 10_000, maxEntryBytes: 256 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024 };

/** Data rows per sheet beyond which the file is refused as a whole. */
export const MAX_ROWS_PER_SHEET = 100_000;

const EMPTY: Cell = { t: 'empty' };
const V = ExcelJS.ValueType;

const normHeader = (s: string) => s.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '');
const normText = (s: string) => s.replace(/[\u200b-\u200d\ufeff]/g, '').trim();

function ymdUtc(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  const y = d.getUTCFullYear();
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

function richText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && Array.isArray((v as { richText?: unknown }).richText)) {
    return (v as { richText: { text: string }[] }).richText.map((r) => r.text ?? '').join('');
  }
  return v == null ? '' : String(v);
}

function cellOf(cell: ExcelJS.Cell): Cell {
  const v = cell.value as unknown;
  switch (cell.type) {
    case V.Null:
    case V.Merge:
      return EMPTY;
    case V.Number:
      return { t: 'number', v: v as number, percent: (cell.numFmt ?? '').includes('%') };
    case V.Date: {
      const d = ymdUtc(v as Date);
      return d ? { t: 'date', v: d } : { t: 'error', v: String(v) };
    }
    case V.String:
    case V.SharedString:
    case V.RichText: {
      const s = normText(richText(v));
      return s ? { t: 'text', v: s } : EMPTY;
    }
    case V.Hyperlink: {
      const s = normText(richText((v as { text?: unknown }).text));
      return s ? { t: 'text', v: s } : EMPTY;
    }
    case V.Boolean:
      return { t: 'bool', v: !!v };
    case V.Error:
      return { t: 'error', v: String((v as { error?: string }).error ?? '#ERROR') };
    default:
      return { t: 'text', v: normText(richText(v)) };
  }
}

function isFormula(cell: ExcelJS.Cell): boolean {
  if (cell.type === V.Formula) return true;
  const v = cell.value as { formula?: unknown; sharedFormula?: unknown } | null;
  return !!v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v);
}

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/**
 * Opens the workbook and reads the five data sheets as raw cells. Anything that makes the file as a whole
 * unusable is an AppError VALIDATION with one clear message: not an xlsx workbook, a sheet missing, a wrong
 * header, merged cells, formulas, too many rows.
 */
export async function readRawWorkbook(buf: Buffer, fileName: string, t: Translate): Promise<RawSheets> {
  const refuse = (key: MessageKey, params: Record<string, string | number> = {}) => new AppError('VALIDATION', t(key, params));
  // An .xls file and a password-protected .xlsx are both OLE2 compound files.
  if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0 && buf.readUInt32BE(4) === 0xa1b11ae1) throw refuse('import.legacyXls', { file: fileName });
  if (buf.length < 4 || buf.readUInt32BE(0) !== 0x504b0304) throw refuse('import.notXlsx', { file: fileName });
  const zip = checkZip(buf, XLSX_LIMITS);
  if (!zip.ok) throw zip.kind === 'limit' ? refuse('import.zipTooLarge', { file: fileName, mb: XLSX_LIMITS.maxTotalBytes / 1024 / 1024 }) : refuse('import.notXlsx', { file: fileName });
  const wb = new ExcelJS.Workbook();
  try {
    // Data validations are dropped: exceljs expands each range cell by cell, and whole-column rules would stall it.
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer, { ignoreNodes: ['dataValidations', 'conditionalFormatting', 'extLst'] });
  } catch {
    throw refuse('import.notXlsx', { file: fileName });
  }
  if (wb.worksheets.length === 0) throw refuse('import.notXlsx', { file: fileName });

  const byName = new Map(wb.worksheets.map((ws) => [ws.name.trim(), ws]));
  const missing = IMPORT_SHEET_KEYS.filter((k) => !OPTIONAL_SHEETS.has(k)).map((k) => IMPORT_SHEETS[k].name).filter((n) => !byName.has(n));
  if (missing.length) {
    throw refuse('import.missingSheets', { names: missing.join('、'), found: wb.worksheets.map((w) => w.name).join('、') });
  }

  const out = {} as RawSheets;
  for (const key of IMPORT_SHEET_KEYS) {
    const spec = IMPORT_SHEETS[key];
    const ws = byName.get(spec.name);
    if (!ws) {
      out[key] = [];
      continue;
    }
    const merges = Object.values((ws as unknown as { _merges: Record<string, { range: string } | undefined> })._merges ?? {}).filter(Boolean);
    if (merges.length) throw refuse('import.mergedCells', { sheet: spec.name, range: merges.map((m) => m!.range).join('、') });

    const ncols = spec.columns.length;
    const header = ws.getRow(1);
    for (let c = 1; c <= ncols; c++) {
      const cell = header.getCell(c);
      const actual = cellOf(cell);
      const text = actual.t === 'text' ? actual.v : actual.t === 'empty' ? '' : String(actual.v);
      if (text === '' && !isFormula(cell) && OPTIONAL_COLUMNS.has(`${key}.${spec.columns[c - 1].key}`)) continue;
      if (isFormula(cell) || normHeader(text) !== normHeader(spec.columns[c - 1].header)) {
        throw refuse('import.badHeader', { sheet: spec.name, col: columnLetter(c), expected: spec.columns[c - 1].header, actual: text });
      }
    }

    const rows: RawRow[] = [];
    let formula: { row: number; col: number } | null = null;
    let formulas = 0;
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      if (n === 1) return;
      const cells: Cell[] = Array.from({ length: ncols }, () => EMPTY);
      let any = false;
      for (let c = 1; c <= ncols; c++) {
        const cell = row.getCell(c);
        if (isFormula(cell)) {
          formulas++;
          formula ??= { row: n, col: c };
          cells[c - 1] = EMPTY;
          continue;
        }
        const v = cellOf(cell);
        cells[c - 1] = v;
        if (v.t !== 'empty') any = true;
      }
      if (any) rows.push({ row: n, cells });
    });
    if (formula) {
      const f = formula as { row: number; col: number };
      const first = t('import.formula', { sheet: spec.name, row: f.row, col: columnLetter(f.col), header: spec.columns[f.col - 1].header });
      throw new AppError('VALIDATION', formulas > 1 ? first + t('import.moreFormulas', { count: formulas }) : first);
    }
    if (rows.length > MAX_ROWS_PER_SHEET) throw refuse('import.tooManyRows', { sheet: spec.name, max: MAX_ROWS_PER_SHEET });
    out[key] = rows;
  }
  return out;
}

/** Moves the decimal point of a plain non-negative decimal string: shiftDecimal("0.0435", 2) = "4.35". */
export function shiftDecimal(s: string, places: number): string | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  let digits = m[1] + (m[2] ?? '');
  let point = m[1].length + places;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits.padEnd(point, '0');
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

const inYears = (d: string) => isValidDate(d) && d >= '1900-01-01' && d <= '2200-12-31';
const USERNAME_RE = /^[A-Za-z0-9_.-]{2,32}$/;

/** Reads the cells of one row into typed values, recording one error per bad cell. */
class RowReader<S extends ImportSheetKey> {
  bad = false;
  private readonly index: Map<string, number>;

  constructor(
    private readonly sheet: S,
    private readonly raw: RawRow,
    private readonly errors: ImportCellError[],
    private readonly t: Translate,
    private readonly today: string,
  ) {
    this.index = new Map(IMPORT_SHEETS[sheet].columns.map((c, i) => [c.key as string, i]));
  }

  private cell(key: ImportColumnKey<S>): Cell {
    return this.raw.cells[this.index.get(key)!] ?? EMPTY;
  }

  err(key: ImportColumnKey<S>, reason: string): null {
    this.bad = true;
    const spec = IMPORT_SHEETS[this.sheet];
    this.errors.push({ sheet: spec.name, row: this.raw.row, column: spec.columns[this.index.get(key)!].header, reason });
    return null;
  }

  /** The cell as text, or null after recording an error value. Numbers become their shortest decimal form. */
  private asText(key: ImportColumnKey<S>): string | null {
    const c = this.cell(key);
    switch (c.t) {
      case 'empty':
        return '';
      case 'text':
      case 'date':
        return c.v;
      case 'number':
        return String(c.v);
      case 'bool':
        return c.v ? 'TRUE' : 'FALSE';
      case 'error':
        return this.err(key, this.t('import.cell.errorValue', { value: c.v }));
    }
  }

  text(key: ImportColumnKey<S>, max: number, required = false): string {
    const s = this.asText(key);
    if (s === null) return '';
    if (!s) {
      if (required) this.err(key, this.t('import.cell.required'));
      return '';
    }
    if (s.length > max) {
      this.err(key, this.t('import.cell.tooLong', { max }));
      return '';
    }
    return s;
  }

  /** An ID number typed as text; a number cell has already lost digits. */
  idText(key: ImportColumnKey<S>): string {
    if (this.cell(key).t === 'number') {
      this.err(key, this.t('import.cell.idAsNumber'));
      return '';
    }
    return this.text(key, 18, true).replace(/\s+/g, '').toUpperCase();
  }

  partyId(key: ImportColumnKey<S>, kind: PartyKind | null): string {
    const id = this.idText(key);
    if (!id || !kind) return id;
    const ok = kind === 'person' ? isValidResidentId(id, this.today) : isValidCreditCode(id);
    if (!ok) {
      this.err(key, this.t(kind === 'person' ? 'validation.residentId' : 'validation.creditCode'));
      return '';
    }
    return id;
  }

  choice<T>(key: ImportColumnKey<S>, options: Record<string, T>, required = true): T | null {
    const s = this.asText(key);
    if (s === null) return null;
    if (!s) return required ? this.err(key, this.t('import.cell.required')) : null;
    if (Object.hasOwn(options, s)) return options[s];
    return this.err(key, this.t('import.cell.choice', { options: Object.keys(options).join('、') }));
  }

  /** Yuan → fen, refused rather than rounded. A number cell is read through its shortest decimal string. */
  amount(key: ImportColumnKey<S>, required = true): number | null {
    const c = this.cell(key);
    let s: string;
    if (c.t === 'number') s = String(c.v);
    else if (c.t === 'text') s = c.v.replace(/^[¥￥]\s*/, '').replace(/\s*元$/, '');
    else if (c.t === 'empty') return required ? this.err(key, this.t('import.cell.required')) : null;
    else if (c.t === 'error') return this.err(key, this.t('import.cell.errorValue', { value: c.v }));
    else return this.err(key, this.t('import.cell.amount'));
    if (c.t === 'number' && /e/i.test(s)) return this.err(key, this.t(Math.abs(c.v) >= 1 ? 'import.cell.amountRange' : 'import.cell.amountDecimals'));
    let fen: number;
    try {
      fen = parseYuanToFen(s, { plain: true });
    } catch {
      // Same grammar as parseYuanToFen, to say which rule the amount broke.
      const m = /^(-?)(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/.exec(s);
      if (!m) return this.err(key, this.t('import.cell.amount'));
      if (m[1]) return this.err(key, this.t('import.cell.amountPositive'));
      if ((m[3] ?? '').length > 2) return this.err(key, this.t('import.cell.amountDecimals'));
      return this.err(key, this.t('import.cell.amountRange'));
    }
    if (fen <= 0) return this.err(key, this.t('import.cell.amountPositive'));
    return fen;
  }

  date(key: ImportColumnKey<S>, required = true): string | null {
    const c = this.cell(key);
    if (c.t === 'empty') return required ? this.err(key, this.t('import.cell.required')) : null;
    if ((c.t === 'date' || c.t === 'text') && /^\d{4}-\d{2}-\d{2}$/.test(c.v) && inYears(c.v)) return c.v;
    if (c.t === 'error') return this.err(key, this.t('import.cell.errorValue', { value: c.v }));
    return this.err(key, this.t('import.cell.date'));
  }

  /** Annual rate in per cent: 4.35, "4.35", "4.35%", or a percent-formatted 0.0435. */
  annualRate(key: ImportColumnKey<S>): string | null {
    const c = this.cell(key);
    let s: string | null;
    if (c.t === 'empty') return this.err(key, this.t('import.cell.required'));
    if (c.t === 'number') s = c.percent ? shiftDecimal(String(c.v), 2) : String(c.v);
    else if (c.t === 'text') s = c.v.replace(/\s*[%％]$/, '');
    else s = null;
    if (s === null || !/^\d{1,2}(\.\d{1,4})?$/.test(s) || !(Number(s) > 0 && Number(s) <= 36)) return this.err(key, this.t('validation.rate'));
    return s;
  }

  /** Penalty uplift as a fraction 0.3–0.5: 0.5, "0.5", "50%", or a percent-formatted 0.5. */
  uplift(key: ImportColumnKey<S>): string | null {
    const c = this.cell(key);
    let s: string | null;
    if (c.t === 'empty') return this.err(key, this.t('import.cell.required'));
    if (c.t === 'number') s = String(c.v);
    else if (c.t === 'text') s = /[%％]$/.test(c.v) ? shiftDecimal(c.v.replace(/\s*[%％]$/, ''), -2) : c.v;
    else s = null;
    if (s === null || !/^0\.\d{1,4}$/.test(s) || Number(s) < 0.3 || Number(s) > 0.5) return this.err(key, this.t('validation.uplift'));
    return s;
  }

  months(key: ImportColumnKey<S>): number | null {
    const c = this.cell(key);
    if (c.t === 'empty') return this.err(key, this.t('import.cell.required'));
    const n = c.t === 'number' ? c.v : c.t === 'text' && /^\d{1,3}$/.test(c.v) ? Number(c.v) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > 360) return this.err(key, this.t('import.cell.months'));
    return n;
  }

  guaranteeModes(key: ImportColumnKey<S>): GuaranteeMode[] {
    const s = this.asText(key);
    if (s === null) return [];
    const parts = s.split(/[、,，;；/\s]+/).filter(Boolean);
    if (parts.length === 0) {
      this.err(key, this.t('import.cell.required'));
      return [];
    }
    const modes: GuaranteeMode[] = [];
    for (const p of parts) {
      if (!Object.hasOwn(GUARANTEE_MODE_CELLS, p)) {
        this.err(key, this.t('import.cell.choice', { options: Object.keys(GUARANTEE_MODE_CELLS).join('、') }));
        return [];
      }
      if (!modes.includes(GUARANTEE_MODE_CELLS[p])) modes.push(GUARANTEE_MODE_CELLS[p]);
    }
    return modes;
  }

  username(key: ImportColumnKey<S>): string {
    const s = this.text(key, 32, true);
    if (s && !USERNAME_RE.test(s)) {
      this.err(key, this.t('import.cell.username'));
      return '';
    }
    return s;
  }
}

/**
 * Turns the raw cells into typed rows. Every bad cell is reported; a field that cannot be read is null (or
 * empty text) in the row. Checks that need the database or other rows are the service's.
 */
export function parseRows(raw: RawSheets, t: Translate, today: string): ReadResult {
  const errors: ImportCellError[] = [];
  const bad = Object.fromEntries(IMPORT_SHEET_KEYS.map((k) => [k, new Set<number>()])) as ReadResult['bad'];
  const reader = <S extends ImportSheetKey>(sheet: S, r: RawRow) => new RowReader(sheet, r, errors, t, today);
  const done = (sheet: ImportSheetKey, r: { bad: boolean }, row: number) => {
    if (r.bad) bad[sheet].add(row);
  };

  const rows: ImportRows = { borrowers: [], loans: [], guarantors: [], collateral: [], repayments: [], drawdowns: [] };
  for (const r of raw.borrowers) {
    const x = reader('borrowers', r);
    const kind = x.choice('kind', PARTY_KIND_CELLS);
    rows.borrowers.push({
      row: r.row,
      kind,
      name: x.text('name', 100, true),
      idNumber: x.partyId('idNumber', kind),
      phone: x.text('phone', 30),
      address: x.text('address', 200),
      employer: x.text('employer', 100),
      legalRep: x.text('legalRep', 50),
      industry: x.text('industry', 50),
      registeredCapitalFen: x.amount('registeredCapital', false),
      tier: x.choice('tier', TIER_CELLS, false) ?? 'normal',
    });
    done('borrowers', x, r.row);
  }
  for (const r of raw.loans) {
    const x = reader('loans', r);
    rows.loans.push({
      row: r.row,
      contractNo: x.text('contractNo', 40, true),
      borrowerIdNumber: x.idText('borrowerIdNumber'),
      product: x.text('product', 50, true),
      principalFen: x.amount('principal'),
      annualRate: x.annualRate('annualRate'),
      penaltyUplift: x.uplift('penaltyUplift'),
      months: x.months('months'),
      method: x.choice<RepaymentMethod>('method', METHOD_CELLS),
      startDate: x.date('startDate'),
      purpose: x.text('purpose', 200),
      guaranteeModes: x.guaranteeModes('guaranteeModes'),
      officer: x.username('officer'),
      contractAmountFen: x.amount('contractAmount', false),
      maturityDate: null,
    });
    done('loans', x, r.row);
  }
  for (const r of raw.guarantors) {
    const x = reader('guarantors', r);
    const kind = x.choice('kind', PARTY_KIND_CELLS);
    rows.guarantors.push({
      row: r.row,
      contractNo: x.text('contractNo', 40, true),
      kind,
      name: x.text('name', 100, true),
      idNumber: x.partyId('idNumber', kind),
      phone: x.text('phone', 30),
      guaranteeType: x.choice('guaranteeType', GUARANTEE_TYPE_CELLS),
      amountFen: x.amount('amount'),
      periodEnd: x.date('periodEnd'),
    });
    done('guarantors', x, r.row);
  }
  for (const r of raw.collateral) {
    const x = reader('collateral', r);
    rows.collateral.push({
      row: r.row,
      contractNo: x.text('contractNo', 40, true),
      kind: x.choice('kind', COLLATERAL_KIND_CELLS),
      type: x.text('type', 30, true),
      description: x.text('description', 300, true),
      owner: x.text('owner', 100, true),
      valueFen: x.amount('value'),
      valuedOn: x.date('valuedOn'),
      registrationAuthority: x.text('registrationAuthority', 100),
      registrationNo: x.text('registrationNo', 60),
      certNo: x.text('certNo', 60),
    });
    done('collateral', x, r.row);
  }
  for (const r of raw.repayments) {
    const x = reader('repayments', r);
    rows.repayments.push({
      row: r.row,
      contractNo: x.text('contractNo', 40, true),
      paidOn: x.date('paidOn'),
      amountFen: x.amount('amount'),
      note: x.text('note', 300),
    });
    done('repayments', x, r.row);
  }
  for (const r of raw.drawdowns) {
    const x = reader('drawdowns', r);
    rows.drawdowns.push({ row: r.row, contractNo: x.text('contractNo', 40, true), drawnOn: x.date('drawnOn'), amountFen: x.amount('amount'), voucherNo: x.text('voucherNo', 60) });
    done('drawdowns', x, r.row);
  }
  return { rows, errors, bad };
}

/** Reads an import workbook into typed rows with per-cell errors; throws AppError VALIDATION for a bad file. */
export async function readImportWorkbook(buf: Buffer, fileName: string, t: Translate, today: string): Promise<ReadResult> {
  return parseRows(await readRawWorkbook(buf, fileName, t), t, today);
}
