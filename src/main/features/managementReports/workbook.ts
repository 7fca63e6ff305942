import ExcelJS from 'exceljs';
import { DPD_BUCKETS, LEVEL_LABELS, LEVELS } from '../../../shared/domain';
import type { MonthlyFigures, ShareRow } from '../../../shared/ipc/managementReports';
import type { AppContext } from '../../kernel/context';

const MONEY = '#,##0.00';
const PCT = '0.00%';
const yuan = (fen: number) => fen / 100;

/**
 * 贷后管理月报 as a workbook, one sheet per table: the KPIs, five-level classification, overdue by bucket, the ten
 * largest borrowers, provisions, concentration by industry and by product, factoring by debtor (with the limits,
 * breaches and related parties) and by seller, the class migration by count and by balance, vintage and the
 * factoring receivables' ageing. Amounts in yuan (fen ÷ 100, two decimals), ratios as percentages.
 */
export async function monthlyWorkbook(ctx: AppContext, { k, c, m, v, ageing }: MonthlyFigures, institution: string): Promise<Buffer> {
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

  const shares = (name: string, title: string, keyHead: string, rows: ShareRow[]) => {
    const ws = sheet(name, title, [t('managementReports.col.rank'), keyHead, t('managementReports.col.count'), t('managementReports.col.balance'), t('managementReports.col.share')], [8, 30, 10, 20, 12]);
    rows.forEach((r, i) => ws.addRow([i + 1, r.key || t('managementReports.analysis.unset'), r.count, yuan(r.balanceFen), r.share]));
    money(ws, [4]);
    pct(ws, [5]);
    return ws;
  };
  shares(t('managementReports.sheet.industry'), t('managementReports.analysis.byIndustry'), t('managementReports.analysis.industry'), c.byIndustry);
  shares(t('managementReports.sheet.product'), t('managementReports.analysis.byProduct'), t('managementReports.analysis.product'), c.byProduct);

  const f = c.factoring;
  const s7 = sheet(
    t('managementReports.sheet.debtors'),
    `${t('managementReports.analysis.factoring')} · ${t('managementReports.analysis.byDebtor')}`,
    [t('managementReports.col.rank'), t('managementReports.analysis.debtor'), t('managementReports.analysis.related'), t('managementReports.col.balance'), t('managementReports.col.share'), t('managementReports.analysis.breach')],
    [8, 30, 12, 20, 12, 12],
  );
  const mark = (b: boolean) => (b ? '✓' : '');
  f.byDebtor.forEach((r, i) => s7.addRow([i + 1, r.key || t('managementReports.analysis.noReceivables'), mark(r.relatedParty), yuan(r.balanceFen), r.share, mark(r.breach)]));
  s7.addRow(['', t('managementReports.col.total'), '', yuan(f.balanceFen), f.balanceFen ? 1 : null, '']).font = { bold: true };
  s7.addRow(['', t('managementReports.col.relatedTotal'), f.relatedParty.debtors, yuan(f.relatedParty.balanceFen), f.relatedParty.share, mark(f.relatedParty.breach)]).font = { bold: true };
  s7.addRow(['', t('managementReports.col.debtorLimit'), '', null, f.limits.debtorMaxBp / 10_000, '']);
  s7.addRow(['', t('managementReports.col.relatedLimit'), '', null, f.limits.relatedMaxBp / 10_000, '']);
  s7.addRow(['', t('managementReports.col.breaches'), f.breaches, null, null, '']);
  money(s7, [4]);
  pct(s7, [5]);
  shares(t('managementReports.sheet.sellers'), `${t('managementReports.analysis.factoring')} · ${t('managementReports.analysis.bySeller')}`, t('managementReports.analysis.seller'), f.bySeller);

  const cols = [...LEVELS, 'closed', 'written-off'] as const;
  const colHead = (x: (typeof cols)[number]) => (x === 'closed' ? t('managementReports.col.closed') : x === 'written-off' ? t('managementReports.col.writtenOff') : LEVEL_LABELS[x][lang]);
  for (const measure of ['count', 'balance'] as const) {
    const ws = sheet(
      measure === 'count' ? t('managementReports.sheet.migrationCount') : t('managementReports.sheet.migrationBalance'),
      `${t('managementReports.table.migration')} · ${t(measure === 'count' ? 'managementReports.analysis.byCount' : 'managementReports.analysis.byBalance')} (${m.fromAsOf} → ${m.asOf})`,
      [t('managementReports.col.from'), ...cols.map(colHead), t('managementReports.col.total')],
      [16, ...cols.map(() => 16), 18],
    );
    const val = (x: { count: number; balanceFen: number }) => (measure === 'count' ? x.count : yuan(x.balanceFen));
    for (const r of m.byClass) ws.addRow([LEVEL_LABELS[r.from][lang], ...cols.map((to) => val(r.to[to])), val({ count: cols.reduce((n, to) => n + r.to[to].count, 0), balanceFen: cols.reduce((n, to) => n + r.to[to].balanceFen, 0) })]);
    ws.addRow([t('managementReports.col.newLoans'), ...cols.map(() => null), val(m.newLoans)]);
    if (measure === 'balance') money(ws, cols.map((_, i) => i + 2).concat(cols.length + 2));
  }

  const s9 = sheet(
    t('managementReports.sheet.vintage'),
    t('managementReports.table.vintage'),
    [t('managementReports.analysis.vintage'), t('managementReports.col.count'), t('managementReports.analysis.principal'), t('managementReports.col.balance'), t('managementReports.col.overdueBalance'), t('managementReports.col.nplBalance'), t('managementReports.analysis.nplOfPrincipal')],
    [12, 10, 20, 20, 20, 20, 14],
  );
  for (const r of v.rows) s9.addRow([r.vintage, r.loans, yuan(r.principalFen), yuan(r.balanceFen), yuan(r.overdueBalanceFen), yuan(r.nplBalanceFen), r.nplOfPrincipal]);
  money(s9, [3, 4, 5, 6]);
  pct(s9, [7]);

  const s10 = sheet(
    t('managementReports.sheet.ageing'),
    t('managementReports.table.ageing'),
    [t('managementReports.col.ageing'), t('managementReports.col.receivables'), t('managementReports.col.outstanding'), t('managementReports.col.share')],
    [22, 10, 20, 12],
  );
  for (const b of ageing.buckets) s10.addRow([t(`managementReports.ageing.${b.bucket}`), b.count, yuan(b.outstandingFen), b.share]);
  s10.addRow([t('managementReports.col.total'), ageing.buckets.reduce((n, b) => n + b.count, 0), yuan(ageing.outstandingFen), ageing.outstandingFen ? 1 : null]).font = { bold: true };
  money(s10, [3]);
  pct(s10, [4]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
