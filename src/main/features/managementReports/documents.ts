import type { AppContext } from '../../kernel/context';
import { letterhead } from '../../services/printing';
import { requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { requireStore } from '../../kernel/store';
import { renderPdf } from '../../pdf/render';
import { monthlyReportDoc } from './pdf';
import { concentrationOf, kpisAt } from './reports';
import { factsAt } from './snapshots';
import { monthlyWorkbook } from './workbook';

/** The monthly report's figures: KPIs and concentration of one date, from the same facts. */
async function figures(ctx: AppContext, asOf: string) {
  const store = requireStore(ctx);
  const k = await kpisAt(store, asOf);
  const f = await factsAt(store, asOf);
  return { store, k, c: concentrationOf(asOf, f.source, f.facts) };
}

export async function monthlyXlsxBuffer(ctx: AppContext, asOf: string): Promise<Buffer> {
  requirePermission(ctx, 'portfolio.reports');
  const { store, k, c } = await figures(ctx, asOf);
  return monthlyWorkbook(ctx, k, c, (await readSettings(store.db)).institution);
}

export async function monthlyPdfBuffer(ctx: AppContext, asOf: string): Promise<Buffer> {
  requirePermission(ctx, 'portfolio.reports');
  const { store, k, c } = await figures(ctx, asOf);
  return renderPdf(ctx.paths.resourcesDir, monthlyReportDoc(k, c, await letterhead(ctx, store)));
}

export async function monthlyXlsx(ctx: AppContext, input: { asOf: string }): Promise<{ fileName: string; base64: string }> {
  const buf = await monthlyXlsxBuffer(ctx, input.asOf);
  return { fileName: ctx.t('managementReports.xlsxFile', { date: input.asOf }), base64: buf.toString('base64') };
}

export async function monthlyPdf(ctx: AppContext, input: { asOf: string }): Promise<{ fileName: string; base64: string }> {
  const buf = await monthlyPdfBuffer(ctx, input.asOf);
  return { fileName: ctx.t('managementReports.pdfFile', { date: input.asOf }), base64: buf.toString('base64') };
}
