import type { Handlers } from './register';
import { dailyBatchStatus } from '../jobs/dailyBatch';
import { runBatchCommand } from '../services/batch';
import { decideClassification, pendingClassifications, proposeClassification } from '../services/classification';
import { exportLedger, loanLedger } from '../services/ledger';
import { createRepayment, reverseRepayment } from '../services/repayments';

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
};
