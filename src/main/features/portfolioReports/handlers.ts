import type { Handlers } from '../../kernel/dispatch';
import { limitationReport, limitationXlsx, overdueSummary, overdueXlsx } from './portfolioReports';

export const portfolioReportsHandlers: Handlers<'portfolioReports.limitation' | 'portfolioReports.limitationXlsx' | 'portfolioReports.overdue' | 'portfolioReports.overdueXlsx'> = {
  'portfolioReports.limitation': (ctx, input) => limitationReport(ctx, input),
  'portfolioReports.limitationXlsx': (ctx, input) => limitationXlsx(ctx, input),
  'portfolioReports.overdue': (ctx, input) => overdueSummary(ctx, input),
  'portfolioReports.overdueXlsx': (ctx, input) => overdueXlsx(ctx, input),
};
