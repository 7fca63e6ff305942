import type { Handlers } from '../../kernel/dispatch';
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
  returnSignedReport,
  signReport,
  submitReport,
  updateReport,
} from './reports';
import { reportPdf } from '../loans/printing';

export const reportsHandlers: Handlers<
  | 'reports.create'
  | 'reports.update'
  | 'reports.attach'
  | 'reports.detach'
  | 'reports.submit'
  | 'reports.return'
  | 'reports.sign'
  | 'reports.accept'
  | 'reports.returnSigned'
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
  'reports.returnSigned': (ctx, input) => returnSignedReport(ctx, input),
  'reports.correct': (ctx, input) => correctReport(ctx, input),
  'reports.get': (ctx, input) => getReport(ctx, input),
  'reports.queue': (ctx) => reportQueue(ctx),
  'reports.pdf': (ctx, input) => reportPdf(ctx, input),
  'documents.get': (ctx, input) => getDocument(ctx, input),
};
