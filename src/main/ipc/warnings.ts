import type { Handlers } from '../kernel/dispatch';
import { getToday } from '../services/today';
import { confirmWarning, feedbackWarning, listSignals, listWarnings, planWarning, raiseWarning, saveSignal } from '../services/warnings';
import { addWorklog, commentWorklog, listWorklog, searchWorklog, worklogGaps } from '../services/worklog';
import * as lists from '../services/listExports';

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

export const worklogHandlers: Handlers<'worklog.add' | 'worklog.comment' | 'worklog.list' | 'worklog.search' | 'worklog.exportXlsx' | 'worklog.gaps'> = {
  'worklog.add': (ctx, input) => addWorklog(ctx, input),
  'worklog.comment': (ctx, input) => commentWorklog(ctx, input),
  'worklog.list': (ctx, input) => listWorklog(ctx, input),
  'worklog.search': (ctx, input) => searchWorklog(ctx, input),
  'worklog.exportXlsx': (ctx, input) => lists.exportWorklog(ctx, input),
  'worklog.gaps': (ctx, input) => worklogGaps(ctx, input),
};

export const todayHandlers: Handlers<'today.get'> = {
  'today.get': (ctx) => getToday(ctx),
};
