import type { Handlers } from '../../kernel/dispatch';
import { createBorrower, getBorrower, searchBorrowers, updateBorrower } from './borrowers';
import * as lists from '../listExport/listExports';

export const borrowersHandlers: Handlers<'borrowers.search' | 'borrowers.exportXlsx' | 'borrowers.get' | 'borrowers.create' | 'borrowers.update'> = {
  'borrowers.search': (ctx, input) => searchBorrowers(ctx, input),
  'borrowers.exportXlsx': (ctx, input) => lists.exportBorrowers(ctx, input),
  'borrowers.get': (ctx, input) => getBorrower(ctx, input),
  'borrowers.create': (ctx, input) => createBorrower(ctx, input),
  'borrowers.update': (ctx, input) => updateBorrower(ctx, input),
};
