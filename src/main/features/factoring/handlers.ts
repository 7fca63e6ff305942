import type { Handlers } from '../../kernel/dispatch';
import { addReceivables, adjustReceivable, confirmReceivable, listDebtors, recordMisdirected, setCollectionAccount, setDebtorLimit } from './backOffice';
import { createFactoring, getFactoring, receivablePayment, setDebtorRelatedParty } from './factoring';

export const factoringHandlers: Handlers<
  | 'factoring.create'
  | 'factoring.get'
  | 'factoring.receivablePayment'
  | 'factoring.setDebtorRelatedParty'
  | 'factoring.debtors'
  | 'factoring.setDebtorLimit'
  | 'factoring.confirmReceivable'
  | 'factoring.adjustReceivable'
  | 'factoring.addReceivables'
  | 'factoring.setCollectionAccount'
  | 'factoring.recordMisdirected'
> = {
  'factoring.create': (ctx, input) => createFactoring(ctx, input),
  'factoring.get': (ctx, input) => getFactoring(ctx, input),
  'factoring.receivablePayment': (ctx, input) => receivablePayment(ctx, input),
  'factoring.setDebtorRelatedParty': (ctx, input) => setDebtorRelatedParty(ctx, input),
  'factoring.debtors': (ctx) => listDebtors(ctx),
  'factoring.setDebtorLimit': (ctx, input) => setDebtorLimit(ctx, input),
  'factoring.confirmReceivable': (ctx, input) => confirmReceivable(ctx, input),
  'factoring.adjustReceivable': (ctx, input) => adjustReceivable(ctx, input),
  'factoring.addReceivables': (ctx, input) => addReceivables(ctx, input),
  'factoring.setCollectionAccount': (ctx, input) => setCollectionAccount(ctx, input),
  'factoring.recordMisdirected': (ctx, input) => recordMisdirected(ctx, input),
};
