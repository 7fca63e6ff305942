import ExcelJS from 'exceljs';
import { LEVEL_LABELS, LEVELS } from '../../shared/domain';
import type { LimitationEvidence } from '../../shared/ipc/collections';
import { type LimitationReport, type OverdueSummary, LIMITATION_BANDS } from '../../shared/ipc/portfolioReports';
import type { AppContext } from '../kernel/context';

const MONEY = '#,##0.00';

function evidenceText(ctx: AppContext, e: LimitationEvidence): string {
  return ctx.t('portfolioReports.evidenceLine', { date: e.date, kind: ctx.t(`limitationUi.kindLabel.${e.kind}`), description: e.description, strength: ctx.t(`limitationUi.strengthLabel.${e.strength}`) });
}

function heading(ctx: AppContext, ws: ExcelJS.Worksheet, title: string, asOf: string, officer: string | null, officerName: string | null): void {
  ws.addRow([title]).font = { bold: true, size: 14 };
  const lv = (label: string, value: string) => ctx.t('portfolioReports.labelValue', { label, value });
  ws.addRow([lv(ctx.t('portfolioReports.asOf'), asOf), lv(ctx.t('portfolioReports.officer'), officer ? (officerName ?? officer) : ctx.t('portfolioReports.allOfficers'))]);
}

/** One row per claim, soonest first; the evidence the expiry runs from, then all of it. */
export async function limitationWorkbook(ctx: AppContext, r: LimitationReport, officerName: string | null): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'LoanKeeper';
  const ws = wb.addWorksheet(ctx.t('portfolioReports.limitationTab'));
  heading(ctx, ws, ctx.t('portfolioReports.limitationTitle'), r.asOf, r.officer, officerName);
  ws.addRow(LIMITATION_BANDS.map((b) => ctx.t('portfolioReports.labelValue', { label: ctx.t(`portfolioReports.band.${b}`), value: String(r.counts[b]) })));
  const cols = ['band', 'expiry', 'daysLeft', 'contractNo', 'borrower', 'party', 'partyName', 'basis', 'officer', 'evidence', 'allEvidence'] as const;
  ws.addRow(cols.map((k) => ctx.t(`portfolioReports.col.${k}`))).font = { bold: true };
  for (const c of r.claims) {
    ws.addRow([
      ctx.t(`portfolioReports.band.${c.band}`),
      c.expiry,
      c.daysLeft,
      c.contractNo,
      c.borrowerName,
      ctx.t(`portfolioReports.party.${c.party}`),
      c.partyName,
      ctx.t(`portfolioReports.basis.${c.basis}`),
      c.officerName,
      c.evidence[0] ? evidenceText(ctx, c.evidence[0]) : '',
      c.evidence.map((e) => evidenceText(ctx, e)).join('\n'),
    ]).alignment = { vertical: 'top', wrapText: true };
  }
  ws.columns.forEach((c, i) => (c.width = [14, 12, 9, 18, 22, 9, 14, 11, 12, 48, 60][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Buckets down, classes across: count and balance in yuan (fen ÷ 100, 2 decimals), then the subtotal and total. */
export async function overdueWorkbook(ctx: AppContext, r: OverdueSummary, officerName: string | null): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'LoanKeeper';
  const ws = wb.addWorksheet(ctx.t('portfolioReports.overdueTab'));
  heading(ctx, ws, ctx.t('portfolioReports.overdueTitle'), r.asOf, r.officer, officerName);
  const lang = ctx.config.locale === 'en' ? 'en' : 'zh';
  const top = ['', '', '', '', ...LEVELS.flatMap((l) => [LEVEL_LABELS[l][lang], ''])];
  ws.addRow(top).font = { bold: true };
  const head = ws.addRow([
    ctx.t('portfolioReports.col.bucket'),
    ctx.t('portfolioReports.col.count'),
    ctx.t('portfolioReports.col.balance'),
    ctx.t('portfolioReports.col.overdue'),
    ...LEVELS.flatMap(() => [ctx.t('portfolioReports.col.count'), ctx.t('portfolioReports.col.balance')]),
  ]);
  head.font = { bold: true };
  const yuan = (fen: number) => fen / 100;
  for (const row of r.rows) {
    ws.addRow([row.bucket, row.count, yuan(row.balanceFen), yuan(row.overdueFen), ...LEVELS.flatMap((l) => [row.byLevel[l].count, yuan(row.byLevel[l].balanceFen)])]);
  }
  ws.addRow([ctx.t('portfolioReports.overdueSubtotal'), r.overdue.count, yuan(r.overdue.balanceFen), yuan(r.overdue.overdueFen)]).font = { bold: true };
  ws.addRow([ctx.t('portfolioReports.total'), r.total.count, yuan(r.total.balanceFen), yuan(r.total.overdueFen), ...LEVELS.flatMap((l) => [r.levels[l].count, yuan(r.levels[l].balanceFen)])]).font = {
    bold: true,
  };
  for (const col of [3, 4, ...LEVELS.map((_, i) => 6 + i * 2)]) ws.getColumn(col).numFmt = MONEY;
  ws.columns.forEach((c, i) => (c.width = i === 0 ? 24 : i < 4 ? 16 : i % 2 === 0 ? 8 : 16));

  const why = wb.addWorksheet(ctx.t('portfolioReports.reasonsSheet'));
  heading(ctx, why, ctx.t('portfolioReports.reasonsTitle'), r.asOf, r.officer, officerName);
  why.addRow([ctx.t('portfolioReports.reasonCol'), ctx.t('portfolioReports.col.count'), ctx.t('portfolioReports.col.balance'), ctx.t('portfolioReports.col.overdue')]).font = { bold: true };
  for (const row of r.reasons) why.addRow([ctx.t(`delinquency.reason.${row.reason}`), row.count, yuan(row.balanceFen), yuan(row.overdueFen)]);
  why.addRow([ctx.t('portfolioReports.overdueSubtotal'), r.overdue.count, yuan(r.overdue.balanceFen), yuan(r.overdue.overdueFen)]).font = { bold: true };
  for (const col of [3, 4]) why.getColumn(col).numFmt = MONEY;
  why.columns.forEach((c, i) => (c.width = i === 0 ? 24 : 16));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
