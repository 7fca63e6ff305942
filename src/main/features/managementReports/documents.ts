import { addDays } from '../../../shared/domain';
import type { MonthlyFigures } from '../../../shared/ipc/managementReports';
import type { AppContext } from '../../kernel/context';
import { letterhead } from '../loans/printing';
import { requirePermission } from '../../kernel/authz';
import { readSettings } from '../../kernel/settings';
import { requireStore, type Store } from '../../kernel/store';
import { renderPdf } from '../../pdf/render';
import { monthlyReportDoc } from './pdf';
import { concentrationAt, factoringAgeing, kpisAt, migrationAt, vintageAt } from './reports';
import { factsAt } from './snapshots';
import { monthlyWorkbook } from './workbook';

/**
 * The monthly report's figures of one date: KPIs, concentration (with the factoring limits in force), the
 * migration since the month-end before, vintage and the factoring receivables' ageing.
 */
async function figures(ctx: AppContext, asOf: string): Promise<{ store: Store; fig: MonthlyFigures }> {
  const store = requireStore(ctx);
  const { db } = store;
  const k = await kpisAt(db, asOf);
  const c = await concentrationAt(db, asOf);
  const m = await migrationAt(db, { fromAsOf: addDays(`${asOf.slice(0, 7)}-01`, -1), asOf });
  const v = await vintageAt(db, { asOf });
  const f = await factsAt(db, asOf);
  const ageing = await factoringAgeing(db, asOf, f.facts.filter((x) => x.kind === 'factoring').map((x) => x.loan_id));
  return { store, fig: { k, c, m, v, ageing } };
}

export async function monthlyXlsxBuffer(ctx: AppContext, asOf: string): Promise<Buffer> {
  requirePermission(ctx, 'portfolio.reports');
  const { store, fig } = await figures(ctx, asOf);
  return monthlyWorkbook(ctx, fig, (await readSettings(store.db)).institution);
}

export async function monthlyPdfBuffer(ctx: AppContext, asOf: string): Promise<Buffer> {
  requirePermission(ctx, 'portfolio.reports');
  const { store, fig } = await figures(ctx, asOf);
  return renderPdf(ctx.paths.resourcesDir, monthlyReportDoc(fig, await letterhead(ctx, store)));
}

export async function monthlyXlsx(ctx: AppContext, input: { asOf: string }): Promise<{ fileName: string; base64: string }> {
  const buf = await monthlyXlsxBuffer(ctx, input.asOf);
  return { fileName: ctx.t('managementReports.xlsxFile', { date: input.asOf }), base64: buf.toString('base64') };
}

export async function monthlyPdf(ctx: AppContext, input: { asOf: string }): Promise<{ fileName: string; base64: string }> {
  const buf = await monthlyPdfBuffer(ctx, input.asOf);
  return { fileName: ctx.t('managementReports.pdfFile', { date: input.asOf }), base64: buf.toString('base64') };
}
