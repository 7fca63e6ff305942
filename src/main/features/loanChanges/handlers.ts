import type { Handlers } from '../../kernel/dispatch';
import { AppError } from '../../../shared/ipc/errors';
import { extensionPdf } from '../loans/printing';
import { requireStore } from '../../kernel/store';
import * as lists from '../listExport/listExports';
import { applyAcceleration, applyExtension, applyRestructuring, changesForLoan, decideChange, pendingChanges, proposeWriteOff, recordRecovery, writtenOff } from './loanChanges';

export const loanChangesHandlers: Handlers<
  'changes.applyExtension' | 'changes.applyRestructuring' | 'changes.applyAcceleration' | 'changes.extensionPdf' | 'changes.proposeWriteOff' | 'changes.decide' | 'changes.forLoan' | 'changes.pending' | 'writeoffs.list' | 'writeoffs.exportXlsx' | 'writeoffs.recover'
> = {
  'changes.applyExtension': (ctx, input) => applyExtension(ctx, input),
  'changes.applyRestructuring': (ctx, input) => applyRestructuring(ctx, input),
  'changes.extensionPdf': async (ctx, input) => {
    const loan = await requireStore(ctx).db.selectFrom('loans').select('contract_no').where('id', '=', input.loanId).executeTakeFirst();
    if (!loan) throw new AppError('NOT_FOUND', ctx.t('errors.noSuchLoan'));
    return extensionPdf(ctx, loan.contract_no, input.kind);
  },
  'changes.proposeWriteOff': (ctx, input) => proposeWriteOff(ctx, input),
  'changes.applyAcceleration': (ctx, input) => applyAcceleration(ctx, input),
  'changes.decide': (ctx, input) => decideChange(ctx, input),
  'changes.forLoan': (ctx, input) => changesForLoan(ctx, input),
  'changes.pending': (ctx) => pendingChanges(ctx),
  'writeoffs.list': (ctx) => writtenOff(ctx),
  'writeoffs.exportXlsx': (ctx, input) => lists.exportWriteOffs(ctx, input),
  'writeoffs.recover': (ctx, input) => recordRecovery(ctx, input),
};
