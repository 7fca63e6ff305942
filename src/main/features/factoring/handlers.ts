import type { Handlers } from '../../kernel/dispatch';
import { createFactoring, getFactoring, receivablePayment, setDebtorRelatedParty } from './factoring';

export const factoringHandlers: Handlers<'factoring.create' | 'factoring.get' | 'factoring.receivablePayment' | 'factoring.setDebtorRelatedParty'> = {
  'factoring.create': (ctx, input) => createFactoring(ctx, input),
  'factoring.get': (ctx, input) => getFactoring(ctx, input),
  'factoring.receivablePayment': (ctx, input) => receivablePayment(ctx, input),
  'factoring.setDebtorRelatedParty': (ctx, input) => setDebtorRelatedParty(ctx, input),
};
