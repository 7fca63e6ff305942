import ExcelJS from 'exceljs';
import { DPD_BUCKETS, LEVEL_LABELS, LEVELS } from '../../../shared/domain';
import type { Concentration, Kpis } from '../../../shared/ipc/managementReports';
import type { AppContext } from '../../kernel/context';

const MONEY = '#,##0.00';
const PCT = '0.00%';
const yuan = (fen: number) => fen / 100;

/**
 * 贷后管理月报 as a workbook, one sheet per table: the KPIs, five-level classification, overdue by bucket,
 * the ten largest borrowers, provisions. Amounts in yuan (fen ÷ 100, two decimals), ratios as percentages.
 */
export async function monthlyWorkbook(ctx: AppContext, k: Kpis, c: Concentration, institution: string): Promise<Buffer> {
  const t = ctx.t.bind(ctx);
  const lang = ctx.config.locale === 'en' ? 'en' : 'zh';
  const wb = new ExcelJS.Workbook();
  wb.creator = 'LoanKeeper';
  const sheet = (name: string, title: string, head: string[], widths: number[]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow([title]).font = { bold: true, size: 14 };
    ws.addRow([`${institution}  ${t('managementReports.asOf')}：${k.asOf}  ${t(`managementReports.source.${k.source}`)}`]);
    ws.addRow(head).font = { bold: true };
    widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
    return ws;
  };
  const pct = (ws: ExcelJS.Worksheet, cols: number[]) => cols.forEach((i) => (ws.getColumn(i).numFmt = PCT));
  const money = (ws: ExcelJS.Worksheet, cols: number[]) => cols.forEach((i) => (ws.getColumn(i).numFmt = MONEY));

  const s0 = sheet(t('managementReports.sheet.summary'), t('managementReports.reportTitle'), [t('managementReports.col.item'), t('managementReports.col.value')], [34, 20]);
  const kv: [string, number | null, 'fen' | 'pct' | 'n'][] = [
    [t('managementReports.kpi.loans'), k.loans, 'n'],
    [t('managementReports.kpi.balance'), k.balanceFen, 'fen'],
    [t('managementReports.kpi.overdueBalance'), k.overdueBalanceFen, 'fen'],
    [t('managementReports.kpi.overdueRate'), k.overdueRate, 'pct'],
    [t('managementReports.kpi.overdueCountRate'), k.overdueCountRate, 'pct'],
    [t('managementReports.kpi.nplBalance'), k.nplBalanceFen, 'fen'],
    [t('managementReports.kpi.nplRatio'), k.nplRatio, 'pct'],
    [t('managementReports.kpi.provisionRequired'), k.provisionRequiredFen, 'fen'],
    [t('managementReports.kpi.provisionHeld'), k.provisionHeldFen, 'fen'],
    [t('managementReports.kpi.coverageRatio'), k.coverageRatio, 'pct'],
    [t('managementReports.kpi.writeOffs'), k.activity.writeOffs.balanceFen, 'fen'],
    [t('managementReports.kpi.recoveries'), k.activity.recoveries.amountFen, 'fen'],
    [t('managementReports.kpi.promisesKept'), k.activity.promises.rate, 'pct'],
    [t('managementReports.kpi.receiptsInTime'), k.activity.receipts.rate, 'pct'],
    [t('managementReports.kpi.inspectionsOnTime'), k.activity.inspections.rate, 'pct'],
    [t('managementReports.kpi.reportsSignedOnTime'), k.activity.reportsSigned?.rate ?? null, 'pct'],
    [t('managementReports.kpi.openWarnings'), k.activity.warnings.open, 'n'],
  ];
  for (const [label, v, kind] of kv) {
    const cell = s0.addRow([label, v === null ? '—' : kind === 'fen' ? yuan(v) : v]).getCell(2);
    cell.numFmt = kind === 'fen' ? MONEY : kind === 'pct' ? PCT : '0';
  }

  const s1 = sheet(
    t('managementReports.sheet.classes'),
    t('managementReports.table.classes'),
    [t('managementReports.col.class'), t('managementReports.col.count'), t('managementReports.col.balance'), t('managementReports.col.share')],
    [16, 10, 20, 12],
  );
  for (const l of LEVELS) s1.addRow([LEVEL_LABELS[l][lang], k.byClass[l].count, yuan(k.byClass[l].balanceFen), k.balanceFen ? k.byClass[l].balanceFen / k.balanceFen : null]);
  s1.addRow([t('managementReports.col.total'), k.loans, yuan(k.balanceFen), k.balanceFen ? 1 : null]).font = { bold: true };
  money(s1, [3]);
  pct(s1, [4]);

  const s2 = sheet(
    t('managementReports.sheet.buckets'),
    t('managementReports.table.buckets'),
    [t('managementReports.col.bucket'), t('managementReports.col.count'), t('managementReports.col.balance'), t('managementReports.col.share')],
    [16, 10, 20, 12],
  );
  for (const b of DPD_BUCKETS) s2.addRow([b, k.byBucket[b].count, yuan(k.byBucket[b].balanceFen), k.balanceFen ? k.byBucket[b].balanceFen / k.balanceFen : null]);
  s2.addRow([t('managementReports.col.total'), k.loans, yuan(k.balanceFen), k.balanceFen ? 1 : null]).font = { bold: true };
  money(s2, [3]);
  pct(s2, [4]);

  const s3 = sheet(
    t('managementReports.sheet.top10'),
    t('managementReports.table.top10'),
    [t('managementReports.col.rank'), t('managementReports.col.borrower'), t('managementReports.col.count'), t('managementReports.col.balance'), t('managementReports.col.share')],
    [8, 30, 10, 20, 12],
  );
  c.topBorrowers.forEach((r, i) => s3.addRow([i + 1, r.key, r.count, yuan(r.balanceFen), r.share]));
  s3.addRow(['', t('managementReports.col.top10Total'), c.topBorrowers.reduce((n, r) => n + r.count, 0), yuan(c.topBorrowers.reduce((n, r) => n + r.balanceFen, 0)), c.top10Share]).font = { bold: true };
  money(s3, [4]);
  pct(s3, [5]);

  const s4 = sheet(
    t('managementReports.sheet.provisions'),
    t('managementReports.table.provisions'),
    [t('managementReports.col.class'), t('managementReports.col.balance'), t('managementReports.col.rate'), t('managementReports.col.provision')],
    [22, 20, 12, 20],
  );
  for (const l of LEVELS) s4.addRow([LEVEL_LABELS[l][lang], yuan(k.byClass[l].balanceFen), k.byClass[l].provisionRateBp / 10_000, yuan(k.byClass[l].provisionFen)]);
  s4.addRow([t('managementReports.col.factoringFloor'), yuan(k.factoring.balanceFen), k.rates.factoringReserveMinBp / 10_000, yuan(k.factoring.reserveMinFen)]);
  s4.addRow([t('managementReports.kpi.provisionRequired'), null, null, yuan(k.provisionRequiredFen)]).font = { bold: true };
  s4.addRow([t('managementReports.kpi.provisionHeld'), null, null, k.provisionHeldFen === null ? '—' : yuan(k.provisionHeldFen)]);
  s4.addRow([t('managementReports.kpi.coverageRatio'), null, null, k.coverageRatio]).getCell(4).numFmt = PCT;
  money(s4, [2]);
  pct(s4, [3]);
  for (let r = 4; r <= 4 + LEVELS.length + 2; r++) s4.getRow(r).getCell(4).numFmt = MONEY;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
