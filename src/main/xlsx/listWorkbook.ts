import ExcelJS from 'exceljs';

/** How a column's values go into cells: money in fen becomes yuan with two decimals; dates stay `YYYY-MM-DD` text, as in the ledger. */
export type CellKind = 'text' | 'money' | 'date' | 'int';

export interface SheetColumn {
  header: string;
  kind: CellKind;
  width?: number;
}

export interface ListSheet {
  sheetName: string;
  title: string;
  /** The lines above the table: the filters applied, then the data date, export time and user. */
  lines: string[];
  columns: SheetColumn[];
  /** One array per row, in column order; money in fen. */
  rows: (string | number | null)[][];
}

const MONEY = '#,##0.00';
const WIDTH: Record<CellKind, number> = { text: 16, money: 16, date: 12, int: 10 };

/** Row 1 the title, then the lines, then the bold header row and one row per record. */
export async function listWorkbook(sheet: ListSheet): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'LoanKeeper';
  // Excel refuses sheet names over 31 characters or with []:*?/\.
  const ws = wb.addWorksheet(sheet.sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
  ws.addRow([sheet.title]).font = { bold: true, size: 14 };
  for (const line of sheet.lines) ws.addRow([line]);
  ws.addRow(sheet.columns.map((c) => c.header)).font = { bold: true };
  for (const r of sheet.rows) {
    ws.addRow(r.map((v, i) => (v === null ? null : sheet.columns[i].kind === 'money' ? (v as number) / 100 : v)));
  }
  sheet.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width ?? WIDTH[c.kind];
    if (c.kind === 'money') col.numFmt = MONEY;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
