import type { Handlers } from '../../kernel/dispatch';
import { createBorrower, getBorrower, searchBorrowers, updateBorrower } from './borrowers';
import { addBorrowerContact, addRelatedParty, borrowerContacts, removeBorrowerContact, removeRelatedParty } from './relatedParties';
import * as lists from '../listExport/listExports';

export const borrowersHandlers: Handlers<
  | 'borrowers.search'
  | 'borrowers.exportXlsx'
  | 'borrowers.get'
  | 'borrowers.create'
  | 'borrowers.update'
  | 'borrowers.contacts'
  | 'borrowers.addContact'
  | 'borrowers.removeContact'
  | 'borrowers.addRelatedParty'
  | 'borrowers.removeRelatedParty'
> = {
  'borrowers.search': (ctx, input) => searchBorrowers(ctx, input),
  'borrowers.exportXlsx': (ctx, input) => lists.exportBorrowers(ctx, input),
  'borrowers.get': (ctx, input) => getBorrower(ctx, input),
  'borrowers.create': (ctx, input) => createBorrower(ctx, input),
  'borrowers.update': (ctx, input) => updateBorrower(ctx, input),
  'borrowers.contacts': (ctx, input) => borrowerContacts(ctx, input),
  'borrowers.addContact': (ctx, input) => addBorrowerContact(ctx, input),
  'borrowers.removeContact': (ctx, input) => removeBorrowerContact(ctx, input),
  'borrowers.addRelatedParty': (ctx, input) => addRelatedParty(ctx, input),
  'borrowers.removeRelatedParty': (ctx, input) => removeRelatedParty(ctx, input),
};
