import type { ManagementReportsOutputs } from '../../../shared/ipc/managementReports';
import type { Handlers } from '../../kernel/dispatch';
import { monthlyPdf, monthlyXlsx } from './documents';
import { concentration, getConcentrationLimits, kpis, migration, setConcentrationLimits, trend, vintage } from './reports';
import { getProvisionRates, listSnapshots, recordProvisionHeld, retakeSnapshot, setProvisionRates, takeSnapshot } from './snapshots';

export const managementReportsHandlers: Handlers<keyof ManagementReportsOutputs> = {
  'managementReports.snapshots': (ctx) => listSnapshots(ctx),
  'managementReports.takeSnapshot': (ctx, input) => takeSnapshot(ctx, input),
  'managementReports.retakeSnapshot': (ctx, input) => retakeSnapshot(ctx, input),
  'managementReports.kpis': (ctx, input) => kpis(ctx, input),
  'managementReports.trend': (ctx, input) => trend(ctx, input),
  'managementReports.migration': (ctx, input) => migration(ctx, input),
  'managementReports.concentration': (ctx, input) => concentration(ctx, input),
  'managementReports.vintage': (ctx, input) => vintage(ctx, input),
  'managementReports.provisionRates': (ctx) => getProvisionRates(ctx),
  'managementReports.setProvisionRates': (ctx, input) => setProvisionRates(ctx, input),
  'managementReports.concentrationLimits': (ctx) => getConcentrationLimits(ctx),
  'managementReports.setConcentrationLimits': (ctx, input) => setConcentrationLimits(ctx, input),
  'managementReports.recordProvisionHeld': (ctx, input) => recordProvisionHeld(ctx, input),
  'managementReports.xlsx': (ctx, input) => monthlyXlsx(ctx, input),
  'managementReports.pdf': (ctx, input) => monthlyPdf(ctx, input),
};
