import type { Handlers } from '../../kernel/dispatch';
import { confirmWarning, feedbackWarning, listSignals, listWarnings, planWarning, raiseWarning, saveSignal } from './warnings';
import * as lists from '../listExport/listExports';

export const warningsHandlers: Handlers<
  'warnings.catalogue' | 'warnings.saveSignal' | 'warnings.raise' | 'warnings.plan' | 'warnings.feedback' | 'warnings.confirm' | 'warnings.list' | 'warnings.exportXlsx'
> = {
  'warnings.catalogue': (ctx) => listSignals(ctx),
  'warnings.saveSignal': (ctx, input) => saveSignal(ctx, input),
  'warnings.raise': (ctx, input) => raiseWarning(ctx, input),
  'warnings.plan': (ctx, input) => planWarning(ctx, input),
  'warnings.feedback': (ctx, input) => feedbackWarning(ctx, input),
  'warnings.confirm': (ctx, input) => confirmWarning(ctx, input),
  'warnings.list': (ctx, input) => listWarnings(ctx, input),
  'warnings.exportXlsx': (ctx, input) => lists.exportWarnings(ctx, input),
};
