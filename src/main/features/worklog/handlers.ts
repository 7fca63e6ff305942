import type { Handlers } from '../../kernel/dispatch';
import { addWorklog, commentWorklog, listWorklog, searchWorklog, worklogGaps } from './worklog';
import * as lists from '../listExport/listExports';

export const worklogHandlers: Handlers<'worklog.add' | 'worklog.comment' | 'worklog.list' | 'worklog.search' | 'worklog.exportXlsx' | 'worklog.gaps'> = {
  'worklog.add': (ctx, input) => addWorklog(ctx, input),
  'worklog.comment': (ctx, input) => commentWorklog(ctx, input),
  'worklog.list': (ctx, input) => listWorklog(ctx, input),
  'worklog.search': (ctx, input) => searchWorklog(ctx, input),
  'worklog.exportXlsx': (ctx, input) => lists.exportWorklog(ctx, input),
  'worklog.gaps': (ctx, input) => worklogGaps(ctx, input),
};
