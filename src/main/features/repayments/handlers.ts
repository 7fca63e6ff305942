import type { Handlers } from '../../kernel/dispatch';
import { dailyBatchStatus, runBatchCommand } from '../../jobs/dailyBatch';
import { decideClassification, pendingClassifications, proposeClassification } from './classification';
import { exportLedger, loanLedger } from './ledger';
import { settlementQuotePdf } from '../loans/printing';
import { createRepayment, reverseRepayment } from './repayments';
import { prepay, prepayQuote } from './prepayment';
import { decideReversal, feeRules, pendingReversals, previewRepayment, productNames, setFeeRule, settlementQuote } from './servicing';

export const repaymentsHandlers: Handlers<
  | 'repayments.create'
  | 'repayments.reverse'
  | 'classification.propose'
  | 'classification.decide'
  | 'classification.pending'
  | 'ledger.get'
  | 'ledger.exportXlsx'
  | 'batch.run'
  | 'batch.status'
  | 'repayments.preview'
  | 'repayments.quote'
  | 'repayments.quotePdf'
  | 'repayments.prepayQuote'
  | 'repayments.prepay'
  | 'repayments.decideReversal'
  | 'repayments.pendingReversals'
  | 'repayments.feeRules'
  | 'repayments.products'
  | 'repayments.setFeeRule'
> = {
  'repayments.create': (ctx, input) => createRepayment(ctx, input),
  'repayments.reverse': (ctx, input) => reverseRepayment(ctx, input),
  'classification.propose': (ctx, input) => proposeClassification(ctx, input),
  'classification.decide': (ctx, input) => decideClassification(ctx, input),
  'classification.pending': (ctx) => pendingClassifications(ctx),
  'ledger.get': (ctx, input) => loanLedger(ctx, input),
  'ledger.exportXlsx': (ctx, input) => exportLedger(ctx, input),
  'batch.run': (ctx, input) => runBatchCommand(ctx, input),
  'batch.status': (ctx) => dailyBatchStatus(ctx),
  'repayments.preview': (ctx, input) => previewRepayment(ctx, input),
  'repayments.quote': (ctx, input) => settlementQuote(ctx, input),
  'repayments.quotePdf': (ctx, input) => settlementQuotePdf(ctx, input),
  'repayments.prepayQuote': (ctx, input) => prepayQuote(ctx, input),
  'repayments.prepay': (ctx, input) => prepay(ctx, input),
  'repayments.decideReversal': (ctx, input) => decideReversal(ctx, input),
  'repayments.pendingReversals': (ctx) => pendingReversals(ctx),
  'repayments.products': (ctx) => productNames(ctx),
  'repayments.feeRules': (ctx) => feeRules(ctx),
  'repayments.setFeeRule': (ctx, input) => setFeeRule(ctx, input),
};
