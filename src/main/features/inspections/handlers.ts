import type { Handlers } from '../../kernel/dispatch';
import { importCalendar, listCalendar } from './calendar';
import { listInspections } from './inspections';
import * as lists from '../listExport/listExports';

export const inspectionsHandlers: Handlers<'inspections.list' | 'inspections.exportXlsx' | 'calendar.list' | 'calendar.import'> = {
  'inspections.list': (ctx, input) => listInspections(ctx, input),
  'inspections.exportXlsx': (ctx, input) => lists.exportInspections(ctx, input),
  'calendar.list': (ctx) => listCalendar(ctx),
  'calendar.import': (ctx, input) => importCalendar(ctx, input),
};
