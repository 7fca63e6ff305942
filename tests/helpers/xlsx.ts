import ExcelJS from 'exceljs';

/** A list export's first sheet as rows of cell text (empty rows left out): title, filters, stamp, header, then the rows. */
export async function readSheet(base64: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const v = row.getCell(c).value;
      cells.push(v === null || v === undefined ? '' : typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : String(v));
    }
    if (cells.some((c) => c !== '')) rows.push(cells);
  });
  return rows;
}
