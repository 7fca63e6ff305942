import type { Handlers } from '../../kernel/dispatch';
import {
  addContact,
  addLimitationEvent,
  addPromise,
  chaseList,
  collectionStage,
  loanContacts,
  loanLimitation,
  loanPromises,
  noticesForLoan,
  registerReceipt,
  transferToLegal,
} from './collections';
import { addAssetLead, assetLeads, otherContacts, updateAssetLead } from './assetLeads';
import * as lists from '../listExport/listExports';
import { assignCollector, collectionQueue, collectorResults, listCollectors } from './queue';
import { confirmNotices, discardNotices, dueNotices, listTemplates, prepareNotices, previewTemplate, saveTemplate } from './notices';

export const collectionsHandlers: Handlers<
  | 'notices.due'
  | 'notices.templates'
  | 'collections.stage'
  | 'collections.transferToLegal'
  | 'notices.saveTemplate'
  | 'notices.previewTemplate'
  | 'notices.prepare'
  | 'notices.confirm'
  | 'notices.discard'
  | 'notices.forLoan'
  | 'notices.registerReceipt'
  | 'notices.chase'
  | 'notices.exportXlsx'
  | 'limitation.forLoan'
  | 'limitation.addEvent'
  | 'promises.add'
  | 'promises.forLoan'
  | 'promises.exportXlsx'
  | 'contacts.add'
  | 'contacts.forLoan'
  | 'contacts.others'
  | 'collections.assetLeads'
  | 'collections.addAssetLead'
  | 'collections.updateAssetLead'
  | 'collections.queue'
  | 'collections.assign'
  | 'collections.collectors'
  | 'collections.results'
> = {
  'notices.due': (ctx, input) => dueNotices(ctx, input),
  'notices.templates': (ctx) => listTemplates(ctx),
  'collections.stage': (ctx, input) => collectionStage(ctx, input),
  'collections.transferToLegal': (ctx, input) => transferToLegal(ctx, input),
  'notices.saveTemplate': (ctx, input) => saveTemplate(ctx, input),
  'notices.previewTemplate': (ctx, input) => previewTemplate(ctx, input),
  'notices.prepare': (ctx, input) => prepareNotices(ctx, input),
  'notices.confirm': (ctx, input) => confirmNotices(ctx, input),
  'notices.discard': (ctx, input) => discardNotices(ctx, input),
  'notices.forLoan': (ctx, input) => noticesForLoan(ctx, input),
  'notices.registerReceipt': (ctx, input) => registerReceipt(ctx, input),
  'notices.chase': (ctx, input) => chaseList(ctx, input),
  'notices.exportXlsx': (ctx, input) => lists.exportNotices(ctx, input),
  'limitation.forLoan': (ctx, input) => loanLimitation(ctx, input),
  'limitation.addEvent': (ctx, input) => addLimitationEvent(ctx, input),
  'promises.add': (ctx, input) => addPromise(ctx, input),
  'promises.forLoan': (ctx, input) => loanPromises(ctx, input),
  'promises.exportXlsx': (ctx, input) => lists.exportPromises(ctx, input),
  'contacts.add': (ctx, input) => addContact(ctx, input),
  'contacts.forLoan': (ctx, input) => loanContacts(ctx, input),
  'contacts.others': (ctx, input) => otherContacts(ctx, input),
  'collections.assetLeads': (ctx, input) => assetLeads(ctx, input),
  'collections.addAssetLead': (ctx, input) => addAssetLead(ctx, input),
  'collections.updateAssetLead': (ctx, input) => updateAssetLead(ctx, input),
  'collections.queue': (ctx, input) => collectionQueue(ctx, input),
  'collections.assign': (ctx, input) => assignCollector(ctx, input),
  'collections.collectors': (ctx) => listCollectors(ctx),
  'collections.results': (ctx, input) => collectorResults(ctx, input),
};
