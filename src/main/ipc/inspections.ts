import type { Handlers } from '../kernel/dispatch';
import { importCalendar, listCalendar } from '../services/calendar';
import { listInspections } from '../services/inspections';
import {
  acceptReport,
  attachToReport,
  correctReport,
  createReport,
  detachFromReport,
  getDocument,
  getReport,
  reportQueue,
  returnReport,
  signReport,
  submitReport,
  updateReport,
} from '../services/reports';
import { reportPdf } from '../services/printing';
import * as lists from '../services/listExports';

export const inspectionsHandlers: Handlers<'inspections.list' | 'inspections.exportXlsx' | 'calendar.list' | 'calendar.import'> = {
  'inspections.list': (ctx, input) => listInspections(ctx, input),
  'inspections.exportXlsx': (ctx, input) => lists.exportInspections(ctx, input),
  'calendar.list': (ctx) => listCalendar(ctx),
  'calendar.import': (ctx, input) => importCalendar(ctx, input),
};

export const reportsHandlers: Handlers<
  | 'reports.create'
  | 'reports.update'
  | 'reports.attach'
  | 'reports.detach'
  | 'reports.submit'
  | 'reports.return'
  | 'reports.sign'
  | 'reports.accept'
  | 'reports.correct'
  | 'reports.get'
  | 'reports.queue'
  | 'reports.pdf'
  | 'documents.get'
> = {
  'reports.create': (ctx, input) => createReport(ctx, input),
  'reports.update': (ctx, input) => updateReport(ctx, input),
  'reports.attach': (ctx, input) => attachToReport(ctx, input),
  'reports.detach': (ctx, input) => detachFromReport(ctx, input),
  'reports.submit': (ctx, input) => submitReport(ctx, input),
  'reports.return': (ctx, input) => returnReport(ctx, input),
  'reports.sign': (ctx, input) => signReport(ctx, input),
  'reports.accept': (ctx, input) => acceptReport(ctx, input),
  'reports.correct': (ctx, input) => correctReport(ctx, input),
  'reports.get': (ctx, input) => getReport(ctx, input),
  'reports.queue': (ctx) => reportQueue(ctx),
  'reports.pdf': (ctx, input) => reportPdf(ctx, input),
  'documents.get': (ctx, input) => getDocument(ctx, input),
};
