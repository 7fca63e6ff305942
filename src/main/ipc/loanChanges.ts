import type { Handlers } from './register';
import { applyExtension, changesForLoan, decideChange, pendingChanges, proposeWriteOff, recordRecovery, writtenOff } from '../services/loanChanges';

export const loanChangesHandlers: Handlers<
  'changes.applyExtension' | 'changes.proposeWriteOff' | 'changes.decide' | 'changes.forLoan' | 'changes.pending' | 'writeoffs.list' | 'writeoffs.recover'
> = {
  'changes.applyExtension': (ctx, input) => applyExtension(ctx, input),
  'changes.proposeWriteOff': (ctx, input) => proposeWriteOff(ctx, input),
  'changes.decide': (ctx, input) => decideChange(ctx, input),
  'changes.forLoan': (ctx, input) => changesForLoan(ctx, input),
  'changes.pending': (ctx) => pendingChanges(ctx),
  'writeoffs.list': (ctx) => writtenOff(ctx),
  'writeoffs.recover': (ctx, input) => recordRecovery(ctx, input),
};
