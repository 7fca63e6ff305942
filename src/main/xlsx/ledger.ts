import ExcelJS from 'exceljs';
import type { LedgerEntry } from '../../shared/ipc/repayments';
import type { AppContext } from '../kernel/context';

/** Amounts go into cells as yuan with a 2-decimal format; fen ÷ 100 is exact for display at this size. */
export async function ledgerWorkbook(ctx: AppContext, contractNo: string, entries: LedgerEntry[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'LoanKeeper';
  const ws = wb.addWorksheet(ctx.t('ledger.sheet'));
  ws.addRow([ctx.t('ledger.title', { no: contractNo })]).font = { bold: true, size: 14 };
  const header = ws.addRow(['date', 'kind', 'description', 'amount', 'principal', 'interest', 'penalty', 'balance', 'by'].map((k) => ctx.t(`ledger.col.${k}` as never)));
  header.font = { bold: true };
  for (const e of entries) {
    ws.addRow([e.date, ctx.t(`ledger.kind.${e.kind}` as never), e.description, e.amountFen / 100, e.principalFen / 100, e.interestFen / 100, e.penaltyFen / 100, e.balanceFen / 100, e.by]);
  }
  for (const col of [4, 5, 6, 7, 8]) ws.getColumn(col).numFmt = '#,##0.00';
  ws.columns.forEach((c, i) => (c.width = [12, 10, 40, 14, 14, 12, 12, 16, 12][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
